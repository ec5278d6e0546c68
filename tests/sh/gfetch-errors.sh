# Answers retrying cannot fix: gfetch stops with status 1, the API's own
# message, the request that caused it (method, path, body) and what it was
# for; what it wrote before is whole records: the complete batches.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
start_fake --agents 5 --days 1 --from 2026-11-02 --seed 21
W="--from 2026-11-02 --to 2026-11-03"

# 400: the fake validates like the API (a granularity that is no period)
if gf aggregates $W --granularity P1X > bad.out 2> bad.err; then fail "400 accepted"; fi
grep -q '^gfetch: aggregates batch 1/1, interval 2026-11-02T00:00:00.000Z/2026-11-03T00:00:00.000Z: POST /api/v2/analytics/users/aggregates/query: HTTP 400: ' bad.err ||
    fail "400 message: $(cat bad.err)"
grep -q 'request body: {"interval":"2026-11-02T00:00:00.000Z/2026-11-03T00:00:00.000Z","granularity":"P1X"' bad.err ||
    fail "400: the request body is not shown: $(cat bad.err)"
grep -qi 'granularity' bad.err || fail "400: the API's message is not shown: $(cat bad.err)"
[ "$(fake_log | py 'print(sum(1 for e in json.load(sys.stdin) if "aggregates" in e["path"]))')" -eq 1 ] ||
    fail "a 400 was retried"

# 404: a wrong API URL
if gf details $W --user x --api-url "$FAKE/nowhere" > nf.out 2> nf.err; then fail "404 accepted"; fi
grep -q '^gfetch: details batch 1/1, interval .*, page 1: POST /api/v2/analytics/users/details/query: HTTP 404: ' nf.err ||
    fail "404 message: $(cat nf.err)"

# a failure in the third batch: the first two batches are out, whole
gf details $W --batch-size 2 > all.ndjson
fake_post /_fake/reset
# batch 1 asks pages 1, 2; batch 2 pages 1, 2; batch 3 fails on its first
fake_post /_fake/faults '[{"fault": "5xx", "path": "details/query", "nth": [5], "status": 503}]'
if gf details $W --batch-size 2 --max-retries 0 > part.ndjson 2> part.err; then fail "the 503 was ignored"; fi
grep -q '^gfetch: details batch 3/3, interval 2026-11-02T00:00:00.000Z/2026-11-03T00:00:00.000Z, page 1: .*HTTP 503' part.err ||
    fail "message: $(cat part.err)"
py '
users = sorted(set(json.loads(l)["user_id"] for l in open("all.ndjson")))
want = [l for l in open("all.ndjson") if json.loads(l)["user_id"] in users[:4]]
assert open("part.ndjson").readlines() == want' || fail "the complete batches were not written whole"
echo ok
