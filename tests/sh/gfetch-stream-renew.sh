# Channel lifetime: channels of the fake live 6 s here.  gfetch stream
# renews each when a tenth of its life remains (a new channel, the same
# subscriptions, a new socket, then the old one closed): no disconnected,
# no missing event.  Also: queue observations, --queue members, and a
# rejected topic (an error naming topic, user and permission, or with
# --ignore-rejected a warning and on).
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 6 --seed 7 --channel-ttl 6

queue=$(curl -s -f -u "$GENESYSCLOUD_OAUTHCLIENT_ID:$SECRET" -d grant_type=client_credentials "$FAKE/oauth/token" |
    py 'print(json.load(sys.stdin)["access_token"])' > token.txt
    curl -s -f -H "Authorization: Bearer $(cat token.txt)" "$FAKE/api/v2/routing/queues" |
    py 'print(json.load(sys.stdin)["entities"][0]["id"])')
rm -f token.txt

start_stream live.ndjson --queue-observations "$queue"
wait_lines live.ndjson '"type":"resync_end"' 1
# three lifetimes
channels() {
    fake_log | py 'print(sum(1 for e in json.load(sys.stdin) if e["method"] == "POST" and e["path"] == "/api/v2/notifications/channels"))'
}
i=0
while [ "$(channels)" -lt 4 ]; do
    i=$((i + 1)); [ $i -lt 600 ] || fail "channels were not renewed: $(channels)"; sleep 0.1
done
if grep -q '"type":"disconnected"' live.ndjson; then fail "renewal wrote $(grep disconnected live.ndjson)"; fi
grep -q "\"type\":\"queue\",\"org\":\"test\",\"at\":\"[^\"]*\",\"queue_id\":\"$queue\",\"metric\":\"oInteracting\",\"qualifier\":\"voice\",\"count\":" live.ndjson ||
    fail "no queue observation record"
check_archive live.ndjson

# --queue: the queue's members are the users followed.
gfetch --api-url "$FAKE" --login-url "$FAKE" --page-delay 0 stream --queue "$queue" --org test \
    --from "$MIDNIGHT" > q.ndjson 2> q.err &
QPID=$!
SPID=$QPID
wait_lines q.ndjson '"type":"resync_start"' 1
SPID=
kill -TERM $QPID; wait $QPID || fail "--queue: exit status $?"
fake_log | py '
log = json.load(sys.stdin)
assert any("/routing/queues/" in e["path"] and e["path"].endswith("/members") for e in log)' || fail "--queue: members not asked"

# A rejected topic: an error that names the topic, the user and the permission.
user=$(head -1 users.txt)
fake_post /_fake/faults "[{\"fault\": \"reject_topic\", \"topic\": \"$user.presence\", \"permissions\": [\"presence:userPresence:view\"]}]"
if gf stream --users users.txt --org test > rej.ndjson 2> rej.err; then fail "a rejected topic was accepted"; fi
grep -q "v2.users.$user.presence (user $user) was rejected: .*missing permission: presence:userPresence:view (--ignore-rejected" rej.err ||
    fail "rejected topic message: $(cat rej.err)"
gfetch --api-url "$FAKE" --login-url "$FAKE" --page-delay 0 stream --users users.txt --org test \
    --ignore-rejected > ign.ndjson 2> ign.err &
SPID=$!
wait_lines ign.ndjson '"type":"resync_end"' 1
stop_stream
grep -q "going on without it (--ignore-rejected)" ign.err || fail "--ignore-rejected: no warning: $(cat ign.err)"
exit 0
