# How gfetch walks the details API: pages until an empty one (short pages
# and approximate totalHits do not end a query early), --page-delay between
# requests, users in batches of at most 100 (--batch-size) with output in
# user order across batches, windows over 31 days split into intervals, and
# the API's repeats at midnight and interval edges dropped.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
check="python3 $TESTS_DIR/sh/lib/gfetch_check.py"
start_fake --agents 7 --days 2 --from 2026-11-02 --seed 9
W="--from 2026-11-02 --to 2026-11-04"
D=/analytics/users/details/query
gf details $W > all.ndjson

# --page-size 2: 7 users' details come in pages 1..4, then page 5 is empty
fake_post /_fake/reset
gf details $W --page-size 2 > small.ndjson
cmp -s all.ndjson small.ndjson || fail "--page-size 2: records differ"
fake_log > log.json
$check requests log.json $D | py '
pages = [json.loads(l)["body"]["paging"] for l in sys.stdin]
assert [p["pageNumber"] for p in pages] == [1, 2, 3, 4, 5], pages
assert all(p["pageSize"] == 2 for p in pages)' || fail "pages"

# short pages: the fake returns fewer than pageSize; gfetch goes on
fake_post /_fake/reset
fake_post /_fake/faults '[{"fault": "short_pages", "path": "details/query", "every": 1}]'
gf details $W --page-size 3 > short.ndjson
cmp -s all.ndjson short.ndjson || fail "short pages: records lost"

# --page-delay: consecutive analytics requests at least that far apart
fake_post /_fake/reset
gfetch --api-url "$FAKE" --no-progress details $W --page-size 3 --page-delay 300ms > delayed.ndjson
cmp -s all.ndjson delayed.ndjson || fail "--page-delay: records differ"
fake_log > delay.json
$check requests delay.json $D | py '
t = [json.loads(l)["t"] for l in sys.stdin]
assert len(t) >= 3 and all(b - a >= 0.3 for a, b in zip(t, t[1:])), t' || fail "--page-delay not kept"

# the default pause is 500 ms
fake_post /_fake/reset
gfetch --api-url "$FAKE" --no-progress details $W --page-size 4 > /dev/null
fake_log > default.json
$check requests default.json $D | py '
t = [json.loads(l)["t"] for l in sys.stdin]
assert len(t) >= 2 and all(b - a >= 0.5 for a, b in zip(t, t[1:])), t' || fail "default page delay"

# midnight and interval-edge duplicates from the API are dropped
fake_post /_fake/reset
fake_post /_fake/faults '[{"fault": "midnight_duplicates", "path": "details/query", "every": 1}]'
gf details $W > dups.ndjson
cmp -s all.ndjson dups.ndjson || fail "midnight duplicates not dropped"

# 40 days: every batch asks two intervals (31 days, then 9), and a segment
# across the edge comes once
start_fake --agents 3 --days 40 --from 2026-10-01 --seed 4
W40="--from 2026-10-01 --to 2026-11-10"
gf details $W40 > long.ndjson
$check records long.ndjson 2026-10-01 2026-11-10 > /dev/null
fake_log > long.json
$check requests long.json $D | py '
ivs = sorted(set(json.loads(l)["body"]["interval"] for l in sys.stdin))
assert ivs == ["2026-10-01T00:00:00.000Z/2026-11-01T00:00:00.000Z",
               "2026-11-01T00:00:00.000Z/2026-11-10T00:00:00.000Z"], ivs' || fail "interval split"

# 230 users: --batch-size 100 (default) gives batches of 100, 100, 30; the
# output is in user order across batches; memory is one batch
start_fake --agents 230 --days 1 --from 2026-11-02 --seed 8
gf details --from 2026-11-02 --to 2026-11-03 > many.ndjson
$check records many.ndjson 2026-11-02 2026-11-03 > /dev/null
fake_log > many.json
$check requests many.json $D | py '
sizes = []
for l in sys.stdin:
    b = json.loads(l)["body"]
    if b["paging"]["pageNumber"] == 1:
        sizes.append(len([p for f in b["userFilters"] for p in f["predicates"]]))
assert sizes == [100, 100, 30], sizes' || fail "batches of 100"
$check requests many.json /api/v2/users | py '
n = [json.loads(l) for l in sys.stdin]
assert len(n) >= 3, "users listed in %d pages" % len(n)' || fail "users paging"
gf details --from 2026-11-02 --to 2026-11-03 --batch-size 40 | cmp -s - many.ndjson || fail "--batch-size 40"
echo ok
