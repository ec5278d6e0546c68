#!/bin/sh
# Run every libFuzzer target in build/fuzz/bin for SECS seconds each (make
# fuzz FUZZ_SECS=N).  Each starts from its seeds -- the inputs of the golden
# tests, the examples and the fixtures, built here -- and from the inputs
# that once found a defect (tests/fuzz/regress/NAME/, kept in the repo).
# New inputs go to a scratch corpus, not the repo.  Any finding (a
# sanitizer report, a crash, a broken property, a timeout, a leak) fails
# the run; its input is kept under build/fuzz/findings/ with a hint to add
# it to tests/fuzz/regress/NAME/ once fixed.
#
#   sh tests/fuzz/run.sh [SECS] [TARGET...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-10}
[ $# -gt 0 ] && shift
bin=$root/build/fuzz/bin
findings=$root/build/fuzz/findings
scratch=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$findings"

# seed_NAME DIR: put the seeds of target NAME in DIR
goldens() { # files of the golden tests' folders whose first byte is $1
    for f in "$root"/tests/golden/*/in "$root"/tests/golden/*/*.ndjson "$root"/tests/golden/*/*.csv; do
        [ -f "$f" ] || continue
        first=$(head -c 1 "$f")
        case "$1" in
            json) [ "$first" = "{" ] || continue ;;
            csv) [ "$first" != "{" ] && [ -n "$first" ] || continue ;;
        esac
        head -c 65536 "$f" > "$2/golden-$(echo "$f" | cksum | cut -d' ' -f1)"
    done
}
seed_ndjson() {
    goldens json "$1"
    head -50 "$root/tests/fake-genesys/sample.ndjson" > "$1/sample"
    printf '{"user_id":"u\\/x","routing_status":"idle","start":"2026-11-02T13:00:00+01:00","secs":"1e3"}\n' > "$1/escapes"
}
seed_csv() {
    goldens csv "$1"
    cp "$root/examples/roster.csv" "$1/roster"
    printf 'user_id,routing_status,start,end\n"u,1",IDLE,2026-11-02T13:00:00Z,\n"a ""b""",BREAK,2026-11-02t13:00:00z,2026-11-02T14:00:00Z\n' > "$1/quoted"
}
seed_times() {
    i=0
    for s in 2026-11-02T13:00:00.000Z 2026-11-02T13:00:00+01:00 2026-11-02t13:00:00,5z 9999-12-31T23:59:59.999Z \
        0000-01-01T00:00:00-01:00 2024-02-29 1h30m PT90M P1DT2H 1.5h 500ms 5400 300.25 3e2 -0.001; do
        i=$((i + 1))
        printf '%s' "$s" > "$1/t$i"
    done
}
seed_roster() {
    cp "$root/examples/roster.csv" "$1/example"
    cp "$root/tests/fake-genesys/sample-roster.csv" "$1/sample"
}
seed_thresholds() {
    for f in "$root"/tests/golden/*/*thresholds*; do
        [ -f "$f" ] && cp "$f" "$1/$(basename "$(dirname "$f")")"
    done
    printf 'cohort,period,occ_low,occ_high,nrt_low,nrt_high\nall,window,0.5,0.9,0.01,0.1\n' > "$1/plain"
}
seed_gfetch_map() {
    for f in "$root"/tests/fixtures/genesys/*.json; do
        case $(basename "$f") in
            details*) sel=0 ;; aggregates*) sel=1 ;; users*) sel=2 ;; *) continue ;;
        esac
        { printf '%s' "$sel"; cat "$f"; } > "$1/$(basename "$f")"
    done
}
seed_stream() { # the fake's own WebSocket messages, built by its code
    /usr/bin/python3 "$here/stream_seeds.py" "$1"
}

targets=${*:-$(cd "$bin" 2>/dev/null && ls fuzz-* | sed 's/^fuzz-//')}
[ -n "$targets" ] || { echo "no fuzz targets in $bin: run make fuzz"; exit 1; }
failed=0
for name in $targets; do
    seeds=$scratch/$name-seeds corpus=$scratch/$name-corpus
    mkdir -p "$seeds" "$corpus"
    "seed_$name" "$seeds"
    regress=$here/regress/$name
    dirs="$corpus $seeds"
    [ -d "$regress" ] && dirs="$dirs $regress"
    # the roster and thresholds readers end the program on bad data: what a
    # caught exit leaves allocated is not a leak of the program; libjq 1.6's
    # parser leaks on some malformed JSON ('["a" "b"]'), which gfetch_map
    # and stream feed it by the thousand (gfetch itself is leak-checked by
    # the suite)
    leaks=1
    case $name in roster|thresholds|gfetch_map|stream) leaks=0 ;; esac
    # shellcheck disable=SC2086
    if ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=$leaks" "$bin/fuzz-$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -detect_leaks=$leaks \
        -max_len=65536 -artifact_prefix="$findings/$name-" -print_final_stats=1 $dirs \
        > "$scratch/$name.log" 2>&1; then
        echo "fuzz-$name: ok, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/$name.log" | grep -o '[0-9]*$') runs in ${secs}s"
    else
        failed=$((failed + 1))
        echo "fuzz-$name: FINDING"
        grep -E 'ERROR|SUMMARY|property broken|runtime error|Test unit written' "$scratch/$name.log" | head -20
        echo "  once fixed, add the input to tests/fuzz/regress/$name/"
    fi
done
[ "$failed" -eq 0 ]
