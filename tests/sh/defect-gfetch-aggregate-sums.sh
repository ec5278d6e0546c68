# gfetch map aggregates turned a stats.sum of 1e300 into "no secs" and
# -5000 ms into "secs":-5, exit 0.  A sum that is negative, not finite, or
# past the span of the time range is a mapping error (exit 1).
set -eu
answer() {
    printf '{"results":[{"group":{"userId":"u1"},"data":[{"interval":"2026-11-02T00:00:00.000Z/2026-11-03T00:00:00.000Z","metrics":[{"metric":"tAgentRoutingStatus","qualifier":"IDLE","stats":{"sum":%s,"count":1}}]}]}]}\n' "$1"
}
for sum in 1e300 -5000 9.3e18 1e15; do
    answer "$sum" > a.json
    if gfetch map aggregates a.json > out 2> err; then echo "sum $sum accepted: $(cat out)"; exit 1; fi
    grep -q "field ms (stats.sum): .* is not a time from 0 to" err || { echo "sum $sum: $(cat err)"; exit 1; }
    [ ! -s out ] || { echo "sum $sum: output $(cat out)"; exit 1; }
done
answer 5400500 > a.json
gfetch map aggregates a.json > out
grep -q '"secs":5400.5' out || { echo "a plain sum: $(cat out)"; exit 1; }
echo ok
