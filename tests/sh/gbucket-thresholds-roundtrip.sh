# Cuts written by --thresholds-out and read back by --thresholds give every
# agent the same bucket, on generated orgs of several sizes and seeds.
# With a linear-interpolation percentile, a cut often equals one agent's
# occupancy exactly (pool sizes 4k+1): a cut written rounded moves that
# agent, which is how this test fails when cuts lose digits.
set -eu
checked=0
for org in "9 1" "13 2" "21 7" "40 3"; do
    set -- $org
    # the roster first: goccupy reads it when it starts
    ggen --agents "$1" --seed "$2" --days 14 --roster roster.csv > org.ndjson
    gdedupe org.ndjson | gshift | goccupy --by week --roster roster.csv > weeks.ndjson
    gbucket --roster roster.csv --min-hours 1 --min-pool 2 --thresholds-out cuts.csv weeks.ndjson > first.ndjson
    gbucket --roster roster.csv --min-hours 1 --min-pool 2 --thresholds cuts.csv weeks.ndjson > again.ndjson
    jq -r '[.user_id, .period, .bucket] | @tsv' first.ndjson > first.tsv
    jq -r '[.user_id, .period, .bucket] | @tsv' again.ndjson > again.tsv
    if ! cmp -s first.tsv again.tsv; then
        echo "agents $1 seed $2: buckets differ after the round trip"
        diff first.tsv again.tsv | head
        exit 1
    fi
    # the test means something only if agents were bucketed against cuts
    bucketed=$(grep -c 'good\|average\|poor' first.tsv || true)
    [ "$bucketed" -gt 0 ] || { echo "agents $1 seed $2: nobody bucketed"; exit 1; }
    # and the cut values read back are the very doubles applied
    jq -r 'select(.occ_low != null) | [.cohort, .period, .occ_low, .occ_high, .nrt_low, .nrt_high] | @tsv' \
        first.ndjson | sort -u > applied.tsv
    jq -Rr 'split(",") | select(.[0] != "cohort" and .[5] != "") | [.[0], .[1], (.[5,6,7,8] | tonumber)] | @tsv' \
        cuts.csv | sort -u > saved.tsv
    cmp -s applied.tsv saved.tsv || { echo "agents $1 seed $2: saved cuts differ"; diff applied.tsv saved.tsv | head; exit 1; }
    checked=$((checked + bucketed))
done
echo "$checked bucketed rows kept their bucket"
