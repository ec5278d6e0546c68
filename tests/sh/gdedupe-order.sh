# gdedupe's default streams canonical input in bounded memory and stops on
# input out of order, naming gsort; --unsorted takes any order and keeps the
# same records.  On a generated org (canonical order, with the repeats at
# 00:00 UTC that Genesys Cloud sends).
set -eu
ggen --agents 40 --days 5 > org.ndjson
lines=$(wc -l < org.ndjson)

# canonical input: bounded (a few keys at once), and --unsorted agrees
gdedupe --stats org.ndjson > plain.out 2> plain.err
gdedupe --unsorted --stats org.ndjson > unsorted.out 2> unsorted.err
cmp plain.out unsorted.out
kept=$(wc -l < plain.out)
[ "$kept" -lt "$lines" ] || { echo "no repeat dropped ($kept of $lines)"; exit 1; }
held=$(sed -n 's/.*at most \([0-9]*\) keys held$/\1/p' plain.err)
[ -n "$held" ] && [ "$held" -le 8 ] || { echo "default mode held $held keys: $(cat plain.err)"; exit 1; }
grep -q "at most $kept keys held\$" unsorted.err || { echo "--unsorted: $(cat unsorted.err)"; exit 1; }
# --sorted is the default under its old name
gdedupe --sorted org.ndjson | cmp - plain.out

# the same records shuffled: the default stops and names gsort and --unsorted
awk 'BEGIN { srand(7) } { printf "%.9f\t%s\n", rand(), $0 }' org.ndjson | sort | cut -f2- > shuffled.ndjson
status=0
gdedupe shuffled.ndjson > /dev/null 2> order.err || status=$?
[ "$status" -eq 1 ] || { echo "out of order: status $status"; exit 1; }
grep -q '^gdedupe: shuffled.ndjson:[0-9]*: input not in (org, user_id, start) order: .*; run gsort first, or gdedupe --unsorted$' order.err ||
    { echo "message: $(cat order.err)"; exit 1; }

# --unsorted keeps one record of each key whatever the order: after gsort the
# same keys as the canonical run (repeats may differ in bytes other than the key)
key() { sed 's/"end":"[^"]*",\{0,1\}//' "$@" | sort; }
gdedupe --unsorted shuffled.ndjson | gsort > unsorted-shuffled.out
[ "$(wc -l < unsorted-shuffled.out)" -eq "$kept" ] || { echo "--unsorted kept $(wc -l < unsorted-shuffled.out), want $kept"; exit 1; }
key unsorted-shuffled.out > a.keys
key plain.out > b.keys
cmp a.keys b.keys
# and gsort first then the default gives the canonical result
gsort shuffled.ndjson | gdedupe | key > c.keys
cmp b.keys c.keys
