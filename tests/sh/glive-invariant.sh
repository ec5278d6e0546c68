#!/bin/sh
# THE invariant of glive: its last tick (--full) after replaying an archive
# equals gsort | gdedupe | gshift --until T | goccupy --by day on the same
# archive, T being that tick's time, field by field: generated orgs with
# day, split, night and rotating shifts, point events and segments, the
# duplicates ggen writes at 00:00 UTC, several days, two orgs in one
# stream, other time zones, and a gap other than the default.
set -eu
compare=$TESTS_DIR/sh/lib/glive_compare.py

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
