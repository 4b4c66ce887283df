// Autosave: post the return form to the autosave endpoint when it has changed, every 20 s
// and when the page is hidden. Never throws data away: on failure the form keeps the text
// and the status line says what happened; the Save button always works without JavaScript.
(function () {
  "use strict";

  // The status line for one answer. Only a 2xx answer with saved: true reads as saved; any
  // refusal (4xx, 5xx, a body that is not ours) starts with "Not saved" and says why.
  function saveMessage(ok, status, j, time) {
    j = j || {};
    if (ok && j.saved) { return j.message + " at " + time; }
    var why = j.message || "";
    if (!why && j.detail && j.detail.length && j.detail[0].msg) { why = j.detail[0].msg; }
    if (!why) { why = "the server refused it (HTTP " + status + "). Your text is still here; use Save to see why"; }
    return /^Not saved/.test(why) ? why : "Not saved: " + why;
  }
  window.masaSaveMessage = saveMessage;  // for tests

  var form = document.getElementById("return-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var lock = document.getElementById("lock_version");
  var url = form.getAttribute("data-autosave");
  var dirty = false, busy = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });

  function save() {
    if (!dirty || busy) { return; }
    busy = true; dirty = false;
    var body = new FormData(form);
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-Requested-With": "fetch" } })
      .then(function (r) {
        return r.json().then(function (j) { return [r.ok, r.status, j]; },
                             function () { return [false, r.status, null]; });
      })
      .then(function (res) {
        var ok = res[0], j = res[2] || {};
        if (ok && j.saved) {
          if (j.lock_version !== undefined) { lock.value = j.lock_version; }
          if (j.base_parts) { document.getElementById("base_parts").value = j.base_parts; }
        } else {
          dirty = true;
        }
        status.textContent = saveMessage(res[0], res[1], j, new Date().toLocaleTimeString("en-GB"));
      })
      .catch(function () { dirty = true; status.textContent = "Not saved: the connection failed. Your text is still here; use Save."; })
      .then(function () { busy = false; });
  }
  window.setInterval(save, 20000);
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { save(); } });
  window.masaAutosave = save;  // for tests and for a manual trigger
})();
