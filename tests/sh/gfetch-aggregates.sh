# gfetch aggregates against the fake: interval rows with secs (ms / 1000)
# whose sums per user and status equal the details' cut to the same window;
# the query bodies (metrics, groupBy, granularity, timeZone, <= 100 userId
# predicates per query); --granularity and --tz.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
check="python3 $TESTS_DIR/sh/lib/gfetch_check.py"
start_fake --agents 4 --days 3 --from 2026-11-02 --seed 11
W="--from 2026-11-02 --to 2026-11-05"

gf aggregates $W > agg.ndjson
n=$($check records agg.ndjson 2026-11-02 2026-11-05)
[ "$n" -gt 10 ] || fail "only $n rows"
py '
for l in open("agg.ndjson"):
    r = json.loads(l)
    assert isinstance(r["secs"], (int, float)) and r["secs"] >= 0, r
    assert r["start"].endswith("T00:00:00.000Z") and r["end"].endswith("T00:00:00.000Z"), r' ||
    fail "P1D rows should be UTC days with secs"

# Genesys's sums equal the segments' for the same window
gf details $W > det.ndjson
$check sums agg.ndjson > agg.sums
$check sums det.ndjson > det.sums
diff det.sums agg.sums > sums.diff || fail "aggregates and details disagree: $(head sums.diff)"

# the query: metrics, groupBy, default granularity P1D, no timeZone
fake_log > log.json
$check requests log.json /aggregates/query > agg.req
py '
for line in open("agg.req"):
    b = json.loads(line)["body"]
    assert b["metrics"] == ["tAgentRoutingStatus", "tSystemPresence"], b["metrics"]
    assert b["groupBy"] == ["userId"], b
    assert b["granularity"] == "P1D", b
    assert "timeZone" not in b, b
    assert b["interval"] == "2026-11-02T00:00:00.000Z/2026-11-05T00:00:00.000Z", b["interval"]
    preds = b["filter"]["predicates"]
    assert b["filter"]["type"] == "or" and 0 < len(preds) <= 100
    assert all(p["dimension"] == "userId" and p["type"] == "dimension" for p in preds)' ||
    fail "aggregates query body"

# --granularity PT12H: twice the rows' intervals, the same sums
gf aggregates $W --granularity PT12H > half.ndjson
py 'r = [json.loads(l) for l in open("half.ndjson")]
assert any(x["start"].endswith("T12:00:00.000Z") for x in r)' || fail "PT12H rows"
$check sums half.ndjson | diff det.sums - > /dev/null || fail "PT12H sums differ"

# --tz: passed as timeZone; the rows come back in UTC
fake_post /_fake/reset
gf aggregates --from 2026-11-02T06:00:00Z --to 2026-11-04T06:00:00Z --tz America/Chicago > tz.ndjson
fake_log > tz.json
$check requests tz.json /aggregates/query | py '
for l in sys.stdin:
    b = json.loads(l)["body"]
    assert b["timeZone"] == "America/Chicago", b' || fail "--tz not sent as timeZone"
$check records tz.ndjson 2026-11-02T06:00:00.000Z 2026-11-04T06:00:00.000Z > /dev/null
# dates without a time are local midnights of --tz: two Chicago days (CST,
# UTC-6), and in Santiago the day whose midnight does not exist (clocks
# jump from 00:00 to 01:00 on 2026-09-06) starts at the jump, 04:00Z; the
# same window for details (--tz only places its dates there)
for case in "America/Chicago 2026-11-02 2026-11-04 2026-11-02T06:00:00.000Z/2026-11-04T06:00:00.000Z" \
            "America/Santiago 2026-09-06 2026-09-07 2026-09-06T04:00:00.000Z/2026-09-07T03:00:00.000Z" \
            "UTC 2026-11-02 2026-11-04 2026-11-02T00:00:00.000Z/2026-11-04T00:00:00.000Z"; do
    set -- $case
    for sub in aggregates details; do
        fake_post /_fake/reset
        gf $sub --tz "$1" --from "$2" --to "$3" > dates.ndjson
        fake_log > dates.json
        $check requests dates.json /$sub/query | py '
n = 0
for l in sys.stdin:
    b = json.loads(l)["body"]
    assert b["interval"] == sys.argv[1], b["interval"]
    n += 1
assert n > 0, "no query"' "$4" || fail "$sub --tz $1 --from $2 --to $3: want $4"
    done
    $check records dates.ndjson "${4%/*}" "${4#*/}" > /dev/null || fail "details --tz $1: records outside $4"
done
# 150 users: two queries of 100 and 50 userId predicates, rows in user order
start_fake --agents 150 --days 1 --from 2026-11-02 --seed 2
gf aggregates --from 2026-11-02 --to 2026-11-03 > many.ndjson
$check records many.ndjson 2026-11-02 2026-11-03 > /dev/null
fake_log > many.json
$check requests many.json /aggregates/query | py '
sizes = [len(json.loads(l)["body"]["filter"]["predicates"]) for l in sys.stdin]
assert sizes == [100, 50], sizes' || fail "predicate batches"
py 'assert len(set(json.loads(l)["user_id"] for l in open("many.ndjson"))) == 150' || fail "not every user"
echo ok
