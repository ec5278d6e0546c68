#!/bin/sh
# make bench: time each gpulse tool on generated segment files of 1M and 10M
# records, with `cat` and `jq -c .` on the same files as reference points,
# the whole pipeline against the DuckDB peer (bench/peers/buckets_duckdb.mjs,
# runs interleaved), and check the speed and memory targets of issues 2, 3
# and 13.  The report (a
# Markdown document) goes to standard output and bench/results/latest.md;
# progress goes to standard error.  See bench/README.md.
#
#   BIN=bin sh bench/bench.sh
#
# Settings (environment):
#   BENCH_SIZES    sizes to run, in segments (default "1M 10M"; "1M" for a quick run)
#   BENCH_RUNS     timed runs per command; the median is reported (default 3)
#   BENCH_JQ_10M   1 = also time jq on sizes over 1M (slow: about a minute a run)
#   BENCH_DATA     where the generated files are cached (default bench/data)
#   BENCH_SHAPES   1 (default) = also the hostile shapes of issue 9: wide CSV
#                  (25k/50k/100k columns), one unbroken shift of 2M point
#                  events, 2M presence records in one gap, one presence
#                  segment held over 2M routing events, 1M users for
#                  goccupy (window and day), 80k statuses at one start;
#                  0 = skip them
#
# A tool that is not built yet is skipped with a note.  POSIX sh; needs GNU
# time (/usr/bin/time, Debian package "time") for peak RSS, and ggen.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BIN=$(cd "${BIN:-$root/bin}" && pwd)
sizes=${BENCH_SIZES:-"1M 10M"}
runs=${BENCH_RUNS:-3}
jq_big=${BENCH_JQ_10M:-0}
data=${BENCH_DATA:-$here/data}
results=$here/results
export LC_ALL=C
case $runs in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive number" >&2; exit 2 ;; esac

mkdir -p "$data" "$results"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM # then the EXIT trap cleans up

say() { printf 'bench: %s\n' "$*" >&2; }
have_tool() { [ -x "$BIN/$1" ]; }

[ -x "$BIN/ggen" ] || { say "no $BIN/ggen: run make first"; exit 1; }

# --- clocks --------------------------------------------------------------------
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o "$tmp/probe" true 2>/dev/null; then
    gnu_time=/usr/bin/time
else
    say "no GNU time (/usr/bin/time, Debian package 'time'): peak RSS will not be measured"
fi
case $(date +%N) in
    *N* | '') now() { date +%s; } ;;  # no nanoseconds: whole seconds only
    *) now() { date +%s.%N; } ;;
esac

# --- sizes and data files ---------------------------------------------------------
# "1M" -> 1000000; "250K" -> 250000; a plain number as it is.
segments_of() {
    case $1 in
        *[Mm]) echo $((${1%?} * 1000000)) ;;
        *[Kk]) echo $((${1%?} * 1000)) ;;
        *) echo "$1" ;;
    esac
}
# File label, the same as bench/peers.sh uses so the two share the cache.
label_of() {
    n=$(segments_of "$1")
    case $n in
        *000000) echo "$((n / 1000000))m" ;;
        *000) echo "$((n / 1000))k" ;;
        *) echo "$n" ;;
    esac
}

# What makes a cached file stale: the generator's behaviour (a fingerprint
# of a small output) and the command that made it.
ggen_fingerprint=$("$BIN/ggen" --agents 3 --days 3 --roster "$tmp/fp.csv" | cat - "$tmp/fp.csv" | cksum)

# generate FILE STAMP-TEXT COMMAND...: run COMMAND > FILE unless FILE exists
# with the same stamp.
generate() {
    file=$1 stamp=$2
    shift 2
    if [ -s "$file" ] && [ -f "$file.stamp" ] && [ "$(cat "$file.stamp")" = "$stamp" ]; then
        return 0
    fi
    say "generating $file"
    rm -f "$file.stamp"
    "$@" > "$file.tmp"
    mv "$file.tmp" "$file"
    printf '%s\n' "$stamp" > "$file.stamp"
}

