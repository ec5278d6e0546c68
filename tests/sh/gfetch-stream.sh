# gfetch stream against the fake's WebSocket side: channel, subscriptions,
# the upgrade, point events and control records, the heartbeat watchdog on
# a ghost socket (open, silent: `disconnected` within the timeout, then a
# reconnect and a re-sync by itself), SIGTERM, and the archive through
# gsort | gdedupe | gshift | goccupy equal to gfetch details.
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 8 --seed 3

start_stream live.ndjson -v
wait_lines live.ndjson '"type":"resync_end"' 1
wait_lines live.ndjson '"type":"heartbeat"' 2

# The first records: connected, then the re-sync baseline.
head -1 live.ndjson | grep -q '^{"type":"connected","org":"test","at":"' || fail "first record: $(head -1 live.ndjson)"
sed -n 2p live.ndjson | grep -q '"type":"resync_start"' || fail "no resync_start after connected"
# The subscriptions: routingStatus and presence per user, on one channel.
fake_log > log.json
py '
log = json.load(open("log.json"))
subs = [e for e in log if e["path"].endswith("/subscriptions")]
assert len(subs) == 1 and subs[0]["method"] == "PUT", [(e["method"], e["path"]) for e in subs]
topics = sorted(t["id"] for t in subs[0]["body"])
users = sorted(l.strip() for l in open("users.txt"))
want = sorted(["v2.users.%s.routingStatus" % u for u in users] + ["v2.users.%s.presence" % u for u in users])
assert topics == want, (topics[:4], want[:4])
assert any(e["path"] == "/api/v2/notifications/channels" and e["method"] == "POST" for e in log)' ||
    fail "channel and subscriptions"

# Point events arrive from the socket as the fake's clock passes them.
base=$(grep -c '"user_id"' live.ndjson)
wait_lines live.ndjson '"user_id"' $((base + 3))

# Ghost: the socket stays open and says nothing.  disconnected at once
# after the 2 s timeout (a ping went out first), then connected again and
# a second re-sync.
fake_stream '{"action": "ghost"}'
wait_lines live.ndjson '"type":"disconnected"' 1 30
grep '"type":"disconnected"' live.ndjson | head -1 | grep -q '"reason":"no heartbeat for 2 s"' ||
    fail "ghost: $(grep disconnected live.ndjson | head -1)"
wait_lines live.ndjson '"type":"resync_end"' 2
py '
lines = [json.loads(l) for l in open("live.ndjson")]
kinds = [r.get("type") for r in lines]
d = kinds.index("disconnected")
after = [k for k in kinds[d + 1:] if k not in (None, "heartbeat")]
assert after[:3] == ["connected", "resync_start", "resync_end"], after[:5]
for r in lines:
    if "type" in r:
        assert r["org"] == "test" and r["at"].endswith("Z"), r
    else:
        assert set(r) == {"org", "user_id", "start", "routing_status"} or set(r) == {"org", "user_id", "start", "presence"}, r' ||
    fail "records after the ghost"

# The archive holds everything: the same occupancy as gfetch details.
check_archive live.ndjson

# Secrets: never in stderr (-v traces included) nor in the records.
if grep -q "$SECRET" stream.err live.ndjson; then fail "the client secret was printed"; fi
grep -q 'Authorization: Bearer \*\*\*\*' stream.err || fail "-v did not trace the requests"
if grep -E 'Bearer [A-Za-z0-9_-]{8,}' stream.err; then fail "a token was printed"; fi
exit 0
