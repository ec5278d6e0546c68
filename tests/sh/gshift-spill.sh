# gshift -S (issue 9 item 10): past the memory buffer, held records wait in
# a temporary file, and the output is byte for byte the same.
#  1. Every gshift golden, and a generated org (NDJSON and CSV), give the
#     same output with -S 1 (every held record goes through the file) and
#     -S 300 (some do) as without.
#  2. Open point events that are spilled and closed later (their end is
#     written over them in the file), on both timelines, with --until.
#  3. One presence segment held open over routing events (the front of the
#     queue waits for the whole run): with -S 1M the peak RSS at 4N records
#     stays within a few MB of N records (before -S, 400k took ~96 MB).
#  4. A write to the temporary file that fails (the file size limit, as a
#     full disk would) ends gshift with exit 1 and a message.
set -eu
. "$TESTS_DIR/sh/lib/memory.sh"

same_with_buffers() { # LABEL FILE ARGS...: gshift ARGS < FILE, with and without -S
    label=$1 file=$2
    shift 2
    status=0
    gshift "$@" < "$file" > want.out 2> want.err || status=$?
    for size in 1 300; do
        got=0
        gshift -S "$size" "$@" < "$file" > got.out 2> got.err || got=$?
        [ "$got" = "$status" ] || { echo "$label -S $size: exit $got, without -S $status"; exit 1; }
        cmp -s want.out got.out || { echo "$label -S $size: output differs"; diff want.out got.out | head -10; exit 1; }
        cmp -s want.err got.err || { echo "$label -S $size: stderr differs"; diff want.err got.err | head -10; exit 1; }
    done
}

# 1. the goldens' commands and inputs, then a generated org
goldens=0
for dir in "$TESTS_DIR"/golden/gshift-*/; do
    [ -f "$dir/in" ] || continue
    args=$(grep -v '^#' "$dir/cmd" | grep '^gshift' | head -1) || continue
    case $args in *'|'* | *'<'* | *'>'* | *'$'*) continue ;; esac
    # shellcheck disable=SC2086
    set -f; set -- ${args#gshift}; set +f
    same_with_buffers "$(basename "$dir")" "$dir/in" "$@"
    goldens=$((goldens + 1))
done
[ "$goldens" -ge 10 ] || { echo "only $goldens gshift goldens checked"; exit 1; }
ggen --agents 12 --days 10 > org.ndjson
same_with_buffers org org.ndjson
same_with_buffers org-csv org.ndjson --csv
same_with_buffers org-gap org.ndjson --gap 20m --stats
# the output really was cut into shifts: the comparison is not of nothing
grep -q '"shift":2' want.out || { echo "the generated org has no second shift"; exit 1; }

# 2. point events on both timelines, spilled while open
awk 'BEGIN { for (i = 0; i < 3000; i++) {
    printf "{\"user_id\":\"u%d\",\"routing_status\":\"%s\",\"start\":\"2026-11-02T%02d:%02d:%02dZ\"}\n",
        int(i / 1000), (i % 3 ? "IDLE" : "OFF_QUEUE"), int(i / 360) % 24, int(i / 6) % 60, (i * 10) % 60
    if (i % 4 == 0) printf "{\"user_id\":\"u%d\",\"presence\":\"%s\",\"start\":\"2026-11-02T%02d:%02d:%02dZ\"}\n",
        int(i / 1000), (i % 8 ? "ON_QUEUE" : "BREAK"), int(i / 360) % 24, int(i / 6) % 60, (i * 10) % 60 } }' > points.ndjson
same_with_buffers points points.ndjson
same_with_buffers points-until points.ndjson --until 2026-11-03T00:00:00Z

# 3. presence held over routing events: memory bounded by -S
held_shape() { # N > file: one presence segment over N routing point events
    awk -v n="$1" 'BEGIN {
        print "{\"user_id\":\"u\",\"presence\":\"AVAILABLE\",\"start\":\"2026-11-02T00:00:00Z\",\"end\":\"2026-11-20T00:00:00Z\"}"
        for (i = 0; i < n; i++)
            printf "{\"user_id\":\"u\",\"routing_status\":\"%s\",\"start\":\"2026-11-%02dT%02d:%02d:%02dZ\"}\n",
                (i % 2 ? "IDLE" : "INTERACTING"), 2 + int(i / 86400), int(i / 3600) % 24, int(i / 60) % 60, i % 60 }'
}
n=100000
held_shape "$n" > small.ndjson
held_shape $((4 * n)) > large.ndjson
peak_kb() { # FILE: gshift -S 1M's peak RSS in KiB
    /usr/bin/time -f '%M' -o rss gshift -S 1M "$1" > out.ndjson
    cat rss
}
small=$(peak_kb small.ndjson)
large=$(peak_kb large.ndjson)
# the presence segment is cut at the shift's end: its two pieces, first
# and second to last (before the routing event that starts at the cut)
[ "$(wc -l < out.ndjson)" -eq $((4 * n + 2)) ] || { echo "$(wc -l < out.ndjson) records out"; exit 1; }
head -1 out.ndjson | grep -q '"presence":"AVAILABLE".*"shift":1}$' || { echo "the presence segment is not first, in shift 1"; exit 1; }
tail -2 out.ndjson | head -1 | grep -q '"presence":"AVAILABLE".*"shift":null}$' ||
    { echo "no presence piece after the shift"; exit 1; }
growth=$((large - small))
echo "held presence: peak RSS $small KiB at $n routing events, $large KiB at $((4 * n))"
[ "$growth" -lt 8192 ] || { echo "memory grew by $growth KiB with 3N more records"; exit 1; }
[ -z "$(ls "$TMPDIR")" ] || { echo "a temporary file was left in \$TMPDIR"; exit 1; }

# 4. the temporary file cannot grow: exit 1 with a message, not a partial output
status=0
(trap '' XFSZ; ulimit -f 64; exec gshift -S 1K large.ndjson) > /dev/null 2> err || status=$?
[ "$status" -eq 1 ] || { echo "a failed spill write: exit $status"; cat err; exit 1; }
grep -q '^gshift: writing the temporary file of the memory buffer' err || { echo "no message:"; cat err; exit 1; }
echo ok
