#!/usr/bin/env bash
# `make bench`: every benchmark runs even when an earlier one misses its target; the summary at
# the end says which passed, and the exit status is non-zero when any missed.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
echo "make bench: $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
failed=()
for b in report_build checks import indicators web_load scale; do
  echo "== bench/$b.py"
  $PY "bench/$b.py" || failed+=("$b")
done
if [ ${#failed[@]} -eq 0 ]; then
  echo "make bench: every benchmark PASS"
else
  echo "make bench: FAIL in ${failed[*]}"
  exit 1
fi