prepare_size() {
    n=$(segments_of "$1")
    l=$(label_of "$1")
    nd=$data/segments-$l.ndjson
    csv=$data/segments-$l.csv
    roster=$data/roster-$l.csv
    bytime=$data/segments-$l.bytime.ndjson
    stamp="ggen --segments $n / $ggen_fingerprint"
    [ -s "$roster" ] || rm -f "$nd.stamp" # the roster comes with the NDJSON file
    generate "$nd" "$stamp" "$BIN/ggen" --segments "$n" --roster "$roster"
    generate "$csv" "$stamp csv" "$BIN/ggen" --segments "$n" --csv
    # The same lines in time order (as a merge of interval pulls would give
    # them): the input of the sort benchmarks.  Field 12 between '"' is start.
    generate "$bytime" "$stamp bytime" sort -s -t '"' -k12,12 "$nd"
}

records_in() { # records of a NDJSON or CSV file (CSV: minus the header)
    lines=$(wc -l < "$1" | tr -d ' ')
    case $1 in *.csv) echo $((lines - 1)) ;; *) echo "$lines" ;; esac
}
bytes_in() { wc -c < "$1" | tr -d ' '; }

# --- timing ----------------------------------------------------------------------
# time_once CMD...: one run, stdout to /dev/null.  Sets wall (seconds) and
# rss (KiB, or "" unknown).  Returns the command's status.
time_once() {
    t0=$(now)
    if [ -n "$gnu_time" ]; then
        "$gnu_time" -f '%M' -o "$tmp/rusage" "$@" > /dev/null 2> "$tmp/stderr" || {
            st=$?
            return $st
        }
        rss=$(tail -n 1 "$tmp/rusage")
    else
        "$@" > /dev/null 2> "$tmp/stderr" || return $?
        rss=""
    fi
    t1=$(now)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
}

