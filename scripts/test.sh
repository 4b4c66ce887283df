#!/usr/bin/env bash
# The whole suite: everything on SQLite, then the Django suites again on PostgreSQL.
# Under CI=true the PostgreSQL pass is required; locally it runs when the server answers.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=.venv/bin/pytest
WORKERS="${MASA_TEST_WORKERS:-2}"

status=0
$PYTEST -n "$WORKERS" --dist loadgroup "$@" || status=$?

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== Django suites again on PostgreSQL =="
  DATABASE_URL="${MASA_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/masa}" \
    $PYTEST -n "$WORKERS" --dist loadgroup -m "not browser" tests/store $( [ -d tests/web ] && echo tests/web ) \
    || status=$((status == 0 ? $? : status))
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required under CI=true but is not answering on 127.0.0.1:5432" >&2
  status=1
fi
exit $status
