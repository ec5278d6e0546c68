#!/bin/sh
# One-liners an analyst runs on the bundled example org (see README):
# 40 agents x 14 days of routing-status and presence segments from
# 2026-11-02, in org.ndjson.gz, and their roster in roster.csv.
#
#   sh examples/oneliners.sh        (the gpulse tools on PATH, or built in ../bin)
#
# Each one-liner prints a few lines; copy any of them to a shell in this
# folder.  Intermediate files go to a scratch folder, removed at the end.
set -e
# Where the shell has it, a failing stage fails the whole pipeline (and so
# the script).  The gpulse tools end quietly with status 0 when head(1)
# stops reading early, so `| head` comes right after them; jq and other
# formatters come after head.
# shellcheck disable=SC3040 # guarded: only where the shell knows it
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
# Fall back on the tools built in this tree when none are on PATH.
PATH=$PATH:$here/../bin
export LC_ALL=C
work=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-oneliners.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

step() { printf '\n### %s\n' "$*"; }

step "What a record looks like (the stream is in canonical order: user_id, start)"
gzip -dc org.ndjson.gz > "$work/org.ndjson"
head -n 3 "$work/org.ndjson"

step "How many records, and how many agents"
wc -l < "$work/org.ndjson"
jq -r .user_id "$work/org.ndjson" | uniq | wc -l

step "Genesys repeats a status that spans midnight: how many duplicates?"
gdedupe --stats "$work/org.ndjson" > /dev/null

step "Which statuses occur, and how often (routing and presence are separate timelines)"
jq -r '.routing_status // ("presence " + .presence)' "$work/org.ndjson" | sort | uniq -c | sort -rn | head -n 8

step "Label every segment with its shift (a gap over 90 minutes starts a new one)"
gdedupe "$work/org.ndjson" | gshift | head -n 3

step "How many shifts, and what if the gap were 60 minutes? or 4 hours?"
gdedupe "$work/org.ndjson" | gshift --stats > /dev/null
gdedupe "$work/org.ndjson" | gshift --gap 60m --stats > /dev/null
gdedupe "$work/org.ndjson" | gshift --gap 4h --stats > /dev/null

step "Occupancy and NRT rate per agent over the whole window"
zcat org.ndjson.gz | gdedupe | goccupy | head -n 5 |
    jq -r '[.user_id[0:8], (.on_queue_secs / 360 | round / 10), .occupancy, .nrt_rate] | map(tostring) | @tsv'

step "Occupancy per agent per local day (the roster's time zone labels each shift by its start)"
zcat org.ndjson.gz | gdedupe | gshift | goccupy --by day --roster roster.csv | head -n 5 |
    jq -r '[.user_id[0:8], .period, .shifts, .occupancy] | map(tostring) | @tsv'

step "Per ISO week, as CSV"
zcat org.ndjson.gz | gdedupe | gshift | goccupy --by week --roster roster.csv --csv | head -n 3

step "One agent's first shift, minute by minute"
agent=$(head -n 1 "$work/org.ndjson" | jq -r .user_id)
grep -F "\"$agent\"" "$work/org.ndjson" | gdedupe | gshift |
    jq -rn 'limit(8; inputs | select(.shift == 1 and .routing_status)) | [.start[11:19], .end[11:19], .routing_status, .media // ""] | @tsv'

step "Bucket the agents against their peers (cohort = roster role)"
zcat org.ndjson.gz | gdedupe | gshift | goccupy | gbucket --roster roster.csv > "$work/buckets.ndjson"
head -n 6 "$work/buckets.ndjson" | jq -r '[.user_id[0:8], .cohort, .bucket, .reason] | @tsv'

step "How many agents per bucket"
jq -r .bucket "$work/buckets.ndjson" | sort | uniq -c

step "The same buckets as CSV, for a spreadsheet"
gbucket --roster roster.csv --csv "$work/buckets.ndjson" | head -n 3 | cut -c 1-160

step "Save the cuts from week 1, then judge week 2 by the same yardstick"
zcat org.ndjson.gz | gdedupe | gshift | goccupy --to 2026-11-09 |
    gbucket --roster roster.csv --min-hours 20 --thresholds-out "$work/cuts.csv" > /dev/null
cat "$work/cuts.csv"
zcat org.ndjson.gz | gdedupe | gshift | goccupy --from 2026-11-09 |
    gbucket --roster roster.csv --min-hours 20 --thresholds "$work/cuts.csv" | jq -r .bucket | sort | uniq -c

step "What-if table: buckets for other percentile cuts"
zcat org.ndjson.gz | gdedupe | gshift | goccupy |
    gbucket --roster roster.csv --sweep 10:40:10,60:90:10 --csv | head -n 6

step "Convert the segments to CSV, and run the pipeline on CSV"
# (CSV has one header, set by the first record: a field it lacks, such as
# media here, is left out, with a warning)
gdedupe --csv "$work/org.ndjson" > "$work/org.csv"
head -n 3 "$work/org.csv"
gshift "$work/org.csv" | goccupy --csv | head -n 2 | cut -c 1-160

step "Out of order? gshift says so; gsort restores the canonical order"
tac "$work/org.ndjson" > "$work/reversed.ndjson"
gshift "$work/reversed.ndjson" > /dev/null 2> "$work/err" || head -n 1 "$work/err"
gsort "$work/reversed.ndjson" | gdedupe | gshift | goccupy | head -n 3 | jq -r .occupancy
