# goccupy on canonical input holds one user at a time (issue 9 item 10):
# each user's sums leave memory for a temporary file when the next user
# begins, and come back at the end (rows cannot be written earlier: a status
# first seen in the last record adds a column to every row).
#  1. 4N users take no more memory than N (400k users took ~200 MB).
#  2. The rows are the same whatever the order of the input: canonical
#     (users retired), shuffled (all held), and canonical with late records
#     of earlier users and a late new status (the retired users come back).
set -eu
. "$TESTS_DIR/sh/lib/memory.sh"

# 1. memory
users() { # N > file: N users in order, two segments each
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) {
        printf "{\"user_id\":\"u%07d\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-02T13:00:00Z\",\"end\":\"2026-11-02T13:30:00Z\"}\n", i
        printf "{\"user_id\":\"u%07d\",\"routing_status\":\"INTERACTING\",\"start\":\"2026-11-02T13:30:00Z\",\"end\":\"2026-11-02T14:00:00Z\"}\n", i } }'
}
peak_kb() { # FILE ARGS...: goccupy's peak RSS in KiB
    f=$1
    shift
    /usr/bin/time -f '%M' -o rss goccupy "$@" "$f" > out
    cat rss
}
n=50000
users "$n" > small.ndjson
users $((4 * n)) > large.ndjson
for by in window day; do
    small=$(peak_kb small.ndjson --by "$by")
    large=$(peak_kb large.ndjson --by "$by")
    [ "$(wc -l < out)" -eq $((4 * n)) ] || { echo "--by $by: $(wc -l < out) rows for $((4 * n)) users"; exit 1; }
    grep -c '"occupancy":0.5,' out | grep -qx $((4 * n)) || { echo "--by $by: not every row has occupancy 0.5"; exit 1; }
    growth=$((large - small))
    echo "--by $by: peak RSS $small KiB at $n users, $large KiB at $((4 * n))"
    [ "$growth" -lt 8192 ] || { echo "--by $by: memory grew by $growth KiB with 3N more users"; exit 1; }
done
[ -z "$(ls "$TMPDIR")" ] || { echo "a temporary file was left in \$TMPDIR"; exit 1; }

# 2. the same rows in any order
ggen --agents 25 --days 12 --roster roster.csv > org.ndjson
gsort org.ndjson > sorted.ndjson
gshift sorted.ndjson > shifted.ndjson
# a fixed shuffle: by a hash of the line
awk '{ h = 0; for (i = 1; i <= length($0); i += 7) h = (h * 31 + i * 17 + length($0)) % 1000003; print h "\t" $0 }' \
    shifted.ndjson | sort -n -s -k1,1 | cut -f2- > shuffled.ndjson
cmp -s shifted.ndjson shuffled.ndjson && { echo "the shuffle changed nothing"; exit 1; }
{
    cat shifted.ndjson
    head -5 shifted.ndjson # the first user again, after all the others
    echo '{"user_id":"zz","routing_status":"ODD_STATUS","start":"2026-11-03T00:00:00Z","end":"2026-11-03T01:00:00Z","shift":1}'
} > late.ndjson
for args in "" "--by day" "--by week --tz America/New_York" "--by shift" "--csv --roster roster.csv --by day" \
    "--from 2026-11-05 --to 2026-11-09 --stats"; do
    # shellcheck disable=SC2086
    goccupy $args shifted.ndjson > canonical.out 2> canonical.err
    # shellcheck disable=SC2086
    goccupy $args shuffled.ndjson > shuffled.out 2> shuffled.err
    cmp -s canonical.out shuffled.out || { echo "goccupy $args: canonical and shuffled input differ"; diff canonical.out shuffled.out | head; exit 1; }
    cmp -s canonical.err shuffled.err || { echo "goccupy $args: stderr differs"; exit 1; }
    [ "$(wc -l < canonical.out)" -gt 20 ] || { echo "goccupy $args: only $(wc -l < canonical.out) rows"; exit 1; }
    # shellcheck disable=SC2086
    goccupy $args late.ndjson > late.out 2> /dev/null
    # shellcheck disable=SC2086
    sort late.ndjson | goccupy $args > late-sorted.out 2> /dev/null
    cmp -s late.out late-sorted.out || { echo "goccupy $args: late records of earlier users differ"; diff late.out late-sorted.out | head; exit 1; }
done
grep -q odd_status_secs late.out || { echo "the late status has no column"; exit 1; }
echo ok