median() { # of the numbers, one a line, on stdin
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure NAME LABEL FILE CMD...: RUNS timed runs of CMD on FILE (its bytes
# and records give the rates); appends a row to the size's table and a line
# "name mbps rss_kib wall" to $tmp/metrics.
measure() {
    name=$1 label=$2 file=$3
    shift 3
    cat "$file" > /dev/null # warm the page cache: every command reads from memory
    : > "$tmp/walls.$name"
    : > "$tmp/rsses.$name"
    i=1
    while [ "$i" -le "$runs" ]; do
        say "$size: $label (run $i/$runs)"
        run_once "$name" "$label" "$file" "$@" || return 0
        i=$((i + 1))
    done
    report_runs "$name" "$label" "$file"
}

# run_once NAME LABEL FILE CMD...: one timed run, its wall and RSS added to
# NAME's; on failure the row says so and the status is 1.
run_once() {
    name=$1 label=$2 file=$3
    shift 3
    status=0
    time_once "$@" || status=$?
    if [ "$status" -ne 0 ]; then
        say "$label failed with status $status: $(head -n 3 "$tmp/stderr")"
        row "$label" "$(basename "$file")" "failed (status $status)" "" "" "" ""
        return 1
    fi
    echo "$wall" >> "$tmp/walls.$name"
    [ -n "$rss" ] && echo "$rss" >> "$tmp/rsses.$name"
    return 0
}

# report_runs NAME LABEL FILE: the row and metrics of NAME's runs.
report_runs() {
    name=$1 label=$2 file=$3
    w=$(median < "$tmp/walls.$name")
    r=""
    [ -s "$tmp/rsses.$name" ] && r=$(sort -n "$tmp/rsses.$name" | tail -n 1)
    bytes=$(bytes_in "$file")
    recs=$(records_in "$file")
    mbps=$(awk -v b="$bytes" -v w="$w" 'BEGIN { if (w > 0) printf "%.0f", b / 1e6 / w; else print "inf" }')
    rps=$(awk -v n="$recs" -v w="$w" 'BEGIN { if (w > 0) printf "%.2fM", n / 1e6 / w; else print "inf" }')
    rmib=$( [ -n "$r" ] && awk -v k="$r" 'BEGIN { printf "%.1f", k / 1024 }' || echo "n/a")
    printf '%s %s %s %s\n' "$name" "$mbps" "${r:-0}" "$w" >> "$tmp/metrics"
    row "$label" "$(basename "$file")" "$w" "$mbps" "$rps" "$rmib" "$name"
}

# A row of the size's table; the "x jq" column is filled in at the end.
row() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${7:-}" >> "$tmp/rows"
}
skip() { # LABEL WHY
    say "skipping $1: $2"
    row "$1" "" "skipped: $2" "" "" "" ""
}

# The pipeline gdedupe | gshift | goccupy | gbucket on FILE, each
# stage under GNU time so that each one's peak RSS is known; the RSS
# reported is the largest stage's, and the stage is named in the label.
pipeline_script() {
    file=$1 roster=$2
    t=""
    [ -n "$gnu_time" ] && t="$gnu_time -f %M -o"
    if [ -n "$t" ]; then
        echo "$t '$tmp/stage.1' '$BIN/gdedupe' '$file' | $t '$tmp/stage.2' '$BIN/gshift' | $t '$tmp/stage.3' '$BIN/goccupy' | $t '$tmp/stage.4' '$BIN/gbucket' --roster '$roster'"
    else
        echo "'$BIN/gdedupe' '$file' | '$BIN/gshift' | '$BIN/goccupy' | '$BIN/gbucket' --roster '$roster'"
    fi
}
stage_names="gdedupe gshift goccupy gbucket"
# After a pipeline run: "KIB STAGE" for the stage with the largest peak RSS,
# "failed STAGE" when a stage failed, nothing when unknown.
stage_peak() {
    k=0
    for name in $stage_names; do
        k=$((k + 1))
        [ -f "$tmp/stage.$k" ] || return 0
        if grep -q 'exited with non-zero status' "$tmp/stage.$k"; then
            echo "failed $name"
            return 0
        fi
    done
    k=0
    for name in $stage_names; do
        k=$((k + 1))
        echo "$(tail -n 1 "$tmp/stage.$k") $name"
    done | sort -n | tail -n 1
}

# The DuckDB peer, when node and @duckdb/node-api are installed (make
# bench-peers installs them): "" or the command's first words.
duckdb_peer() {
    command -v node > /dev/null 2>&1 && [ -d "$here/peers/node_modules/@duckdb/node-api" ] || return 0
    echo "node $here/peers/buckets_duckdb.mjs"
}

# pipeline_verdict KIND: after a pipeline run, name its heaviest stage in
# the row's label, or mark the row failed when a stage failed.
pipeline_verdict() {
    kind=$1
    peak=$(stage_peak)
    case $peak in
        '') ;;
        failed*) # a stage in the middle failed: the run does not count
            say "pipeline on $kind: ${peak#* } failed"
            awk -F '\t' -v OFS='\t' -v k="$kind" -v s="${peak#* }" '
                $7 == "pipeline_" k { $3 = "failed (" s ")"; $4 = $5 = $6 = $7 = "" } { print }' \
                "$tmp/rows" > "$tmp/rows.new"
            mv "$tmp/rows.new" "$tmp/rows"
            grep -v "^pipeline_$kind " "$tmp/metrics" > "$tmp/metrics.new" || true
            mv "$tmp/metrics.new" "$tmp/metrics" ;;
        *)
            echo "pipeline_${kind}_stage $peak" >> "$tmp/metrics"
            awk -F '\t' -v OFS='\t' -v k="$kind" -v s="${peak#* }" '
                $7 == "pipeline_" k { $1 = $1 " (max RSS: " s ")" } { print }' \
                "$tmp/rows" > "$tmp/rows.new"
            mv "$tmp/rows.new" "$tmp/rows" ;;
    esac
}

