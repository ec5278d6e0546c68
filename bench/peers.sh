#!/bin/sh
# make bench-peers: the gpulse pipeline against two peers computing the same
# buckets on the same files -- the write-up's pandas approach (Debian's
# python3-pandas) and DuckDB SQL (the @duckdb/node-api npm package, with its
# bundled engine) -- timed in the same run; prints the ratios, every stage's
# peak RSS, and whether all three agree on every agent's bucket.
#
#   BIN=bin sh bench/peers.sh
#
# Settings (environment):
#   PEERS_SEGMENTS  segments in the generated file (default 10000000)
#   PEERS_NDJSON, PEERS_CSV, PEERS_ROSTER
#                   the files (default bench/data/segments-<N>.ndjson, .csv and
#                   roster-<N>.csv, generated with ggen when missing)
#   PEERS_SKIP      peers to leave out: "pandas", "duckdb" or both
#
# The pipeline is gdedupe | gshift | goccupy | gbucket --roster
# (by window, cuts 25/75, 40 h, 14 ramp-up days, pools of 4); the peers'
# code is bench/peers/buckets_pandas.py and bench/peers/buckets_duckdb.mjs.
# Results go to bench/results/peers-<time>/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${BIN:-$here/../bin}" && pwd)
PATH=$BIN:$PATH
export PATH LC_ALL=C
segments=${PEERS_SEGMENTS:-10000000}
case $segments in
    *000000) label=$((segments / 1000000))m ;;
    *000) label=$((segments / 1000))k ;;
    *) label=$segments ;;
esac
data=$here/data
ndjson=${PEERS_NDJSON:-$data/segments-$label.ndjson}
csv=${PEERS_CSV:-$data/segments-$label.csv}
roster=${PEERS_ROSTER:-$data/roster-$label.csv}
skip=${PEERS_SKIP:-}
python=/usr/bin/python3
results=$here/results/peers-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results" "$data"

say() { printf '%s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
skipped() { case " $skip " in *" $1 "*) return 0 ;; esac; return 1; }

# --- peers, installed when missing -----------------------------------------
if ! skipped pandas && ! "$python" -c 'import pandas' 2>/dev/null; then
    say "installing python3-pandas (Debian)"
    as_root apt-get install -y python3-pandas >&2
fi
if ! skipped duckdb; then
    if ! command -v npm >/dev/null 2>&1; then
        say "installing nodejs and npm (Debian)"
        as_root apt-get install -y nodejs npm >&2
    fi
    if [ ! -d "$here/peers/node_modules/@duckdb/node-api" ]; then
        say "installing DuckDB (@duckdb/node-api) into bench/peers/node_modules"
        (cd "$here/peers" && npm install --no-audit --no-fund >&2)
    fi
fi
[ -x /usr/bin/time ] || { say "installing time (Debian)"; as_root apt-get install -y time >&2; }

# --- data --------------------------------------------------------------------
if [ ! -s "$ndjson" ] || [ ! -s "$roster" ]; then
    say "generating $segments segments (NDJSON) into $ndjson"
    ggen --segments "$segments" --roster "$roster" > "$ndjson.tmp" && mv "$ndjson.tmp" "$ndjson"
fi
if [ ! -s "$csv" ]; then
    say "generating the same segments as CSV into $csv"
    ggen --segments "$segments" --csv > "$csv.tmp" && mv "$csv.tmp" "$csv"
fi

# --- timing helpers ----------------------------------------------------------
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# peak RSS in MiB from a /usr/bin/time -f %M file (KiB)
rss() { awk '{ printf "%.0f", $1 / 1024 }' "$1"; }

# The gpulse pipeline on FILE: wall seconds on stdout; stages' peak RSS in
# $results/NAME.rss.*; user_id,bucket in $results/NAME.buckets.
gpulse_run() {
    name=$1 file=$2
    t0=$(now)
    /usr/bin/time -f %M -o "$results/$name.rss.gdedupe" gdedupe "$file" |
        /usr/bin/time -f %M -o "$results/$name.rss.gshift" gshift |
        /usr/bin/time -f %M -o "$results/$name.rss.goccupy" goccupy |
        /usr/bin/time -f %M -o "$results/$name.rss.gbucket" gbucket --roster "$roster" --json \
        > "$results/$name.out"
    t1=$(now)
    { echo user_id,bucket
      sed -n 's/^{"user_id":"\([^"]*\)".*"bucket":"\([a-z_]*\)".*/\1,\2/p' "$results/$name.out" | sort
    } > "$results/$name.buckets"
    # what the DuckDB peer writes: each agent's bucket and shift count
    { echo user_id,bucket,shifts
      sed -n 's/^{"user_id":"\([^"]*\)".*"shifts":\([0-9]*\),.*"bucket":"\([a-z_]*\)".*/\1,\3,\2/p' "$results/$name.out" | sort
    } > "$results/$name.agents"
    elapsed "$t0" "$t1"
}

# A peer: wall seconds on stdout, peak RSS in $results/NAME.rss.
peer_run() {
    name=$1
    shift
    t0=$(now)
    /usr/bin/time -f %M -o "$results/$name.rss" "$@" > "$results/$name.log" 2>&1 ||
        { say "$name failed:"; tail -5 "$results/$name.log" >&2; return 1; }
    t1=$(now)
    elapsed "$t0" "$t1"
}

