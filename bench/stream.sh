#!/bin/sh
# make bench, gfetch stream part: how many events a second gfetch stream
# turns into records, and its peak RSS.  The fake Genesys Cloud pre-builds
# a burst of BENCH_EVENTS routing-status events (default 200000) and writes
# them as raw WebSocket frames at once, so the client is what is measured.
# The rate is events per CPU second of gfetch (user + system time from
# /proc, so a loaded machine does not skew it); wall time is reported too.
#
#   BIN=bin sh bench/stream.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BIN=${BIN:-$root/bin}
PATH=$BIN:$PATH
events=${BENCH_EVENTS:-200000}
today=$(date -u +%Y-%m-%d)

python=
for py in /usr/bin/python3 python3; do
    if "$py" -c 'import websockets' 2>/dev/null; then python=$py; break; fi
done
[ -n "$python" ] || { echo "bench/stream: needs python3-websockets (make deps)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-bench-stream.XXXXXX")
fake_pid=
stream_pid=
cleanup() {
    [ -n "$stream_pid" ] && kill "$stream_pid" 2>/dev/null && wait "$stream_pid" 2>/dev/null
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

"$python" "$root/tests/fake-genesys/server.py" --port 0 --port-file "$work/port" --agents 40 --days 2 \
    --from "$today" --clock "${today}T00:00:01Z" --speed 1 --heartbeat 5 > "$work/url" 2> "$work/fake.err" &
fake_pid=$!
while [ ! -s "$work/port" ]; do
    kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fake.err" >&2; exit 1; }
    sleep 0.1
done
url=http://127.0.0.1:$(cat "$work/port")
GENESYSCLOUD_OAUTHCLIENT_ID=gpulse-test-client
GENESYSCLOUD_OAUTHCLIENT_SECRET=gpulse-test-secret
export GENESYSCLOUD_OAUTHCLIENT_ID GENESYSCLOUD_OAUTHCLIENT_SECRET
gfetch --api-url "$url" --login-url "$url" users --csv > "$work/roster.csv"

gfetch --api-url "$url" --login-url "$url" --page-delay 0 stream --roster "$work/roster.csv" --org bench \
    --from "${today}T00:00:00Z" > "$work/out.ndjson" &
stream_pid=$!
while ! grep -q '"type":"resync_end"' "$work/out.ndjson" 2>/dev/null; do sleep 0.1; done
before=$(grep -c '"user_id"' "$work/out.ndjson" || true)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$stream_pid/stat"; }
t0=$(cpu_ticks)
w0=$(date +%s.%N)
"$python" -c '
import json, sys, urllib.request
r = urllib.request.Request(sys.argv[1] + "/_fake/stream", method="POST",
                           data=json.dumps({"action": "burst", "count": int(sys.argv[2])}).encode())
urllib.request.urlopen(r).read()' "$url" "$events"
want=$((before + events))
while [ "$(grep -c '"user_id"' "$work/out.ndjson")" -lt "$want" ]; do
    sleep 0.2
done
w1=$(date +%s.%N)
t1=$(cpu_ticks)
rss=$(awk '/^VmHWM/ {print $2}' "/proc/$stream_pid/status")
kill -TERM "$stream_pid"
wait "$stream_pid"
stream_pid=
hz=$(getconf CLK_TCK)
awk -v n="$events" -v t="$((t1 - t0))" -v hz="$hz" -v w0="$w0" -v w1="$w1" -v rss="$rss" 'BEGIN {
    cpu = t / hz; if (cpu <= 0) cpu = 1 / hz
    printf "gfetch stream: %d events from the fake in %.2f s of CPU (%.2f s wall, burst building included): " \
           "%.0f events/s per CPU second (target 50000); peak RSS %.1f MB\n", n, cpu, w1 - w0, n / cpu, rss / 1024
}'
