# Sourced by tests/sh/gfetch-stream*.sh: the fake with its WebSocket side
# and an accelerated clock, gfetch stream in the background, waits that poll
# (never sleeps that assume a speed: the machine may be loaded), and the
# check that an archive equals gfetch details.
#
#   start_stream_fake [server options]  the fake at today 09:00 UTC, --speed 120,
#                                     heartbeats every 0.5 s
#   start_stream OUT [gfetch options] gfetch stream -> OUT in the background (SPID)
#   wait_lines FILE PATTERN N [SECS]  until FILE has N lines matching PATTERN
#   stop_stream                       SIGTERM; its exit status must be 0
#   wait_stream                       wait for the stream to end: status, took
#                                     (seconds since $started)
#   fake_stream JSON                  a fault action on the live sockets
#   check_archive ARCHIVE             pause the clock, let the stream catch up,
#                                     stop it, and compare ARCHIVE through
#                                     gsort | gdedupe | gshift | goccupy with
#                                     gfetch details for the same users and window
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"

if ! "$FAKE_PYTHON" -c 'import websockets' 2>/dev/null; then
    echo "python3-websockets is missing (tests/deps.sh installs it)"
    exit 1
fi

TODAY=$(date -u +%Y-%m-%d)
YESTERDAY=$(date -u -d "$TODAY -1 day" +%Y-%m-%d)
MIDNIGHT=${TODAY}T00:00:00.000Z
SPID=

start_stream_fake() {
    start_fake --from "$YESTERDAY" --days 3 --clock "${TODAY}T09:00:00Z" --speed 120 --heartbeat 0.5 "$@"
    curl -s -f -u "$GENESYSCLOUD_OAUTHCLIENT_ID:$SECRET" -d grant_type=client_credentials "$FAKE/oauth/token" |
        py 'print(json.load(sys.stdin)["access_token"])' > token.txt
    curl -s -f -H "Authorization: Bearer $(cat token.txt)" "$FAKE/api/v2/users?pageSize=500" |
        py 'for e in json.load(sys.stdin)["entities"]: print(e["id"])' > users.txt
    rm -f token.txt
}

start_stream() {
    out=$1
    shift
    # gfetch itself, not the gf function: $! must be its process
    gfetch --api-url "$FAKE" --login-url "$FAKE" --page-delay 0 stream --org test --from "$MIDNIGHT" \
        --users users.txt --ping-after 1 --heartbeat-timeout 2 "$@" > "$out" 2>> stream.err &
    SPID=$!
}

# wait_lines FILE PATTERN N [SECS]
wait_lines() {
    limit=$(( ${4:-60} * 10 ))
    i=0
    while [ "$(grep -c -- "$2" "$1" 2>/dev/null || true)" -lt "$3" ]; do
        i=$((i + 1))
        if [ $i -gt $limit ]; then
            echo "FAIL: waited ${4:-60} s for $3 lines matching $2 in $1; got $(grep -c -- "$2" "$1" || true)"
            echo "--- stream.err"; cat stream.err
            exit 1
        fi
        if [ -n "$SPID" ] && ! kill -0 "$SPID" 2>/dev/null; then
            echo "FAIL: gfetch stream ended early"; cat stream.err; exit 1
        fi
        sleep 0.1
    done
}

stop_stream() {
    kill -TERM "$SPID"
    status=0
    wait "$SPID" || status=$?
    SPID=
    [ "$status" -eq 0 ] || fail "gfetch stream exited $status after SIGTERM: $(cat stream.err)"
}

# wait_stream: wait for gfetch stream ($SPID) to end by itself or by a
# signal already sent; sets status (its exit status) and took (seconds
# since $started).
wait_stream() {
    status=0
    wait "$SPID" || status=$?
    SPID=
    took=$(( $(date +%s) - started ))
}

fake_stream() {
    fake_post /_fake/stream "$1"
}

fake_clock() {
    py '
import urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1]))["iso"])' "$FAKE/_fake/clock"
}

check_archive() {
    archive=$1
    fake_post /_fake/clock '{"action": "pause"}'
    until_time=$(fake_clock)
    # Heartbeats follow the events in each socket's queue: two more after
    # the pause and every event up to it has arrived.
    beats=$(grep -c '"heartbeat"' "$archive" || true)
    wait_lines "$archive" '"heartbeat"' $((beats + 2))
    stop_stream
    tail -1 "$archive" | grep -q '"reason":"stopped"' || fail "the last record is not disconnected/stopped"
    gsort "$archive" | gdedupe | gshift | goccupy --from "$MIDNIGHT" --to "$until_time" > live.occ
    gf details --users users.txt --org test --from "$MIDNIGHT" --to "$until_time" |
        gdedupe | gshift | goccupy --from "$MIDNIGHT" --to "$until_time" > batch.occ
    [ -s batch.occ ] || fail "gfetch details gave no rows"
    diff batch.occ live.occ > occ.diff || fail "the archive and gfetch details disagree: $(head -c 600 occ.diff)"
}