# The pipeline with plain gdedupe against the DuckDB peer, on the NDJSON
# and the CSV file: runs interleaved (pipeline, peer, pipeline, peer...)
# so that both see the same load; medians.  The peer's buckets and shift
# counts are checked against the pipeline's.
against_duckdb() {
    if ! { have_tool gdedupe && have_tool gshift && have_tool goccupy && have_tool gbucket; }; then
        skip "pipeline gdedupe | gshift | goccupy | gbucket --roster" "a stage is not built"
        return 0
    fi
    peer=$(duckdb_peer)
    [ -n "$peer" ] || say "no DuckDB peer (node and bench/peers/node_modules: make bench-peers installs them)"
    for f in "$nd" "$csv"; do
        kind=NDJSON
        case $f in *.csv) kind=CSV ;; esac
        pipeline_label="gdedupe FILE | gshift | goccupy | gbucket --roster ROSTER"
        peer_label="DuckDB peer (bench/peers/buckets_duckdb.mjs) on FILE"
        cat "$f" > /dev/null
        : > "$tmp/walls.pipeline_$kind"; : > "$tmp/rsses.pipeline_$kind"
        : > "$tmp/walls.duckdb_$kind"; : > "$tmp/rsses.duckdb_$kind"
        pipeline_ok=1 peer_ok=1
        i=1
        while [ "$i" -le "$runs" ]; do
            if [ "$pipeline_ok" = 1 ]; then
                say "$size: pipeline on $kind (run $i/$runs)"
                rm -f "$tmp"/stage.*
                run_once "pipeline_$kind" "$pipeline_label" "$f" sh -c "$(pipeline_script "$f" "$roster")" || pipeline_ok=0
            fi
            if [ -n "$peer" ] && [ "$peer_ok" = 1 ]; then
                say "$size: DuckDB on $kind (run $i/$runs)"
                # shellcheck disable=SC2086 # $peer is "node SCRIPT"
                run_once "duckdb_$kind" "$peer_label" "$f" $peer "$f" "$roster" "$tmp/duckdb.csv" || peer_ok=0
            fi
            i=$((i + 1))
        done
        if [ "$pipeline_ok" = 1 ]; then
            report_runs "pipeline_$kind" "$pipeline_label" "$f"
            pipeline_verdict "$kind"
        fi
        if [ -n "$peer" ] && [ "$peer_ok" = 1 ]; then
            report_runs "duckdb_$kind" "$peer_label" "$f"
            agree "$kind" "$f"
        fi
    done
}

# agree KIND FILE: do the pipeline and the peer give every agent the same
# bucket and shift count?  "agree_KIND yes|no" in the metrics.
agree() {
    "$BIN/gdedupe" "$2" | "$BIN/gshift" | "$BIN/goccupy" | "$BIN/gbucket" --roster "$roster" --json |
        sed -n 's/^{"user_id":"\([^"]*\)".*"shifts":\([0-9]*\),.*"bucket":"\([a-z_]*\)".*/\1,\3,\2/p' |
        sort > "$tmp/gpulse.agents"
    tail -n +2 "$tmp/duckdb.csv" | sort > "$tmp/duckdb.agents"
    if [ -s "$tmp/gpulse.agents" ] && cmp -s "$tmp/gpulse.agents" "$tmp/duckdb.agents"; then
        echo "agree_$1 yes $(wc -l < "$tmp/gpulse.agents" | tr -d ' ')" >> "$tmp/metrics"
    else
        say "DuckDB and gpulse differ on $1: $(diff "$tmp/gpulse.agents" "$tmp/duckdb.agents" | head -4)"
        echo "agree_$1 no $(wc -l < "$tmp/gpulse.agents" | tr -d ' ')" >> "$tmp/metrics"
    fi
}

# measure_goccupy NAME FILE SHIFTED NOTE: goccupy's input is gshift's output,
# saved once per run in SHIFTED.
measure_goccupy() {
    if ! { have_tool goccupy && have_tool gdedupe && have_tool gshift; }; then
        skip "goccupy SHIFTED$4" "goccupy, gdedupe or gshift not built"
        return 0
    fi
    say "$size: saving gdedupe | gshift output$4 for goccupy"
    if "$BIN/gdedupe" "$2" | "$BIN/gshift" > "$3.tmp"; then
        mv "$3.tmp" "$3"
        measure "$1" "goccupy SHIFTED (gshift's output$4)" "$3" "$BIN/goccupy" "$3"
    else
        rm -f "$3.tmp"
        skip "goccupy SHIFTED$4" "gdedupe | gshift failed"
    fi
}

