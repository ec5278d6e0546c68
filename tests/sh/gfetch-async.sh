# gfetch details --async through the analytics jobs API: the same records
# as the sync query; the job polled until FULFILLED with growing pauses;
# results paged by cursor; a FAILED or EXPIRED job stops gfetch with the
# API's message and status 1.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
check="python3 $TESTS_DIR/sh/lib/gfetch_check.py"
start_fake --agents 5 --days 2 --from 2026-11-02 --seed 13
W="--from 2026-11-02 --to 2026-11-04"
gf details $W > sync.ndjson

fake_post /_fake/reset
gf details $W --async --page-size 2 > async.ndjson
cmp -s sync.ndjson async.ndjson || fail "async records differ from sync"
fake_log > log.json
py '
log = json.load(open("log.json"))
jobs = [e for e in log if e["path"] == "/api/v2/analytics/users/details/jobs" and e["method"] == "POST"]
assert len(jobs) == 1, jobs
body = jobs[0]["body"]
preds = [p for f in body["userFilters"] for p in f["predicates"]]
assert len(preds) == 5 and "paging" not in body, body
results = [e for e in log if "/results" in e["path"]]
assert len(results) >= 2, "results not paged"
assert "cursor=" not in results[0]["query"] and all("cursor=" in e["query"] for e in results[1:]), results
assert all("pageSize=2" in e["query"] for e in results)
assert all(e["status"] in (200, 202) for e in log if "/jobs" in e["path"]), "a jobs request failed"' || fail "jobs API use"

for fault in job_failed job_expired; do
    fake_post /_fake/reset
    fake_post /_fake/faults "[{\"fault\": \"$fault\", \"path\": \"details/jobs\", \"nth\": [1]}]"
    if gf details $W --async > $fault.out 2> $fault.err; then fail "$fault: gfetch succeeded"; fi
    grep -q '^gfetch: details job batch 1/1, interval 2026-11-02T00:00:00.000Z/2026-11-04T00:00:00.000Z' $fault.err ||
        fail "$fault: message: $(cat $fault.err)"
    grep -Eq 'FAILED|EXPIRED|expired|failed' $fault.err || fail "$fault: no state in: $(cat $fault.err)"
done
echo ok
