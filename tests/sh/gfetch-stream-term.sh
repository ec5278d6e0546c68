# gfetch stream stops on SIGTERM even while a REST request hangs: the
# re-sync's details query is answered only after 30 s, --timeout is 60 s,
# and gfetch ends within a few seconds of the signal (exit 0), its last
# record a whole `disconnected` with reason "stopped".
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 3 --seed 5
fake_post /_fake/faults '[{"fault": "slow", "path": "/api/v2/analytics/users/details/query", "delay": 30}]'
start_stream hung.ndjson --timeout 60s
wait_lines hung.ndjson '"type":"resync_start"' 1
sleep 1 # the details query is in flight, its answer 29 s away
started=$(date +%s)
kill -TERM "$SPID"
wait_stream
[ "$status" -eq 0 ] || fail "gfetch stream exited $status after SIGTERM: $(cat stream.err)"
[ "$took" -le 5 ] || fail "gfetch stream took $took s to stop during a hanging request"
grep -q '"type":"resync_end"' hung.ndjson && fail "the re-sync cannot have ended: $(cat hung.ndjson)"
tail -n 1 hung.ndjson | py '
r = json.loads(sys.stdin.read())
assert r["type"] == "disconnected" and r["reason"] == "stopped", r' || fail "last record: $(tail -n 1 hung.ndjson)"
echo ok
