-- P3: one kind of request (dashboard, return page, save, public pages, static file) made by
-- simulated users, for wrk. bench/web_load.py signs the users in (Argon2 sign-ins are not
-- timed), writes what each one needs to a Lua data file and starts one wrk per kind:
--
--   wrk -t N -c N -d 30s -s bench/wrk/users.lua http://127.0.0.1:PORT -- DATA.lua KIND
--
-- Each wrk thread has one connection and is one user: its own session cookie and CSRF token,
-- its own pages, its own return to save (so saves of different users never conflict), and a
-- think time of 0.5-1.5 s (mean 1 s) before every request, as a person reading the page.
-- A save posts the whole form with one figure changed and takes the lock version the
-- server answers, as the browser's autosave does. Any answer but 200 is counted as an error
-- and its first few are kept; done() prints one JSON line with this kind's latency
-- percentiles, which bench/web_load.py reads.

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local data, kind, user, paths, turn, lock, value = nil, nil, nil, nil, 0, nil, 0
bad, seen = 0, "" -- globals: done() reads them with thread:get

function init(args)
  data = dofile(args[1])
  kind = args[2]
  local users = data[kind]
  user = users[(id % #users) + 1]
  paths = user.paths
  lock = user.lock
  value = 40 + id
  math.randomseed(id * 7919 + os.time())
end

function delay()
  return math.random(500, 1500) -- milliseconds: a person reads before the next click
end

function request()
  turn = turn + 1
  local path = paths[(turn % #paths) + 1]
  local headers = { ["Cookie"] = user.cookie }
  if kind == "save" then
    value = 40 + ((value + 7) % 50) -- valid as a count and as a percentage
    local body = user.body:gsub("@LOCK@", tostring(lock)):gsub("@VALUE@", tostring(value))
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = user.csrf
    headers["Referer"] = data.base .. user.referer
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers, nil)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 5 then
      seen = seen .. status .. " " .. paths[(turn % #paths) + 1] .. " " .. (body or ""):sub(1, 120):gsub("[\r\n\"\\]", " ") .. "\n"
    end
    return
  end
  if kind == "save" then
    local n = body:match('"lock_version": (%d+)')
    if n then lock = tonumber(n) end
  end
end

function done(summary, latency, requests)
  local bad_total, lines = 0, ""
  for _, t in ipairs(threads) do
    bad_total = bad_total + (t:get("bad") or 0)
    lines = lines .. (t:get("seen") or "")
  end
  local e = summary.errors
  io.write(string.format(
    '{"kind": "%s", "requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "not_200": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "status_4xx_5xx": %d, ' ..
    '"first_errors": "%s"}\n',
    kind, summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad_total, e.connect, e.read, e.write, e.timeout, e.status,
    lines:gsub("\n", " | ")))
end