# --- one size ---------------------------------------------------------------------
run_size() {
    size=$1
    l=$(label_of "$size")
    nd=$data/segments-$l.ndjson
    csv=$data/segments-$l.csv
    roster=$data/roster-$l.csv
    bytime=$data/segments-$l.bytime.ndjson
    shifted=$data/segments-$l.shifted.ndjson
    shifted_csv=$data/segments-$l.shifted.csv
    : > "$tmp/rows"
    : > "$tmp/metrics"

    measure cat "cat FILE" "$nd" cat "$nd"
    if [ "$(segments_of "$size")" -le 1000000 ] || [ "$jq_big" = 1 ]; then
        if command -v jq > /dev/null 2>&1; then
            measure jq "jq -c . FILE" "$nd" jq -c . "$nd"
        else
            skip "jq -c . FILE" "jq is not installed"
        fi
    elif command -v jq > /dev/null 2>&1; then
        # jq on a big file takes minutes a run: its rate on the 1M file is
        # the reference (BENCH_JQ_10M=1 times it on this file too)
        measure jq "jq -c . FILE (the 1M file: jq's rate does not depend on the size)" \
            "$data/segments-1m.ndjson" jq -c . "$data/segments-1m.ndjson"
    else
        skip "jq -c . FILE" "jq is not installed"
    fi
    if have_tool gdedupe; then measure gdedupe "gdedupe FILE" "$nd" "$BIN/gdedupe" "$nd"
    else skip "gdedupe FILE" "gdedupe not built"; fi
    if have_tool gshift; then measure gshift "gshift FILE" "$nd" "$BIN/gshift" "$nd"
    else skip "gshift FILE" "gshift not built"; fi
    measure_goccupy goccupy "$nd" "$shifted" ""
    measure sort "LC_ALL=C sort -s TIMEORDERED (GNU sort, whole line)" "$bytime" sort -s "$bytime"
    measure sortkey "LC_ALL=C sort -s -t'\"' -k4,4 -k12,12 TIMEORDERED (user_id, start)" "$bytime" \
        sort -s -t '"' -k4,4 -k12,12 "$bytime"
    if have_tool gsort; then measure gsort "gsort TIMEORDERED" "$bytime" "$BIN/gsort" "$bytime"
    else skip "gsort TIMEORDERED" "gsort not built"; fi
    measure cat_csv "cat FILE" "$csv" cat "$csv"
    if have_tool gdedupe; then measure gdedupe_csv "gdedupe FILE" "$csv" "$BIN/gdedupe" "$csv"
    else skip "gdedupe FILE (CSV)" "gdedupe not built"; fi
    if have_tool gshift; then measure gshift_csv "gshift FILE" "$csv" "$BIN/gshift" "$csv"
    else skip "gshift FILE (CSV)" "gshift not built"; fi
    measure_goccupy goccupy_csv "$csv" "$shifted_csv" " (CSV)"
    rm -f "$shifted" "$shifted_csv"
    against_duckdb

    cp "$tmp/rows" "$tmp/rows.$l"
    cp "$tmp/metrics" "$tmp/metrics.$l"
}

# --- hostile shapes (issue 9): time and peak RSS of one run each ---------------------
shape_file() { # NAME AWK-PROGRAM: generate $data/shape-NAME once
    f=$data/shape-$1
    [ -s "$f" ] || { say "generating shape $1"; awk "$2" > "$f.tmp" && mv "$f.tmp" "$f"; }
    echo "$f"
}

shape() { # LABEL CMD...: one run, a row "label | wall | peak RSS"
    label=$1
    shift
    say "shape: $label"
    status=0
    time_once "$@" || status=$?
    if [ "$status" -ne 0 ]; then
        printf '| `%s` | failed (status %s) | |\n' "$label" "$status" >> "$tmp/shapes"
        return 0
    fi
    printf '| `%s` | %s | %s |\n' "$label" "$wall" \
        "$( [ -n "$rss" ] && awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }' || echo n/a)" >> "$tmp/shapes"
}

