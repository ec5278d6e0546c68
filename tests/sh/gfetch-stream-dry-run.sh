# gfetch stream --dry-run: the plan (login, channels, each channel's
# subscription from its first topic to its last, the re-sync's queries) on
# stdout and not one request sent; then a real stream with the same
# options sends what the plan says: as many channels, the same topics,
# the same details queries.
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 5 --seed 3
sort users.txt > sorted.txt
first=$(head -1 sorted.txt)
last=$(tail -1 sorted.txt)

fake_post /_fake/reset
gfetch --api-url "$FAKE" --login-url "$FAKE" stream --dry-run --org test --from "$MIDNIGHT" --users users.txt \
    --ping-after 1 --heartbeat-timeout 2 > stream.plan 2> plan.err || fail "stream --dry-run: $(cat plan.err)"
[ ! -s plan.err ] || fail "stream --dry-run said: $(cat plan.err)"
fake_log | py 'log = json.load(sys.stdin); assert log == [], log' || fail "stream --dry-run sent requests"
sed "s|$FAKE|FAKE|g; s|/[0-9T:.Z-]*, 5 users|/TO, 5 users|" stream.plan > plan.got
cat > plan.want <<PLAN
gfetch stream --dry-run: the plan; nothing is sent
api: FAKE
login: POST FAKE/oauth/token (client credentials)
users: 5 given, 2 topics each (routingStatus, presence)
channels: 1 (at most 20, of at most 1000 topics each)
channel 1/1: 5 users, 10 topics
  POST /api/v2/notifications/channels {}
  PUT /api/v2/notifications/channels/CHANNELID/subscriptions?ignoreErrors=true [v2.users.$first.routingStatus .. v2.users.$last.presence]
  WebSocket to the channel's connectUri: a ping after 1 s without a frame, a reconnect after 2 s
re-sync, at the start and after each reconnect: the users' segments from $MIDNIGHT, then their state
  POST /api/v2/analytics/users/details/query {interval $MIDNIGHT/TO, 5 users $first .. $last, pageSize 100, pageNumber 1, 2, ... until an empty page}
  GET /api/v2/users?pageSize=500&expand=routingStatus,presence, pages until an empty one
PLAN
diff plan.want plan.got > plan.diff || fail "the stream plan: $(cat plan.diff)"
grep -q "$SECRET" stream.plan && fail "a secret in the plan"

# what a real stream sends: one channel, its topics, the re-sync's query
start_stream live.ndjson
wait_lines live.ndjson '"type":"resync_end"' 1
stop_stream
fake_log | py '
log = json.load(sys.stdin)
channels = [e for e in log if e["method"] == "POST" and e["path"] == "/api/v2/notifications/channels"]
assert len(channels) == 1, channels
puts = [e for e in log if e["method"] == "PUT" and e["path"].endswith("/subscriptions")]
assert len(puts) == 1, puts
topics = [t["id"] for t in puts[0]["body"]]
first, last = sys.argv[1], sys.argv[2]
assert len(topics) == 10, topics
assert topics[0] == "v2.users.%s.routingStatus" % first and topics[-1] == "v2.users.%s.presence" % last, topics
queries = [e["body"] for e in log if e["path"] == "/api/v2/analytics/users/details/query"
           and e["body"]["paging"]["pageNumber"] == 1]
assert len(queries) == 1, queries
ids = [p["value"] for p in queries[0]["userFilters"][0]["predicates"]]
assert queries[0]["interval"].startswith(sys.argv[3] + "/"), queries[0]["interval"]
assert (len(ids), ids[0], ids[-1]) == (5, first, last), ids' "$first" "$last" "$MIDNIGHT" ||
    fail "the stream did not send what its plan said"
echo ok
