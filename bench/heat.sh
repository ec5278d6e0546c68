#!/bin/sh
# make bench, gheat's part: 10,000 agents, a glive tick every 100 ms that
# changes every agent (100,000 agent records a second: more than glive
# writes for 100,000 events a second, since it writes only the agents that
# changed) into `gheat --serve`.  Measures, over BENCH_HEAT_SECONDS (default
# 20): the frames a browser's event stream receives per second (must be at
# most 2), and gheat's resident memory (must stay flat: it holds one entry
# per agent).  The feed is glive's records (agent rows and ticks) made by
# a script at that rate, not glive itself: it measures gheat alone.
#   BIN=bin sh bench/heat.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${BIN:-$here/../bin}" && pwd)
seconds=${BENCH_HEAT_SECONDS:-20}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-heat-bench.XXXXXX")
# set -e is on: a kill of a process that has already ended must not end the
# trap before the clean-up (nor turn a finished run into a failure)
trap 'kill "$server" "$reader" 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
say() { printf 'bench: %s\n' "$*" >&2; }

# The feed: ticks of 10,000 agent records, every 100 ms, for the whole run.
feed() {
    python3 - "$seconds" <<'PY'
import json, sys, time
agents, every, seconds = 10000, 0.1, float(sys.argv[1])
def tick(step):
    lines = []
    for i in range(agents):
        occ = ((i * 7 + step) % 100) / 100
        lines.append(json.dumps({"type": "agent", "org": "us", "user_id": "u%05d" % i, "period": "2026-11-16",
                                 "name": "Agent %d" % i, "cohort": "c%d" % (i % 12), "tenure_days": 1 + i % 3000,
                                 "occupancy": occ, "nrt_rate": 0.01, "stale": False}))
    lines.append(json.dumps({"type": "tick", "seq": step, "at": "2026-11-16T14:00:00.000Z", "agents": agents,
                             "occupancy": 0.7, "orgs": {"us": {"status": "live"}}}))
    return ("\n".join(lines) + "\n").encode()
frames = [tick(s) for s in range(4)]
out, start, step = sys.stdout.buffer, time.time(), 0
try:
    while time.time() - start < seconds:
        out.write(frames[step % 4]); out.flush()
        step += 1
        time.sleep(max(0, start + step * every - time.time()))
except BrokenPipeError:  # gheat is stopped when the measuring ends
    sys.stderr.close()
PY
}

say "gheat --serve: 10,000 agents, a tick every 100 ms, ${seconds}s"
mkfifo "$tmp/ticks"
feed > "$tmp/ticks" &
"$BIN/gheat" --serve 127.0.0.1:0 --size 1920x1080 < "$tmp/ticks" 2> "$tmp/gheat.err" &
server=$!
sleep 1
url=$(sed -n 's/.*serving \(http:[^ ]*\)/\1/p' "$tmp/gheat.err")
[ -n "$url" ] || { cat "$tmp/gheat.err" >&2; exit 1; }
curl -sN --max-time "$((seconds - 2))" "${url}events" > "$tmp/events" &
reader=$!
peak=0
rss_first=""
i=0
while [ $i -lt $((seconds - 2)) ]; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")
    [ -z "$rss_first" ] && [ $i -ge 3 ] && rss_first=$rss
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 1
    i=$((i + 1))
done
wait "$reader" || true
frames=$(grep -c '^event: frame' "$tmp/events" || true)
bytes=$(wc -c < "$tmp/events")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")
kill "$server"
wait "$server" 2>/dev/null || true
rate=$(awk -v f="$frames" -v s="$((seconds - 2))" 'BEGIN { printf "%.2f", f / s }')
cat <<EOF2
## gheat --serve under a storm (bench/heat.sh)

| figure | value |
| --- | --- |
| agents, ticks | 10,000 agents, a tick every 100 ms (100,000 agent records/s) for ${seconds} s |
| frames received on /events | $frames in $((seconds - 2)) s = $rate per second (limit 2) |
| event stream bytes | $bytes |
| gheat RSS | $((rss_first / 1024)) MiB at 3 s, $((peak / 1024)) MiB peak sampled, VmHWM $((hwm / 1024)) MiB |
EOF2
awk -v r="$rate" 'BEGIN { exit !(r <= 2.0) }' || { say "more than 2 frames a second"; exit 1; }