run_shapes() {
    : > "$tmp/shapes"
    for cols in 25000 50000 100000; do
        f=$(shape_file "wide-$cols.csv" "BEGIN { n = $cols; printf \"user_id,routing_status,start,end\";
            for (i = 0; i < n; i++) printf \",c%d\", i; print \"\";
            for (r = 0; r < 20; r++) { printf \"u,IDLE,2026-11-02T%02d:00:00Z,2026-11-02T%02d:30:00Z\", r, r;
                for (i = 0; i < n; i++) printf \",x\"; print \"\" } }")
        shape "gshift on $cols columns x 20 rows" "$BIN/gshift" "$f"
        shape "gdedupe on $cols columns x 20 rows" "$BIN/gdedupe" "$f"
    done
    # one user's point events, a second apart: one unbroken shift
    f=$(shape_file points-2M.ndjson 'BEGIN { for (i = 0; i < 2000000; i++)
        printf "{\"user_id\":\"u\",\"routing_status\":\"%s\",\"start\":\"2026-11-%02dT%02d:%02d:%02dZ\"}\n",
            (i % 2 ? "IDLE" : "INTERACTING"), 2 + int(i / 86400), int(i / 3600) % 24, int(i / 60) % 60, i % 60 }')
    shape "gshift, 2M point events in one shift" "$BIN/gshift" "$f"
    # presence records with no activity: all in one gap
    f=$(shape_file presence-2M.ndjson 'BEGIN { for (i = 0; i < 2000000; i++)
        printf "{\"user_id\":\"u\",\"presence\":\"%s\",\"start\":\"2026-11-%02dT%02d:%02d:%02dZ\"}\n",
            (i % 2 ? "AVAILABLE" : "BREAK"), 2 + int(i / 86400), int(i / 3600) % 24, int(i / 60) % 60, i % 60 }')
    shape "gshift, 2M presence records in one gap" "$BIN/gshift" "$f"
    # one presence segment open over a whole shift of routing events: they
    # wait behind it, in the -S buffer (64M) and past it in a temporary file
    f=$(shape_file held-2M.ndjson 'BEGIN {
        print "{\"user_id\":\"u\",\"presence\":\"AVAILABLE\",\"start\":\"2026-11-02T00:00:00Z\",\"end\":\"2026-12-31T00:00:00Z\"}"
        for (i = 0; i < 2000000; i++)
        printf "{\"user_id\":\"u\",\"routing_status\":\"%s\",\"start\":\"2026-11-%02dT%02d:%02d:%02dZ\"}\n",
            (i % 2 ? "IDLE" : "INTERACTING"), 2 + int(i / 86400), int(i / 3600) % 24, int(i / 60) % 60, i % 60 }')
    shape "gshift, presence held over 2M routing events" "$BIN/gshift" "$f"
    shape "gshift -S 8M, presence held over 2M routing events" "$BIN/gshift" -S 8M "$f"
    f=$(shape_file users-1M.ndjson 'BEGIN { for (i = 0; i < 1000000; i++)
        printf "{\"user_id\":\"u%07d\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-02T13:00:00Z\",\"end\":\"2026-11-02T13:30:00Z\"}\n", i }')
    shape "goccupy, 1M users (sorted)" "$BIN/goccupy" "$f"
    shape "goccupy --by day, 1M users (sorted)" "$BIN/goccupy" --by day "$f"
    f=$(shape_file statuses-80k.ndjson 'BEGIN { for (i = 0; i < 80000; i++)
        printf "{\"user_id\":\"u\",\"routing_status\":\"S%d\",\"start\":\"2026-11-02T13:00:00Z\"}\n", i }')
    shape "gdedupe, 80k statuses at one start" "$BIN/gdedupe" "$f"
}

shapes_table() {
    [ -s "$tmp/shapes" ] || return 0
    printf '\n## Hostile shapes (issue 9)\n\n'
    printf 'One run each; inputs cached in %s as shape-*.\n\n' "$data"
    printf '| command | wall s | peak RSS MiB |\n| --- | ---: | ---: |\n'
    cat "$tmp/shapes"
}

# --- the report ---------------------------------------------------------------------
metric() { # LABEL NAME FIELD(2 = MB/s, 3 = RSS KiB, 4 = wall): empty when not measured
    [ -f "$tmp/metrics.$1" ] || return 0
    awk -v n="$2" -v f="$3" '$1 == n { print $f; exit }' "$tmp/metrics.$1"
}

size_table() {
    l=$1 size=$2
    nd=$data/segments-$l.ndjson
    csv=$data/segments-$l.csv
    jq_rate=$(metric "$l" jq 2)
    printf '\n## %s segments\n\n' "$size"
    printf 'Files: %s (%s records, %s MB), %s (%s MB), and the same NDJSON lines in time order (TIMEORDERED) for the sorts.\n\n' \
        "$(basename "$nd")" "$(records_in "$nd")" "$(awk -v b="$(bytes_in "$nd")" 'BEGIN { printf "%.0f", b / 1e6 }')" \
        "$(basename "$csv")" "$(awk -v b="$(bytes_in "$csv")" 'BEGIN { printf "%.0f", b / 1e6 }')"
    printf '| command | file | wall s (median of %s) | MB/s | records/s | peak RSS MiB | x jq |\n' "$runs"
    printf '| --- | --- | ---: | ---: | ---: | ---: | ---: |\n'
    awk -F '\t' -v jq="$jq_rate" '{
        x = ""
        if (jq != "" && jq > 0 && $4 != "" && $7 != "cat" && $7 != "cat_csv" && $7 != "jq" && $2 ~ /ndjson$/ && $7 !~ /sort/ && $7 !~ /duckdb/)
            x = sprintf("%.1fx", $4 / jq)
        for (i = 1; i <= 6; i++) gsub(/\|/, "\\|", $i) # a | would end the cell
        printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, x
    }' "$tmp/rows.$l"
}

