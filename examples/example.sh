#!/bin/sh
# The main job on the bundled example org (40 agents x 14 days): deduplicate,
# derive shifts, sum occupancy per agent over the window, bucket agents
# against their cohort, and print the table a supervisor reads.
#   BIN=bin sh examples/example.sh      (make example does this)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../bin}
PATH=$BIN:$PATH

zcat "$here/org.ndjson.gz" |
    gdedupe --sorted |
    gshift --gap 90m |
    goccupy --by window --roster "$here/roster.csv" |
    gbucket --roster "$here/roster.csv" > "${TMPDIR:-/tmp}/gpulse-example.$$"
trap 'rm -f "${TMPDIR:-/tmp}/gpulse-example.$$"' EXIT

echo "gpulse: occupancy buckets for the example org, 2026-11-02 .. 2026-11-16"
echo
jq -r '[.cohort, .bucket, .user_id[0:8],
        (if .occupancy == null then "-" else (.occupancy * 1000 | round / 10 | tostring) + "%" end),
        (if .nrt_rate == null then "-" else (.nrt_rate * 1000 | round / 10 | tostring) + "%" end),
        ((.on_queue_secs / 360 | round) / 10 | tostring) + " h",
        .reason] | @tsv' "${TMPDIR:-/tmp}/gpulse-example.$$" |
    sort -t "$(printf '\t')" -k1,1 -k2,2 -k4,4r |
    awk -F '\t' 'BEGIN { printf "%-24s %-20s %-9s %9s %6s %8s  %s\n", "COHORT", "BUCKET", "AGENT", "OCCUPANCY", "NRT", "ON QUEUE", "WHY" }
                 { printf "%-24s %-20s %-9s %9s %6s %8s  %s\n", $1 == "" ? "(no role)" : $1, $2, $3, $4, $5, $6, $7 }'
echo
jq -r .bucket "${TMPDIR:-/tmp}/gpulse-example.$$" | sort | uniq -c | awk '{ printf "%s %s", sep, $2 ": " $1; sep = "," } END { print "" }'
