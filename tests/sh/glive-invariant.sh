#!/bin/sh
# THE invariant of glive: its last tick (--full) after replaying an archive
# equals gsort | gdedupe | gshift --until T | goccupy --by day on the same
# archive, T being that tick's time, field by field: generated orgs with
# day, split, night and rotating shifts, point events and segments, the
# duplicates ggen writes at 00:00 UTC, several days, two and three orgs in
# one stream, other time zones, days on which the clocks change, a gap
# other than the default, and archives whose events come out of order
# (within --tolerance), which must give the very same last tick as the
# archive in time order.
set -eu
compare=$TESTS_DIR/sh/lib/glive_compare.py
shuffle=$TESTS_DIR/sh/lib/shuffle_time.py
last_tick() { # the agent records and the tick record of the last tick
    awk '/"type":"tick"/ { before = last; last = NR } { line[NR] = $0 }
         END { for (i = before + 1; i <= last; i++) print line[i] }' "$1"
}

check() { # name, glive/gshift options, ggen arguments...
    name=$1 opts=$2
    shift 2
    ggen "$@" > "$name.ndjson"
    gsort --time "$name.ndjson" |
        glive --replay --speed max --full --every 1h $opts > "$name.ticks"
    at=$(tail -n 1 "$name.ticks" | sed 's/.*"at":"\([^"]*\)".*/\1/')
    gap=$(echo "$opts" | sed -n 's/.*--gap \([^ ]*\).*/--gap \1/p')
    rest=$(echo "$opts" | sed 's/--gap [^ ]*//')
    gsort "$name.ndjson" | gdedupe | gshift $gap --until "$at" | goccupy --by day $rest > "$name.batch"
    python3 "$compare" "$name.ticks" "$name.batch" > "$name.cmp" ||
        { echo "$name: glive differs from the batch pipeline at $at"; cat "$name.cmp"; exit 1; }
}

