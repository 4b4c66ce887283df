#!/usr/bin/env bash
# The whole suite: everything on SQLite, then the Django suites again on PostgreSQL.
# Under CI=true the PostgreSQL pass is required; locally it runs when the server answers.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=.venv/bin/pytest
WORKERS="${MASA_TEST_WORKERS:-2}"

status=0
start=$(date +%s)
# tests/web/test_postgres.py re-runs three web files on PostgreSQL in a child pytest, for a
# plain `pytest` by hand; here the second pass runs every web and store test on PostgreSQL
# directly, so the child would only repeat it.
SKIP_CHILD=()
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then SKIP_CHILD=(--ignore=tests/web/test_postgres.py); fi
# These two already run every command in fresh processes on both databases in the first pass.
BOTH_DBS=(--ignore=tests/store/test_cli_processes.py --ignore=tests/store/test_end_to_end.py)
$PYTEST -n "$WORKERS" --dist loadgroup --durations=20 "${SKIP_CHILD[@]}" "$@" || status=$?
echo "SQLite pass: $(( $(date +%s) - start )) s"

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== Django suites again on PostgreSQL =="
  pg_start=$(date +%s)
  DATABASE_URL="${MASA_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/masa}" \
    $PYTEST -n "$WORKERS" --dist loadgroup --durations=20 -m "not browser" "${SKIP_CHILD[@]}" "${BOTH_DBS[@]}" \
    tests/store $( [ -d tests/web ] && echo tests/web ) \
    || status=$((status == 0 ? $? : status))
  echo "PostgreSQL pass: $(( $(date +%s) - pg_start )) s"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required under CI=true but is not answering on 127.0.0.1:5432" >&2
  status=1
fi
echo "make test: $(( $(date +%s) - start )) s of tests on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg))"
exit $status
