# gshift's memory does not grow with a user's records when an open point
# event holds the front of its queue (issue 9 item 10): one user's point
# events in one unbroken shift, and presence records in one gap, once at N
# and once at 4N records.  The bytes of written records were kept until the
# front moved (2M point events took 157 MB); now the peak RSS of the larger
# run stays within a few MB of the smaller one.  The output is checked
# too: every record out, each point event ended by the next one's start.
set -eu
n=150000
make_points() { # N KIND STATUS-A STATUS-B > file
    awk -v n="$1" -v kind="$2" -v a="$3" -v b="$4" 'BEGIN { for (i = 0; i < n; i++)
        printf "{\"user_id\":\"u\",\"%s\":\"%s\",\"start\":\"2026-11-%02dT%02d:%02d:%02d.000Z\"}\n",
            kind, (i % 2 ? a : b), 2 + int(i / 86400), int(i / 3600) % 24, int(i / 60) % 60, i % 60 }'
}
# ASan keeps freed memory in quarantine: under the sanitizers, that would be
# counted as the tool's own
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
export ASAN_OPTIONS
peak_kb() { # FILE: gshift's peak RSS in KiB
    /usr/bin/time -f '%M' -o rss gshift "$1" > out.ndjson
    cat rss
}
for shape in "routing_status IDLE INTERACTING" "presence AVAILABLE BREAK"; do
    # shellcheck disable=SC2086
    make_points "$n" $shape > small.ndjson
    # shellcheck disable=SC2086
    make_points $((4 * n)) $shape > large.ndjson
    small=$(peak_kb small.ndjson)
    large=$(peak_kb large.ndjson)
    [ "$(wc -l < out.ndjson)" -eq $((4 * n)) ] || { echo "$shape: $(wc -l < out.ndjson) records out"; exit 1; }
    # every point event but the last gets its end: the next one's start
    grep -c '"end":' out.ndjson | grep -qx $((4 * n - 1)) || { echo "$shape: not every point event got its end"; exit 1; }
    first_end=$(sed -n '1s/.*"end":"\([^"]*\)".*/\1/p' out.ndjson)
    second_start=$(sed -n '2s/.*"start":"\([^"]*\)".*/\1/p' out.ndjson)
    [ -n "$first_end" ] && [ "$first_end" = "$second_start" ] ||
        { echo "$shape: the first record ends at '$first_end', the second starts at '$second_start'"; exit 1; }
    growth=$((large - small))
    echo "$shape: peak RSS $small KiB at $n records, $large KiB at $((4 * n))"
    [ "$growth" -lt 8192 ] || { echo "$shape: memory grew by $growth KiB with 3N more records"; exit 1; }
done
echo ok