check points "--roster r1.csv" --agents 40 --days 1 --point-events --org us --roster r1.csv
check segments "--roster r2.csv" --agents 40 --days 2 --org us --roster r2.csv
check three-days "" --agents 60 --days 3 --point-events --seed 7
check chicago "--tz America/Chicago" --agents 30 --days 2 --point-events --seed 3
check gap-60m "--gap 60m" --agents 30 --days 2 --point-events --seed 11
# a day on which the clocks change: ggen's agents do not work on Sundays,
# so the 25-hour 2026-11-01 in Chicago (01:00-02:00 twice; local midnight
# at 05:00Z, the next at 06:00Z) is written by hand: a night shift from
# Saturday over the repeated hour (labelled Saturday), a shift that starts
# in the first 01:00 hour, a split shift whose second part ends after
# midnight UTC, a day of segments, and a duplicate.  Compared at times
# inside the repeated hour, after it, and at the end.
cat > dst.ndjson <<'EOF'
{"user_id":"u-night","presence":"ON_QUEUE","start":"2026-11-01T03:00:00.000Z"}
{"user_id":"u-night","routing_status":"IDLE","start":"2026-11-01T03:00:00.000Z"}
{"user_id":"u-night","routing_status":"INTERACTING","start":"2026-11-01T03:20:00.000Z"}
{"user_id":"u-night","routing_status":"IDLE","start":"2026-11-01T05:40:00.000Z"}
{"user_id":"u-night","routing_status":"INTERACTING","start":"2026-11-01T06:30:00.000Z"}
{"user_id":"u-night","routing_status":"IDLE","start":"2026-11-01T07:30:00.000Z"}
{"user_id":"u-night","routing_status":"INTERACTING","start":"2026-11-01T08:00:00.000Z"}
{"user_id":"u-night","routing_status":"NOT_RESPONDING","start":"2026-11-01T10:00:00.000Z"}
{"user_id":"u-night","routing_status":"IDLE","start":"2026-11-01T10:05:00.000Z"}
{"user_id":"u-night","routing_status":"OFF_QUEUE","start":"2026-11-01T12:00:00.000Z"}
{"user_id":"u-night","presence":"OFFLINE","start":"2026-11-01T12:00:00.000Z"}
{"user_id":"u-early","presence":"ON_QUEUE","start":"2026-11-01T06:10:00.000Z"}
{"user_id":"u-early","routing_status":"IDLE","start":"2026-11-01T06:10:00.000Z"}
{"user_id":"u-early","routing_status":"INTERACTING","start":"2026-11-01T06:30:00.000Z"}
{"user_id":"u-early","routing_status":"COMMUNICATING","start":"2026-11-01T07:10:00.000Z"}
{"user_id":"u-early","routing_status":"IDLE","start":"2026-11-01T07:40:00.000Z"}
{"user_id":"u-early","routing_status":"INTERACTING","start":"2026-11-01T08:10:00.000Z"}
{"user_id":"u-early","presence":"BREAK","start":"2026-11-01T08:40:00.000Z"}
{"user_id":"u-early","presence":"ON_QUEUE","start":"2026-11-01T09:00:00.000Z"}
{"user_id":"u-early","routing_status":"OFF_QUEUE","start":"2026-11-01T10:00:00.000Z"}
{"user_id":"u-early","presence":"OFFLINE","start":"2026-11-01T10:00:00.000Z"}
{"user_id":"u-split","presence":"ON_QUEUE","start":"2026-11-01T13:00:00.000Z"}
{"user_id":"u-split","routing_status":"IDLE","start":"2026-11-01T13:00:00.000Z"}
{"user_id":"u-split","routing_status":"INTERACTING","start":"2026-11-01T13:30:00.000Z"}
{"user_id":"u-split","routing_status":"IDLE","start":"2026-11-01T16:30:00.000Z"}
{"user_id":"u-split","routing_status":"OFF_QUEUE","start":"2026-11-01T17:00:00.000Z"}
{"user_id":"u-split","presence":"MEAL","start":"2026-11-01T17:00:00.000Z"}
{"user_id":"u-split","presence":"ON_QUEUE","start":"2026-11-01T22:00:00.000Z"}
{"user_id":"u-split","routing_status":"IDLE","start":"2026-11-01T22:00:00.000Z"}
{"user_id":"u-split","routing_status":"INTERACTING","start":"2026-11-01T22:15:00.000Z"}
{"user_id":"u-split","routing_status":"INTERACTING","start":"2026-11-01T22:15:00.000Z"}
{"user_id":"u-split","routing_status":"IDLE","start":"2026-11-02T01:00:00.000Z"}
{"user_id":"u-split","routing_status":"OFF_QUEUE","start":"2026-11-02T02:00:00.000Z"}
{"user_id":"u-split","presence":"OFFLINE","start":"2026-11-02T02:00:00.000Z"}
{"user_id":"u-day","presence":"ON_QUEUE","start":"2026-11-01T14:00:00.000Z","end":"2026-11-01T23:00:00.000Z"}
{"user_id":"u-day","routing_status":"IDLE","start":"2026-11-01T14:00:00.000Z","end":"2026-11-01T14:10:00.000Z"}
{"user_id":"u-day","routing_status":"INTERACTING","start":"2026-11-01T14:10:00.000Z","end":"2026-11-01T18:00:00.000Z"}
{"user_id":"u-day","routing_status":"IDLE","start":"2026-11-01T18:00:00.000Z","end":"2026-11-01T18:45:00.000Z"}
{"user_id":"u-day","routing_status":"INTERACTING","start":"2026-11-01T18:45:00.000Z","end":"2026-11-01T23:00:00.000Z"}
EOF
gsort --time dst.ndjson > dst.sorted
for cut in 2026-11-01T07:30 2026-11-01T08:00 2026-11-01T11:00 2026-11-01T20:00 2026-11-02T03:00 2026-11-03T00:00; do
    awk -v cut="$cut" -F'"start":"' 'substr($2, 1, 16) < cut' dst.sorted > dst.cut
    glive --replay --speed max --full --every 30m --tz America/Chicago dst.cut > dst.ticks
    at=$(tail -n 1 dst.ticks | sed 's/.*"at":"\([^"]*\)".*/\1/')
    gsort dst.cut | gdedupe | gshift --until "$at" | goccupy --by day --tz America/Chicago > dst.batch
    python3 "$compare" dst.ticks dst.batch > dst.cmp ||
        { echo "DST day cut at $cut: glive differs from the batch pipeline at $at"; cat dst.cmp; exit 1; }
