# gfetch stream through the fake's WebSocket faults, one stream for all of
# them: messages in 7-byte fragments, duplicated and out of order, a 1 MB
# message; a close frame 1001 and a TCP reset (each: `disconnected` with
# the reason, then a reconnect and a re-sync by itself); socket_closing
# (make before break: a new socket, no `disconnected`); token_revoked,
# no_longer_subscribed (a new channel, a new token, no `disconnected`).
# Afterwards the archive through gsort | gdedupe | gshift | goccupy equals
# gfetch details: nothing lost, nothing counted twice.
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 6 --seed 5
fake_stream '{"action": "mode", "fragments": 7, "duplicates": true, "out_of_order": true}'

stream_info() {
    py '
import urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1]))[sys.argv[2]])' "$FAKE/_fake/stream" "$1"
}
channels_created() {
    fake_log | py 'print(sum(1 for e in json.load(sys.stdin) if e["method"] == "POST" and e["path"] == "/api/v2/notifications/channels"))'
}
disconnects() { grep -c '"type":"disconnected"' live.ndjson || true; }

start_stream live.ndjson
wait_lines live.ndjson '"type":"resync_end"' 1
wait_lines live.ndjson '"type":"heartbeat"' 2

# A 1 MB message (in 7-byte fragments): taken whole, the socket lives on.
fake_stream '{"action": "big"}'
beats=$(grep -c '"heartbeat"' live.ndjson)
wait_lines live.ndjson '"heartbeat"' $((beats + 3))
[ "$(disconnects)" -eq 0 ] || fail "the 1 MB message broke the socket: $(grep disconnected live.ndjson)"

# Close frame 1001.
fake_stream '{"action": "close", "code": 1001}'
wait_lines live.ndjson '"type":"disconnected"' 1 30
grep '"type":"disconnected"' live.ndjson | sed -n 1p | grep -q '"reason":"close frame 1001 (going away)"' ||
    fail "close 1001: $(grep disconnected live.ndjson)"
wait_lines live.ndjson '"type":"resync_end"' 2

# A TCP reset.
fake_stream '{"action": "reset"}'
wait_lines live.ndjson '"type":"disconnected"' 2 30
grep '"type":"disconnected"' live.ndjson | sed -n 2p | grep -q '"reason":"connection reset"' ||
    fail "reset: $(grep disconnected live.ndjson | sed -n 2p)"
wait_lines live.ndjson '"type":"resync_end"' 3

# wait_more WHAT COMMAND BEFORE: until COMMAND prints more than BEFORE
wait_more() {
    i=0
    while [ "$($2)" -le "$3" ]; do
        i=$((i + 1)); [ $i -lt 300 ] || fail "$1: nothing new after 30 s"; sleep 0.1
    done
}

# socket_closing: a new socket before the old one closes; no disconnected.
before=$(stream_info connections)
fake_stream '{"action": "socket_closing", "close_after": 1.0}'
wait_more socket_closing "stream_info connections" "$before"
beats=$(grep -c '"heartbeat"' live.ndjson)
wait_lines live.ndjson '"heartbeat"' $((beats + 4))
[ "$(disconnects)" -eq 2 ] || fail "socket_closing wrote disconnected: $(grep disconnected live.ndjson | tail -1)"

# token_revoked, then no_longer_subscribed: each a new channel, no disconnected.
for action in token_revoked no_longer_subscribed; do
    before=$(channels_created)
    fake_stream "{\"action\": \"$action\"}"
    wait_more "$action" channels_created "$before"
    beats=$(grep -c '"heartbeat"' live.ndjson)
    wait_lines live.ndjson '"heartbeat"' $((beats + 3))
    [ "$(disconnects)" -eq 2 ] || fail "$action wrote disconnected: $(grep disconnected live.ndjson | tail -1)"
done
fake_log | py '
log = json.load(sys.stdin)
assert sum(1 for e in log if e["path"] == "/oauth/token") >= 2, "no new token after token_revoked"' ||
    fail "token_revoked: no new login"

check_archive live.ndjson
exit 0
