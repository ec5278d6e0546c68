# gfetch's resilience against the fake's faults: 429 with and without
# Retry-After (waits honoured, counted), 5xx bursts (exponential backoff),
# malformed JSON, a connection reset, a slow answer past --timeout; each
# time the records equal a run without faults.  Then the limits:
# --max-retries and --max-wait stop with a message naming the interval and
# page, after whole records only.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
start_fake --agents 3 --days 2 --from 2026-11-02 --seed 3
W="--from 2026-11-02 --to 2026-11-04"
D=/api/v2/analytics/users/details/query
gf details $W > clean.ndjson
[ -s clean.ndjson ] || fail "no records"

# The waits between the faulty answer and its retry, from the fake's log.
gaps() {
    fake_log > log.json
    py '
log = [e for e in json.load(open("log.json")) if sys.argv[1] in e["path"]]
for a, b in zip(log, log[1:]):
    if a["status"] != 200:
        print("%d %.3f" % (a["status"], b["t"] - a["t"]))' "$1"
}

# run NAME FAULTS [gfetch options]: same records as clean, -v trace kept
run() {
    name=$1 faults=$2
    shift 2
    fake_post /_fake/reset
    fake_post /_fake/faults "$faults"
    gf details $W -v "$@" > "$name.ndjson" 2> "$name.err" || { cat "$name.err"; fail "$name: gfetch failed"; }
    cmp -s clean.ndjson "$name.ndjson" || fail "$name: records differ from a run without faults"
}

run 429 '[{"fault": "429", "path": "details/query", "nth": [1], "retry_after": 1}]'
[ "$(grep -c 'retry 1 of 5' 429.err)" -eq 1 ] || fail "429: expected one retry: $(cat 429.err)"
gaps $D > 429.gaps
py 'g = [l.split() for l in open("429.gaps")]
assert len(g) == 1 and g[0][0] == "429", g
assert 1.0 <= float(g[0][1]) < 2.5, g' || fail "429: Retry-After 1 not honoured: $(cat 429.gaps)"

run 429-no-header '[{"fault": "429", "path": "details/query", "nth": [1], "retry_after": null}]'
gaps $D > 429b.gaps
py 'g = [l.split() for l in open("429b.gaps")]
assert len(g) == 1 and 3.0 <= float(g[0][1]) < 5, g' || fail "429 without Retry-After: not 3 s: $(cat 429b.gaps)"

run 5xx '[{"fault": "5xx", "path": "details/query", "nth": [1, 2], "status": 503}]'
[ "$(grep -c '^gfetch: retry [0-9]* of 5 .*HTTP 503' 5xx.err)" -eq 2 ] || fail "5xx: expected 2 retries: $(cat 5xx.err)"
gaps $D > 5xx.gaps
py 'g = [float(l.split()[1]) for l in open("5xx.gaps")]
# backoff: first wait 0.25-0.5 s, the second 0.5-1 s
assert len(g) == 2 and 0.25 <= g[0] < 0.9 and 0.5 <= g[1] < 1.6, g' || fail "5xx: backoff $(cat 5xx.gaps)"

run malformed '[{"fault": "malformed_json", "path": "details/query", "nth": [1]}]'
grep -q 'malformed JSON' malformed.err || fail "malformed JSON not reported in the trace"

run reset '[{"fault": "reset", "path": "details/query", "nth": [1]}]'
grep -q '^gfetch: retry 1 of 5' reset.err || fail "reset: no retry: $(cat reset.err)"

run slow '[{"fault": "slow", "path": "details/query", "nth": [1], "delay": 3}]' --timeout 1s
grep -q '^gfetch: retry 1 of 5' slow.err || fail "slow: no retry after the timeout: $(cat slow.err)"

# --max-retries: a burst longer than the retries allowed stops gfetch with
# status 1, naming the interval and page; stdout has whole records only
fake_post /_fake/reset
fake_post /_fake/faults '[{"fault": "5xx", "path": "details/query", "nth": [2, 3, 4], "status": 502}]'
if gf details $W --max-retries 2 > partial.ndjson 2> partial.err; then fail "gave up too late"; fi
grep -q '^gfetch: details batch 1/1, interval 2026-11-02T00:00:00.000Z/2026-11-04T00:00:00.000Z, page 2: POST /api/v2/analytics/users/details/query: HTTP 502.*gave up after 2 retries' partial.err ||
    fail "message: $(cat partial.err)"
py '[json.loads(l) for l in open("partial.ndjson")]' || fail "partial output is not whole records"

# --max-wait: a Retry-After beyond it stops at once
fake_post /_fake/reset
fake_post /_fake/faults '[{"fault": "429", "path": "details/query", "nth": [1], "retry_after": 30}]'
t0=$(date +%s)
if gf details $W --max-wait 5s > /dev/null 2> wait.err; then fail "--max-wait ignored"; fi
[ $(($(date +%s) - t0)) -lt 10 ] || fail "--max-wait: waited anyway"
grep -q 'would pass --max-wait 5.0 s' wait.err || fail "message: $(cat wait.err)"
echo ok
