#!/usr/bin/env bash
# The whole suite: everything on SQLite, then the storage layer and the database-sensitive web
# suites again on PostgreSQL (ON_POSTGRES below says which and why).
# Under CI=true the PostgreSQL pass is required; locally it runs when the server answers.
# Each pass prints its time and its 20 slowest tests. The PostgreSQL pass's per-worker databases
# are copies of one migrated template, masa_template_<hash of the migrations> (tests/conftest.py),
# made by the first run after a migration changes and kept on the server for the runs after it.
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
# The PostgreSQL pass: the storage layer whole, and the web suites whose behaviour can differ by
# database: locking and concurrent writers, the workflow and publishing (row versions, JSON
# fields), the audit log's hash chain, the queue, each partnership's scope, and each module's
# models (Section 11, assurance, dataset, young people). The other web suites exercise views
# and templates through the same ORM calls; they run on SQLite only, which keeps `make test`
# under 10 minutes on 2 cores (with the whole web suite on both, 1183 s of tests at 0c2ef3c under load, issue 15).
ON_POSTGRES=(tests/web/test_workflow.py tests/web/test_review_journey.py tests/web/test_partnerships.py
  tests/web/test_public_surface.py tests/web/test_publish_approved_version.py tests/web/test_setup_service.py
  tests/web/test_save_refused.py tests/web/test_edit_guards.py tests/web/test_queue.py tests/web/test_audit_log.py
  tests/web/test_section11.py tests/web/test_section11_challenge.py tests/web/test_assurance_web.py tests/web/test_dataset_dashboard.py
  tests/web/test_young_people.py tests/web/test_scoped_reading.py tests/web/test_deadlines_per_partnership.py
  tests/web/test_snapshot_isolation.py)
# These two already run every command in fresh processes on both databases in the first pass.
BOTH_DBS=(--ignore=tests/store/test_cli_processes.py --ignore=tests/store/test_end_to_end.py)
$PYTEST -n "$WORKERS" --dist loadgroup --durations=20 "${SKIP_CHILD[@]}" "$@" || status=$?
echo "SQLite pass: $(( $(date +%s) - start )) s"

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== The storage layer and the database-sensitive web suites again on PostgreSQL =="
  pg_start=$(date +%s)
  DATABASE_URL="${MASA_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/masa}" \
    $PYTEST -n "$WORKERS" --dist loadgroup --durations=20 -m "not browser" "${SKIP_CHILD[@]}" "${BOTH_DBS[@]}" \
    tests/store "${ON_POSTGRES[@]}" \
    || status=$((status == 0 ? $? : status))
  echo "PostgreSQL pass: $(( $(date +%s) - pg_start )) s"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required under CI=true but is not answering on 127.0.0.1:5432" >&2
  status=1
fi
echo "make test: $(( $(date +%s) - start )) s of tests on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg))"
exit $status
