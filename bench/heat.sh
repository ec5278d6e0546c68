#!/bin/sh
# make bench, gheat's part (issue 12's load test), the whole live pipeline:
#   bench/live_storm.py (100,000 events a second over 10,000 agents)
#     -> glive --every 100ms --stats -> gheat --serve 127.0.0.1:PORT
#     -> a browser-like client on /events (curl -N)
# for BENCH_HEAT_SECONDS (default 20).  Reports the frames the client
# received per second, listening from the 2nd second to the storm's end
# (must be at most 2, whatever the input rate), gheat's resident memory
# sampled every second (must stay bounded: one entry per agent, however
# many ticks), and glive's side: the events a second it took (the feeder
# slows down when glive falls behind, the pipe being full), the worst tick
# lag and the ticks it wrote.
#   BIN=bin sh bench/heat.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${BIN:-$here/../bin}" && pwd)
seconds=${BENCH_HEAT_SECONDS:-20}
[ "$seconds" -ge 5 ] || { echo "bench/heat: BENCH_HEAT_SECONDS must be at least 5" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-heat-bench.XXXXXX")
feeder= live= server= reader=
# set -e is on: a kill of a process that has already ended must not end the
# trap before the clean-up (nor turn a finished run into a failure)
trap 'kill $feeder $live $server $reader 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
say() { printf 'bench: %s\n' "$*" >&2; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

say "storm -> glive --every 100ms -> gheat --serve: 10,000 agents, 100,000 events/s, ${seconds}s"
mkfifo "$tmp/events" "$tmp/ticks"
# gheat first, so that its address is known before the storm begins
"$BIN/gheat" --serve 127.0.0.1:0 --size 1920x1080 < "$tmp/ticks" 2> "$tmp/gheat.err" &
server=$!
"$BIN/glive" --every 100ms --stats "$tmp/events" > "$tmp/ticks" 2> "$tmp/glive.err" &
live=$!
python3 "$here/live_storm.py" 100000 "$seconds" 10000 > "$tmp/events" 2> "$tmp/feeder" &
feeder=$!
i=0
url=
while [ -z "$url" ] && [ $i -lt 50 ]; do
    sleep 0.1
    url=$(sed -n 's/.*serving \(http:[^ ]*\)/\1/p' "$tmp/gheat.err")
    i=$((i + 1))
done
[ -n "$url" ] || { cat "$tmp/gheat.err" >&2; exit 1; }
# the client listens from the 2nd second until the storm has been fed
sleep 1
curl -sN "${url}events" > "$tmp/client" &
reader=$!
start=$(date +%s)
samples=
peak=0
while kill -0 "$feeder" 2>/dev/null; do
    rss=$(rss_kib "$server")
    samples="$samples $((rss / 1024))"
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 1
done
listen=$(($(date +%s) - start))
kill "$reader" 2>/dev/null || true
wait "$reader" 2>/dev/null || true
reader=
wait "$feeder" || { say "the storm feeder failed"; cat "$tmp/feeder" >&2; exit 1; }
feeder=
wait "$live" || { say "glive failed"; cat "$tmp/glive.err" >&2; exit 1; }
live=
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")
kill "$server"
wait "$server" 2>/dev/null || true
server=

frames=$(grep -c '^event: frame' "$tmp/client" || true)
bytes=$(wc -c < "$tmp/client")
rate=$(awk -v f="$frames" -v s="$listen" 'BEGIN { printf "%.2f", f / s }')
read -r written took < "$tmp/feeder"
taken=$(awk -v n="$written" -v s="$took" 'BEGIN { printf "%.0f", n / s }')
lag=$(sed -n 's/.*worst tick lag \([0-9.]*\) ms.*/\1/p' "$tmp/glive.err")
ticks=$(sed -n 's/.*ticks \([0-9]*\).*/\1/p' "$tmp/glive.err")
first=$(echo "$samples" | awk '{ print $1 }')
last=$(echo "$samples" | awk '{ print $NF }')
cat <<REPORT
## gheat --serve behind glive in a storm (bench/heat.sh; $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))

| figure | value | limit |
| --- | --- | --- |
| storm offered | 100,000 events/s over 10,000 agents for ${seconds} s | |
| glive: events/s taken | $taken ($written events in $took s) | >= 100,000 |
| glive: ticks, worst tick lag | $ticks ticks, ${lag} ms | <= 50 ms |
| frames received on /events | $frames in ${listen} s = $rate per second | <= 2 |
| event stream bytes received | $bytes | |
| gheat RSS, MiB, each second | $samples | bounded |
| gheat RSS | ${first} MiB first, ${last} MiB last, $((peak / 1024)) MiB peak sampled, VmHWM $((hwm / 1024)) MiB | |
REPORT
awk -v r="$rate" 'BEGIN { exit !(r <= 2.0) }' || { say "more than 2 frames a second"; exit 1; }
awk -v f="$frames" 'BEGIN { exit !(f >= 1) }' || { say "the client received no frame"; exit 1; }
