# gfetch stream when the REST API fails during a reconnect: the re-sync
# baseline's GET answers 503, then 429, then takes longer than --timeout;
# each is retried with the reconnect backoff, the re-sync completes and the
# archive still equals gfetch details.  With --max-wait, an API that keeps
# failing ends the stream (status 1) with a message that names the request,
# the failure and the limit, and a last `disconnected` record stays whole.
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 5 --seed 11

# how many baseline GETs (users?expand=...) were answered STATUS
baseline_gets() {
    fake_log | py '
print(sum(1 for e in json.load(sys.stdin)
          if e["path"] == "/api/v2/users" and "expand=routingStatus" in e["query"] and e["status"] == int(sys.argv[1])))' "$1"
}

# --max-retries 1: while a channel is down, retries are not counted, only
# --max-wait (default forever) ends them.
start_stream live.ndjson --timeout 1s --max-retries 1
wait_lines live.ndjson '"type":"resync_end"' 1

# The next three baseline GETs fail, each its own way.
fake_post /_fake/reset
fake_post /_fake/faults '[{"fault": "5xx", "path": "/api/v2/users?", "nth": [1]},
                          {"fault": "429", "path": "/api/v2/users?", "nth": [2], "retry_after": 0},
                          {"fault": "slow", "path": "/api/v2/users?", "nth": [3], "delay": 2.5}]'
fake_stream '{"action": "reset"}'
wait_lines live.ndjson '"type":"disconnected"' 1 30
wait_lines live.ndjson '"type":"resync_end"' 2 60
[ "$(baseline_gets 503)" -eq 1 ] || fail "the 503 was not seen once: $(baseline_gets 503)"
[ "$(baseline_gets 429)" -eq 1 ] || fail "the 429 was not seen once: $(baseline_gets 429)"
fake_log | py '
log = [e for e in json.load(sys.stdin) if e["path"] == "/api/v2/users" and "expand=routingStatus" in e["query"]]
assert len(log) >= 4, "expected 503, 429, a timeout and a success: %r" % [(e["status"], e["faults"]) for e in log]
assert log[0]["faults"] == ["5xx"] and log[1]["faults"] == ["429"] and log[2]["faults"] == ["slow"], log[:3]
assert log[3]["status"] == 200, log[3]
# The backoff: at least half of 1 s after the 503 (the 429 said Retry-After 0).
assert log[1]["t"] - log[0]["t"] >= 0.5, "no backoff after the 503"' || fail "retries of the baseline"
# one disconnected, one connected after it, one re-sync: no exit, no second outage
[ "$(grep -c '"type":"disconnected"' live.ndjson)" -eq 1 ] || fail "more than one outage: $(grep disconnected live.ndjson)"
fake_post /_fake/faults '[]'
check_archive live.ndjson
if grep -q -- "$SECRET" stream.err; then fail "the client secret is in stream.err"; fi

# An API that keeps failing while the socket is down: --max-wait 4s.
fake_post /_fake/clock '{"action": "resume"}'
: > stream.err
start_stream kept.ndjson --max-wait 4s
wait_lines kept.ndjson '"type":"resync_end"' 1
fake_post /_fake/faults '[{"fault": "5xx", "path": "/api/v2/users?"}]'
fake_stream '{"action": "reset"}'
wait_lines kept.ndjson '"type":"disconnected"' 1 30
started=$(date +%s)
wait_stream
[ "$status" -eq 1 ] || fail "gfetch stream exited $status, expected 1: $(cat stream.err)"
[ "$took" -le 20 ] || fail "it took $took s to give up with --max-wait 4s"
grep -q '^gfetch: re-sync: current state of the users, page 1: GET /api/v2/users?.*: HTTP 503: .*; still failing after [0-9]* tries, giving up (--max-wait 4 s since the outage began)$' stream.err ||
    fail "message: $(cat stream.err)"
# what was written is whole lines; the re-sync it could not finish has no resync_end
py '
for line in open("kept.ndjson"):
    assert line.endswith("\n"), line
    json.loads(line)' || fail "a broken line in kept.ndjson"
[ "$(grep -c '"type":"resync_start"' kept.ndjson)" -eq 2 ] && [ "$(grep -c '"type":"resync_end"' kept.ndjson)" -eq 1 ] ||
    fail "the unfinished re-sync: $(grep resync kept.ndjson)"
echo ok
