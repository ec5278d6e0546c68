#!/bin/sh
# make live-demo: gfetch stream against the fake Genesys Cloud's WebSocket
# side, for a minute of accelerated time (the fake's clock runs
# LIVE_SPEED times faster than real time from 08:00 UTC today), into
# `glive --term` when bin/glive exists, else a one-line summary of what
# came.  make live-heat (LIVE_SERVE=ADDR:PORT) ends the pipeline in
# `glive | gheat --serve ADDR:PORT` instead and prints the page's URL.
# The fake is stopped at the end, whatever happens.
#
#   BIN=bin sh examples/live-demo.sh
#   LIVE_SERVE=127.0.0.1:8080 BIN=bin sh examples/live-demo.sh
#
# Settings (environment): LIVE_SECONDS (default 60), LIVE_SPEED (60),
# LIVE_AGENTS (40), LIVE_SERVE (unset: the terminal).  Needs Debian's
# python3-websockets; nothing leaves 127.0.0.1 (unless LIVE_SERVE names
# another address).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BIN=${BIN:-$root/bin}
PATH=$BIN:$PATH
export PATH
seconds=${LIVE_SECONDS:-60}
speed=${LIVE_SPEED:-60}
agents=${LIVE_AGENTS:-40}
today=$(date -u +%Y-%m-%d)
yesterday=$(date -u -d "$today -1 day" +%Y-%m-%d)

python=
for py in /usr/bin/python3 python3; do
    if "$py" -c 'import websockets' 2>/dev/null; then python=$py; break; fi
done
[ -n "$python" ] || { echo "live-demo: needs python3-websockets (make deps)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-live.XXXXXX")
fake_pid=
stream_pid=
heat_pid=
cleanup() {
    [ -n "$stream_pid" ] && kill "$stream_pid" 2>/dev/null && wait "$stream_pid" 2>/dev/null
    [ -n "$heat_pid" ] && kill "$heat_pid" 2>/dev/null && wait "$heat_pid" 2>/dev/null
    if [ -n "$fake_pid" ]; then
        kill "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$python" "$root/tests/fake-genesys/server.py" --port 0 --port-file "$work/port" --agents "$agents" \
    --days 3 --from "$yesterday" --clock "${today}T08:00:00Z" --speed "$speed" --heartbeat 5 \
    > "$work/url" 2> "$work/fake.err" &
fake_pid=$!
tries=0
while [ ! -s "$work/port" ]; do
    if ! kill -0 "$fake_pid" 2>/dev/null; then
        echo "live-demo: the fake Genesys Cloud did not start:" >&2; cat "$work/fake.err" >&2; fake_pid=; exit 1
    fi
    tries=$((tries + 1))
    [ "$tries" -le 300 ] || { echo "live-demo: the fake did not start in 30 s" >&2; exit 1; }
    sleep 0.1
done
url=http://127.0.0.1:$(cat "$work/port")
echo "live-demo: fake Genesys Cloud at $url, $agents agents, clock from ${today}T08:00Z at ${speed}x," \
    "for $seconds s" >&2

GENESYSCLOUD_OAUTHCLIENT_ID=gpulse-test-client
GENESYSCLOUD_OAUTHCLIENT_SECRET=gpulse-test-secret
export GENESYSCLOUD_OAUTHCLIENT_ID GENESYSCLOUD_OAUTHCLIENT_SECRET
gfetch --api-url "$url" --login-url "$url" users --csv > "$work/roster.csv"

if [ -n "${LIVE_SERVE:-}" ]; then
    mkfifo "$work/live"
    gfetch --api-url "$url" --login-url "$url" --page-delay 0 stream --roster "$work/roster.csv" --org demo \
        --from "${today}T00:00:00Z" > "$work/live" &
    stream_pid=$!
    glive < "$work/live" | gheat --serve "$LIVE_SERVE" --roster "$work/roster.csv" --title "live demo" \
        2> "$work/heat.err" &
    heat_pid=$!
    tries=0
    until grep -q 'serving http' "$work/heat.err" 2>/dev/null; do
        kill -0 "$heat_pid" 2>/dev/null || { cat "$work/heat.err" >&2; exit 1; }
        tries=$((tries + 1))
        [ "$tries" -le 300 ] || { echo "live-demo: gheat did not start serving" >&2; exit 1; }
        sleep 0.1
    done
    page=$(sed -n 's/.*serving \(http:[^ ]*\)/\1/p' "$work/heat.err")
    echo "live-demo: the live heatmap is at $page (for $seconds s; the events: $page""events)"
    sleep "$seconds"
    kill -TERM "$stream_pid"
    wait "$stream_pid" || { echo "live-demo: gfetch stream failed" >&2; exit 1; }
    stream_pid=
    kill -TERM "$heat_pid" 2>/dev/null || true
    wait "$heat_pid" 2>/dev/null || true
    heat_pid=
    grep -v 'serving http' "$work/heat.err" >&2 || true
elif [ -x "$BIN/glive" ]; then
    mkfifo "$work/live"
    gfetch --api-url "$url" --login-url "$url" --page-delay 0 stream --roster "$work/roster.csv" --org demo \
        --from "${today}T00:00:00Z" > "$work/live" &
    stream_pid=$!
    ( sleep "$seconds"; kill -TERM "$stream_pid" 2>/dev/null ) &
    glive --term < "$work/live" || true
    wait "$stream_pid" 2>/dev/null || true
    stream_pid=
else
    gfetch --api-url "$url" --login-url "$url" --page-delay 0 stream --roster "$work/roster.csv" --org demo \
        --from "${today}T00:00:00Z" > "$work/archive.ndjson" &
    stream_pid=$!
    sleep "$seconds"
    kill -TERM "$stream_pid"
    wait "$stream_pid" || { echo "live-demo: gfetch stream failed" >&2; exit 1; }
    stream_pid=
    a=$work/archive.ndjson
    events=$(grep -c '"user_id"' "$a" || true)
    users=$(grep -o '"user_id":"[^"]*"' "$a" | sort -u | wc -l)
    beats=$(grep -c '"type":"heartbeat"' "$a" || true)
    drops=$(grep -c '"type":"disconnected"' "$a" || true)
    occ=$(gsort "$a" | gdedupe | gshift | goccupy --from "${today}T00:00:00Z" |
        grep -o '"occupancy":[0-9.]*' | awk -F: '{s += $2; n++} END {if (n) printf "%.1f%%", 100 * s / n; else print "-"}')
    echo "live-demo: $events point events for $users agents, $beats heartbeats, $drops disconnected (the last one: stopped); mean occupancy so far $occ"
fi