check() { # TARGET MEASURED OK(1/0/"") -> a row of the targets table
    case $3 in
        1) verdict="met" ;;
        0) verdict="**not met**" ;;
        *) verdict="not measured" ;;
    esac
    printf '| %s | %s | %s |\n' "$1" "$2" "$verdict"
}

targets_table() {
    l=$1 size=$2
    jq_rate=$(metric "$l" jq 2)
    jq_note=""
    if [ "$(segments_of "$size")" -gt 1000000 ] && [ "$jq_big" != 1 ]; then
        jq_note=" (jq's rate on the 1M file)"
    fi
    printf '\n## Targets (issues 2, 3 and 13), on %s segments\n\n' "$size"
    [ "$(segments_of "$size")" -lt 10000000 ] && printf 'The targets are set for 10M segments; these figures are for %s.\n\n' "$size"
    printf '| target | measured | status |\n| --- | --- | --- |\n'
    for t in gdedupe gshift goccupy gdedupe_csv gshift_csv goccupy_csv; do
        what=$t
        case $t in *_csv) what="${t%_csv} on CSV" ;; esac
        m=$(metric "$l" "$t" 2)
        r=$(metric "$l" "$t" 3)
        if [ -z "$m" ]; then
            check "$what at least 1000 MB/s of its input" "-" ""
            continue
        fi
        check "$what at least 1000 MB/s of its input" "$m MB/s" "$(awk -v m="$m" 'BEGIN { print (m >= 1000) ? 1 : 0 }')"
        case $t in *_csv) continue ;; esac
        if [ -n "$jq_rate" ]; then
            check "$t at least 20x jq -c ." "$(awk -v m="$m" -v j="$jq_rate" 'BEGIN { printf "%.1fx", m / j }')$jq_note" \
                "$(awk -v m="$m" -v j="$jq_rate" 'BEGIN { print (m >= 20 * j) ? 1 : 0 }')"
        else
            check "$t at least 20x jq -c ." "jq not measured" ""
        fi
        if [ -n "$gnu_time" ]; then
            check "$t peak RSS at most 64 MiB" "$(awk -v r="$r" 'BEGIN { printf "%.1f MiB", r / 1024 }')" \
                "$(awk -v r="$r" 'BEGIN { print (r <= 65536) ? 1 : 0 }')"
        else
            check "$t peak RSS at most 64 MiB" "no GNU time" ""
        fi
    done
    g=$(metric "$l" gsort 4)
    s=$(metric "$l" sort 4)
    if [ -n "$g" ] && [ -n "$s" ]; then
        check "gsort within 1.2x of GNU sort (sort -s, same lines)" \
            "$(awk -v g="$g" -v s="$s" 'BEGIN { printf "%.2fx (%ss vs %ss)", g / s, g, s }')" \
            "$(awk -v g="$g" -v s="$s" 'BEGIN { print (g <= 1.2 * s) ? 1 : 0 }')"
    else
        check "gsort within 1.2x of GNU sort (sort -s, same lines)" "-" ""
    fi
    for kind in NDJSON CSV; do
        peak=$(awk -v n="pipeline_${kind}_stage" '$1 == n { print $2 " " $3; exit }' "$tmp/metrics.$l" 2>/dev/null || true)
        if [ -n "$peak" ] && [ "${peak%% *}" != failed ]; then
            check "pipeline on $kind: every stage's peak RSS under 64 MiB" \
                "$(awk -v r="${peak%% *}" 'BEGIN { printf "%.1f MiB", r / 1024 }') (${peak#* })" \
                "$(awk -v r="${peak%% *}" 'BEGIN { print (r < 65536) ? 1 : 0 }')"
        else
            check "pipeline on $kind: every stage's peak RSS under 64 MiB" "-" ""
        fi
        p=$(metric "$l" "pipeline_$kind" 4)
        d=$(metric "$l" "duckdb_$kind" 4)
        if [ -n "$p" ] && [ -n "$d" ]; then
            check "pipeline on $kind at least 2x as fast as the DuckDB peer" \
                "$(awk -v p="$p" -v d="$d" 'BEGIN { printf "%.2fx (%ss vs %ss)", d / p, p, d }')" \
                "$(awk -v p="$p" -v d="$d" 'BEGIN { print (d >= 2 * p) ? 1 : 0 }')"
        else
            check "pipeline on $kind at least 2x as fast as the DuckDB peer" "-" ""
        fi
        a=$(awk -v n="agree_$kind" '$1 == n { print $2 " " $3; exit }' "$tmp/metrics.$l" 2>/dev/null || true)
        if [ -n "$a" ]; then
            check "DuckDB peer on $kind: same bucket and shift count for every agent" \
                "${a%% *} (${a#* } agents)" "$([ "${a%% *}" = yes ] && echo 1 || echo 0)"
        fi
    done
    printf '\nThe pandas peer is timed by `make bench-peers` (bench/peers.sh).\n\n'
}