done
grep '"user_id":"u-day"' dst.ticks |
    grep -q '"period":"2026-11-01","start":"2026-11-01T05:00:00.000Z","end":"2026-11-02T06:00:00.000Z"' ||
    { echo "no agent record for the 25-hour day"; exit 1; }
check dst-roster "--roster r3.csv" --agents 40 --days 2 --from 2026-10-24 --point-events --org us --roster r3.csv

# out of order: the archive in time order, each event moved back by up to
# --tolerance; every agent sees hundreds of its events late
shuffled() { # name, tolerance (s), glive/goccupy options, ggen arguments...
    name=$1 tolerance=$2 opts=$3
    shift 3
    ggen "$@" > "$name.ndjson"
    gsort --time "$name.ndjson" > "$name.sorted"
    python3 "$shuffle" "$name.sorted" "$tolerance" 1 > "$name.shuffled"
    late=$(python3 -c '
import json, sys
newest, late = {}, 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r.get("org"), r["user_id"])
    late += key in newest and r["start"] < newest[key]
    newest[key] = max(newest.get(key, ""), r["start"])
print(late)' "$name.shuffled")
    [ "$late" -ge 100 ] || { echo "$name: only $late events out of order: the test tests nothing"; exit 1; }
    for f in sorted shuffled; do
        glive --replay --speed max --full --every 1h --tolerance "${tolerance}s" $opts "$name.$f" > "$name.$f.ticks"
        last_tick "$name.$f.ticks" > "$name.$f.last"
    done
    cmp -s "$name.sorted.last" "$name.shuffled.last" ||
        { echo "$name: $late events out of order change the last tick"; diff "$name.sorted.last" "$name.shuffled.last" | head -5; exit 1; }
    grep -q '"late":0,' "$name.shuffled.last" || { echo "$name: events counted late"; exit 1; }
    at=$(tail -n 1 "$name.shuffled.ticks" | sed 's/.*"at":"\([^"]*\)".*/\1/')
    gsort "$name.ndjson" | gdedupe | gshift --until "$at" | goccupy --by day $opts > "$name.batch"
    python3 "$compare" "$name.shuffled.ticks" "$name.batch" > "$name.cmp" ||
        { echo "$name: glive on the shuffled archive differs from the batch pipeline"; cat "$name.cmp"; exit 1; }
}
shuffled late-points 600 "--roster r4.csv" --agents 40 --days 2 --point-events --org us --roster r4.csv --seed 4
shuffled late-segments 900 "" --agents 30 --days 2 --seed 8
shuffled late-chicago 600 "--tz America/Chicago" --agents 30 --days 2 --point-events --seed 9

# two orgs in one stream, agents in Paris
ggen --agents 25 --days 2 --point-events --org us --seed 5 > a.ndjson
ggen --agents 25 --days 2 --point-events --org emea --seed 6 > b.ndjson
cat a.ndjson b.ndjson > two.ndjson
gsort --time two.ndjson | glive --replay --speed max --full --every 1h --tz Europe/Paris > two.ticks
at=$(tail -n 1 two.ticks | sed 's/.*"at":"\([^"]*\)".*/\1/')
gsort two.ndjson | gdedupe | gshift --until "$at" | goccupy --by day --tz Europe/Paris > two.batch
python3 "$compare" two.ticks two.batch || { echo "two orgs differ"; exit 1; }
tail -n 1 two.ticks | grep '"us":{"status":"live"' | grep -q '"emea":{"status":"live"' ||
    { echo "the last tick does not show both orgs"; tail -n 1 two.ticks; exit 1; }

# three orgs, shuffled within 10 minutes, the same user ids in two of them
ggen --agents 20 --days 2 --point-events --org apac --seed 5 > c.ndjson
cat two.ndjson c.ndjson | gsort --time > three.sorted
python3 "$shuffle" three.sorted 600 2 > three.shuffled
glive --replay --speed max --full --every 1h --tolerance 10m --tz Europe/Paris three.shuffled > three.ticks
at=$(tail -n 1 three.ticks | sed 's/.*"at":"\([^"]*\)".*/\1/')
cat two.ndjson c.ndjson | gsort | gdedupe | gshift --until "$at" | goccupy --by day --tz Europe/Paris > three.batch
python3 "$compare" three.ticks three.batch || { echo "three orgs differ"; exit 1; }
