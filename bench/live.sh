#!/bin/sh
# make bench, glive part: the speed and size targets of glive (issue 11).
#   1. the event path: a day's archive (1,000,000 point events, about
#      10,000 agents) replayed with --replay --speed max --every 1d into
#      /dev/null; events per CPU second (user + system, so that a loaded
#      machine does not skew it);
#   2. an event storm, live: bench/live_storm.py writes BENCH_STORM_RATE
#      events a second (default 150,000: more than the 100,000 target, since
#      the rate taken can never exceed the rate offered) for
#      BENCH_STORM_SECONDS (default 10) over 10,000 agents into a FIFO,
#      glive --every 100ms --stats reads it; the rate achieved, the worst
#      tick lag glive measured, its CPU time and peak RSS;
#   3. memory: 50,000 agents over a day replayed with --every 1h --full.
# BENCH_RUNS runs of each (default 3), the median reported; a Markdown
# table on standard output.
#
#   BIN=bin sh bench/live.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BIN=${BIN:-$root/bin}
PATH=$BIN:$PATH
runs=${BENCH_RUNS:-3}
storm_seconds=${BENCH_STORM_SECONDS:-10}
storm_rate_offered=${BENCH_STORM_RATE:-150000}
data=${BENCH_DATA:-$root/bench/data}
[ -x /usr/bin/time ] || { echo "bench/live: needs GNU time (Debian package time)" >&2; exit 1; }
mkdir -p "$data"
work=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-bench-live.XXXXXX")
feeder_pid=
cleanup() {
    [ -n "$feeder_pid" ] && kill "$feeder_pid" 2>/dev/null && wait "$feeder_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# 1. the event path
archive=$data/live-1m.ndjson
if [ ! -s "$archive" ]; then
    ggen --days 1 --point-events --segments 1000000 --org us | gsort --time > "$archive.tmp"
    mv "$archive.tmp" "$archive"
fi
events=$(wc -l < "$archive")
cat "$archive" > /dev/null # into the page cache
i=0
while [ $i -lt "$runs" ]; do
    /usr/bin/time -f '%U %S %M' -o "$work/time" glive --replay --speed max --every 1d "$archive" > /dev/null
    awk -v n="$events" '{ printf "%.0f %.2f %d\n", n / ($1 + $2), $1 + $2, $3 }' "$work/time" >> "$work/replay"
    i=$((i + 1))
done
replay_rate=$(cut -d' ' -f1 "$work/replay" | median)
replay_cpu=$(cut -d' ' -f2 "$work/replay" | median)
replay_rss=$(cut -d' ' -f3 "$work/replay" | median)

# 2. the storm
i=0
while [ $i -lt "$runs" ]; do
    rm -f "$work/fifo"
    mkfifo "$work/fifo"
    python3 "$here/live_storm.py" "$storm_rate_offered" "$storm_seconds" 10000 > "$work/fifo" 2> "$work/feeder" &
    feeder_pid=$!
    /usr/bin/time -f '%U %S %M' -o "$work/time" glive --every 100ms --stats "$work/fifo" > "$work/ticks" 2> "$work/stats"
    wait "$feeder_pid"
    feeder_pid=
    ticks=$(grep -c '"type":"tick"' "$work/ticks")
    agent_records=$(grep -c '"type":"agent"' "$work/ticks")
    lag=$(sed -n 's/.*worst tick lag \([0-9.]*\) ms.*/\1/p' "$work/stats")
    read -r written seconds < "$work/feeder"
    read -r user sys rss < "$work/time"
    echo "$written $seconds $lag $user $sys $rss $ticks $agent_records" |
        awk '{ printf "%.0f %s %.2f %d %d %d\n", $1 / $2, $3, $4 + $5, $6, $7, $8 }' >> "$work/storm"
    i=$((i + 1))
done
storm_rate=$(cut -d' ' -f1 "$work/storm" | median)
storm_lag=$(cut -d' ' -f2 "$work/storm" | median)
storm_lag_max=$(cut -d' ' -f2 "$work/storm" | sort -n | tail -n 1)
storm_cpu=$(cut -d' ' -f3 "$work/storm" | median)
storm_rss=$(cut -d' ' -f4 "$work/storm" | median)
storm_ticks=$(cut -d' ' -f5 "$work/storm" | median)
storm_records=$(cut -d' ' -f6 "$work/storm" | median)

# 3. 50,000 agents over a day
big=$data/live-50k-agents.ndjson
if [ ! -s "$big" ]; then
    ggen --agents 50000 --days 1 --point-events --org us | gsort --time > "$big.tmp"
    mv "$big.tmp" "$big"
fi
big_events=$(wc -l < "$big")
/usr/bin/time -f '%U %S %M' -o "$work/time" glive --replay --speed max --every 1h --full "$big" > /dev/null
read -r user sys big_rss < "$work/time"

mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = dir == "min" ? v >= t : v <= t; print ok ? "met" : "NOT met" }'; }
cat <<REPORT
## glive ($(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $runs runs)

| measure | figure | target | |
| --- | --- | --- | --- |
| replay, --speed max --every 1d, $events events: events per CPU second | $replay_rate ($replay_cpu s CPU) | >= 1,000,000 | $(verdict "$replay_rate" 1000000 min) |
| storm, live --every 100ms, $storm_rate_offered events/s offered for ${storm_seconds}s: events/s taken | $storm_rate ($storm_cpu s CPU; $storm_ticks ticks, $storm_records agent records) | >= 100,000 | $(verdict "$storm_rate" 100000 min) |
| storm: worst tick lag (median run; worst run) | $storm_lag ms; $storm_lag_max ms | <= 50 ms | $(verdict "$storm_lag_max" 50 max) |
| replay peak RSS ($events events, 10,000 agents) | $(mib "$replay_rss") | | |
| storm peak RSS (10,000 agents) | $(mib "$storm_rss") | | |
| 50,000 agents over a day ($big_events events, --every 1h --full): peak RSS | $(mib "$big_rss") | <= 64 MiB | $(verdict "$big_rss" 65536 max) |
REPORT