size_mb=$(du -m "$ndjson" | cut -f1)
csv_mb=$(du -m "$csv" | cut -f1)
say "files: $ndjson ($size_mb MB), $csv ($csv_mb MB), $roster"

say "gpulse pipeline, NDJSON ..."
g_json=$(gpulse_run gpulse-ndjson "$ndjson")
say "gpulse pipeline, CSV ..."
g_csv=$(gpulse_run gpulse-csv "$csv")
d_json='' d_csv='' p_json=''
if ! skipped duckdb; then
    say "DuckDB, NDJSON ..."
    d_json=$(peer_run duckdb-ndjson node "$here/peers/buckets_duckdb.mjs" "$ndjson" "$roster" "$results/duckdb-ndjson.buckets")
    say "DuckDB, CSV ..."
    d_csv=$(peer_run duckdb-csv node "$here/peers/buckets_duckdb.mjs" "$csv" "$roster" "$results/duckdb-csv.buckets")
fi
if ! skipped pandas; then
    say "pandas, NDJSON (this takes a while) ..."
    p_json=$(peer_run pandas-ndjson "$python" "$here/peers/buckets_pandas.py" "$ndjson" "$roster" "$results/pandas-ndjson.buckets")
fi

# --- report ------------------------------------------------------------------
ratio() { awk -v p="$1" -v g="$2" 'BEGIN { if (p == "" || g <= 0) print "-"; else printf "%.1fx", p / g }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { sub(/x$/, "", r); if (r == "-") print ""; else if (r + 0 >= t) print "(target " t "x: met)"; else print "(target " t "x: MISSED)" }'; }
stage_rss() {
    for s in gdedupe gshift goccupy gbucket; do printf '%s %s MiB  ' "$s" "$(rss "$results/$1.rss.$s")"; done
}
max_stage_rss() { cat "$results/$1".rss.* | sort -n | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'; }

{
echo "bench-peers: $segments segments; NDJSON $size_mb MB, CSV $csv_mb MB"
echo
printf '%-24s %9s %14s\n' "run" "seconds" "peak RSS MiB"
printf '%-24s %9s %14s\n' "gpulse pipeline, NDJSON" "$g_json" "$(max_stage_rss gpulse-ndjson) (max stage)"
printf '%-24s %9s %14s\n' "gpulse pipeline, CSV" "$g_csv" "$(max_stage_rss gpulse-csv) (max stage)"
[ -n "$d_json" ] && printf '%-24s %9s %14s\n' "DuckDB, NDJSON" "$d_json" "$(rss "$results/duckdb-ndjson.rss")"
[ -n "$d_csv" ] && printf '%-24s %9s %14s\n' "DuckDB, CSV" "$d_csv" "$(rss "$results/duckdb-csv.rss")"
[ -n "$p_json" ] && printf '%-24s %9s %14s\n' "pandas, NDJSON" "$p_json" "$(rss "$results/pandas-ndjson.rss")"
echo
echo "stages, NDJSON: $(stage_rss gpulse-ndjson)"
echo "stages, CSV:    $(stage_rss gpulse-csv)"
for n in gpulse-ndjson gpulse-csv; do
    m=$(max_stage_rss $n)
    [ "$m" -le 64 ] && echo "$n: every stage under 64 MiB: met" || echo "$n: a stage above 64 MiB ($m): MISSED"
done
echo
if [ -n "$d_json" ]; then
    r=$(ratio "$d_json" "$g_json"); echo "gpulse vs DuckDB on NDJSON: $r faster $(verdict "$r" 2)"
    r=$(ratio "$d_csv" "$g_csv"); echo "gpulse vs DuckDB on CSV:    $r faster $(verdict "$r" 2)"
fi
if [ -n "$p_json" ]; then
    r=$(ratio "$p_json" "$g_json"); echo "gpulse vs pandas on NDJSON: $r faster $(verdict "$r" 20)"
fi
echo
agents=$(($(wc -l < "$results/gpulse-ndjson.buckets") - 1))
: > "$results/disagree"
for other in gpulse-csv duckdb-ndjson duckdb-csv pandas-ndjson; do
    [ -f "$results/$other.buckets" ] || continue
    ours=$results/gpulse-ndjson.buckets what="bucket"
    case $other in duckdb-*) ours=$results/gpulse-ndjson.agents what="bucket and shift count" ;; esac
    if cmp -s "$ours" "$results/$other.buckets"; then
        echo "$other: same $what for all $agents agents"
    else
        n=$(diff "$ours" "$results/$other.buckets" | grep -c '^<' || true)
        echo "$other: DIFFERENT $what for $n of $agents agents (gpulse <, $other >):"
        diff "$ours" "$results/$other.buckets" | head -10
        echo "$other" >> "$results/disagree"
    fi
done
[ -s "$results/disagree" ] || echo "all agree on every agent's bucket"
} | tee "$results/report.txt"
echo "(details in $results)" >&2
[ ! -s "$results/disagree" ]