machine_facts() {
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
    mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
    commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
        commit="$commit (with uncommitted changes)"
    fi
    rss_method="not measured: no GNU time"
    [ -n "$gnu_time" ] && rss_method="GNU time's %M, maximum resident set size"
    item() { printf '%s\n' "- $*"; }
    printf '# gpulse benchmarks\n\n'
    item "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    item "gpulse: $("$BIN/ggen" --version | head -n 1), commit $commit"
    item "machine: $(nproc 2>/dev/null || echo '?') CPUs (nproc), ${cpu:-$(uname -m)}, ${mem:-?} memory, $(uname -sr)"
    item "compiler: $(${CC:-cc} --version 2>/dev/null | head -n 1)"
    item "reference tools: $(jq --version 2>/dev/null || echo 'jq not installed'); $(sort --version | head -n 1); $(cat --version 2>/dev/null | head -n 1)"
    item "method: $runs timed runs per command, median wall time; output to /dev/null;" \
        "input read once before timing (warm page cache); MB = 10^6 bytes of input;" \
        "peak RSS = the largest of the runs ($rss_method)"
}

# --- main --------------------------------------------------------------------------
for size in $sizes; do
    case $(segments_of "$size") in '' | *[!0-9]* | 0) say "bad size '$size' in BENCH_SIZES"; exit 2 ;; esac
done
for size in $sizes; do prepare_size "$size"; done
# jq's reference rate on sizes above 1M comes from the 1M file
if [ "$jq_big" != 1 ]; then
    for size in $sizes; do
        if [ "$(segments_of "$size")" -gt 1000000 ]; then prepare_size 1M; break; fi
    done
fi
last=""
for size in $sizes; do
    run_size "$size"
    last=$size
done
[ "${BENCH_SHAPES:-1}" = 0 ] || run_shapes

report=$results/latest.md
{
    machine_facts
    for size in $sizes; do size_table "$(label_of "$size")" "$size"; done
    targets_table "$(label_of "$last")" "$last"
    shapes_table
} > "$tmp/report.md"
cp "$tmp/report.md" "$report"
cat "$tmp/report.md"
say "report saved to $report"
