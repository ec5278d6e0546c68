# gfetch stream --queue follows the queue's membership through
# v2.routing.queues.{id}.users: a user added to the queue gets its topics
# subscribed and a re-sync baseline of its own; a member removed is
# unsubscribed and no longer written.  Where that topic is rejected, a
# warning says membership changes are not followed, and the stream goes on.
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 8 --seed 13

api() {
    curl -s -f -u "$GENESYSCLOUD_OAUTHCLIENT_ID:$SECRET" -d grant_type=client_credentials "$FAKE/oauth/token" |
        py 'print(json.load(sys.stdin)["access_token"])' > token.txt
    curl -s -f -H "Authorization: Bearer $(cat token.txt)" "$FAKE$1"
    rm -f token.txt
}
queue=$(api /api/v2/routing/queues | py 'print(json.load(sys.stdin)["entities"][0]["id"])')
api "/api/v2/routing/queues/$queue/members?pageSize=100" | py 'for e in json.load(sys.stdin)["entities"]: print(e["id"])' |
    sort > members.txt
sort users.txt | comm -23 - members.txt > others.txt
[ -s members.txt ] && [ -s others.txt ] || fail "the fake's queue: $(wc -l < members.txt) members, $(wc -l < others.txt) others"
joiner=$(head -1 others.txt)
leaver=$(head -1 members.txt)

# the users whose topics the last subscription PUT named
subscribed() {
    fake_log | py '
puts = [e for e in json.load(sys.stdin) if e["method"] == "PUT" and e["path"].endswith("/subscriptions")]
for t in puts[-1]["body"]:
    p = t["id"].split(".")
    if p[1] == "users": print(p[2])
    else: print(t["id"])' | sort -u
}
puts() {
    fake_log | py 'print(sum(1 for e in json.load(sys.stdin) if e["method"] == "PUT" and e["path"].endswith("/subscriptions")))'
}
wait_puts() {
    i=0
    while [ "$(puts)" -lt "$1" ]; do
        i=$((i + 1)); [ $i -lt 300 ] || fail "no subscription change after 30 s: $(cat stream.err)"; sleep 0.1
    done
}

gfetch --api-url "$FAKE" --login-url "$FAKE" --page-delay 0 stream --queue "$queue" --org test \
    --from "$MIDNIGHT" --ping-after 1 --heartbeat-timeout 2 -v > live.ndjson 2> stream.err &
SPID=$!
wait_lines live.ndjson '"type":"resync_end"' 1
# at start: the members and the queue's membership topic, nobody else
subscribed > sub0.txt
{ cat members.txt; echo "v2.routing.queues.$queue.users"; } | sort > want0.txt
diff want0.txt sub0.txt > sub.diff || fail "subscriptions at start: $(cat sub.diff)"
if grep -q "\"user_id\":\"$joiner\"" live.ndjson; then fail "$joiner was written before joining"; fi

# a user joins: subscribed, and a re-sync of that user alone
fake_stream "{\"action\": \"queue_member\", \"queue\": \"$queue\", \"user\": \"$joiner\", \"joined\": true}"
wait_lines live.ndjson '"type":"resync_start".*"users":1' 1 30
wait_lines live.ndjson '"type":"resync_end"' 2 30
grep -q "\"user_id\":\"$joiner\"" live.ndjson || fail "no baseline for $joiner"
subscribed > sub1.txt
{ cat want0.txt; echo "$joiner"; } | sort > want1.txt
diff want1.txt sub1.txt > sub.diff || fail "subscriptions after the join: $(cat sub.diff)"
grep -q "following user $joiner (joined a queue)" stream.err || fail "-v: $(cat stream.err)"

# a member leaves: unsubscribed, and nothing more of it is written
n=$(puts)
fake_stream "{\"action\": \"queue_member\", \"queue\": \"$queue\", \"user\": \"$leaver\", \"joined\": false}"
wait_puts $((n + 1))
subscribed > sub2.txt
grep -v -x -- "$leaver" want1.txt > want2.txt
diff want2.txt sub2.txt > sub.diff || fail "subscriptions after the leave: $(cat sub.diff)"
lines=$(wc -l < live.ndjson)
beats=$(grep -c '"heartbeat"' live.ndjson || true)
wait_lines live.ndjson '"heartbeat"' $((beats + 6))
tail -n +$((lines + 1)) live.ndjson | grep -q "\"user_id\":\"$leaver\"" && fail "$leaver written after leaving"
# the other members still come through (the clock runs at 120x)
others=$(tail -n +$((lines + 1)) live.ndjson | grep -c '"user_id"' || true)
stop_stream
grep -q "no longer following user $leaver" stream.err || fail "-v: $(cat stream.err)"
[ "$others" -gt 0 ] || fail "no events after the leave at all"

# not granted: a warning, and the stream goes on with the members as read
fake_post /_fake/faults "[{\"fault\": \"reject_topic\", \"topic\": \"v2.routing.queues.\", \"permissions\": [\"routing:queue:view\"]}]"
: > stream.err
gfetch --api-url "$FAKE" --login-url "$FAKE" --page-delay 0 stream --queue "$queue" --org test \
    --from "$MIDNIGHT" > rej.ndjson 2> stream.err &
SPID=$!
wait_lines rej.ndjson '"type":"resync_end"' 1
beats=$(grep -c '"heartbeat"' rej.ndjson || true)
wait_lines rej.ndjson '"heartbeat"' $((beats + 2))
stop_stream
grep -q "^gfetch: channel 1: the subscription to v2.routing.queues.$queue.users was rejected: .*missing permission: routing:queue:view; the queue's membership changes are not followed" stream.err ||
    fail "warning: $(cat stream.err)"
grep -q "\"user_id\":\"$(sed -n 2p members.txt)\"" rej.ndjson || fail "the members were not followed"
echo ok
