# gfetch --dry-run: the plan (API and login, window, intervals, users,
# batches, each request: method, path, body summary) on stdout, and not one
# request sent, not even for the token: the fake's request log stays empty.
# The plan's queries are the ones a real run sends.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
check="python3 $TESTS_DIR/sh/lib/gfetch_check.py"
start_fake --agents 5 --days 3 --from 2026-11-02 --seed 4
gf users --csv | sed 1d | cut -d, -f1 > ids.txt
[ "$(wc -l < ids.txt)" = 5 ] || fail "the fake's users: $(cat ids.txt)"

# nothing is sent, whatever the subcommand; exit 0
fake_post /_fake/reset
W="--from 2026-11-02 --to 2026-11-05"
gf aggregates --dry-run $W --tz America/Chicago --users ids.txt > agg.plan || fail "aggregates --dry-run failed"
gf details --dry-run $W --users ids.txt --batch-size 2 > det.plan || fail "details --dry-run failed"
gf details --dry-run $W --async > async.plan || fail "details --async --dry-run failed"
gf users --dry-run > users.plan || fail "users --dry-run failed"
gf token --dry-run > token.plan || fail "token --dry-run failed"
fake_log > log.json
py 'log = json.load(open("log.json")); assert log == [], log' || fail "--dry-run sent requests: $(cat log.json)"

# the plan, as the page shows it (the fake's URL aside)
first=$(sort ids.txt | head -1)
last=$(sort ids.txt | tail -1)
sed "s|$FAKE|FAKE|g" agg.plan > agg.got
cat > agg.want <<EOF
gfetch aggregates --dry-run: the plan; nothing is sent
api: FAKE
login: POST FAKE/oauth/token (client credentials)
window: 2026-11-02T06:00:00.000Z/2026-11-05T06:00:00.000Z
intervals: 1 (at most 31 days each)
users: 5 given, in 1 batch of at most 100
requests: 1, 0 ms apart
batch 1/1:
  POST /api/v2/analytics/users/aggregates/query {interval 2026-11-02T06:00:00.000Z/2026-11-05T06:00:00.000Z, granularity P1D, timeZone America/Chicago, 5 users $first .. $last}
EOF
diff agg.want agg.got > agg.diff || fail "aggregates plan: $(cat agg.diff)"
grep -q "^  POST /api/v2/analytics/users/details/jobs {interval 2026-11-02T00:00:00.000Z/2026-11-05T00:00:00.000Z, the batch's users}" async.plan ||
    fail "async plan: $(cat async.plan)"
grep -q "^GET /api/v2/users?pageSize=100&pageNumber=1, 2, ... until an empty page" async.plan ||
    fail "async plan without users lists them first: $(cat async.plan)"
grep -qx "GET /api/v2/tokens/me" token.plan || fail "token plan: $(cat token.plan)"
grep -q "^GET /api/v2/users?pageSize=100&" users.plan || fail "users plan: $(cat users.plan)"
# no secret in any plan
cat agg.plan det.plan async.plan users.plan token.plan | grep -q "$SECRET" && fail "a secret in the plan"

# the plan's queries are the real run's: the same batches and intervals
# (details: the first page of each; a window of 40 days is two intervals)
L="--from 2026-10-01 --to 2026-11-10"
gf details --dry-run $L --users ids.txt --batch-size 2 > long.plan
fake_post /_fake/reset
gf details $L --users ids.txt --batch-size 2 > /dev/null
fake_log > long.json
$check requests long.json /details/query | py '
import re
sent = []
for line in sys.stdin:
    b = json.loads(line)["body"]
    if b["paging"]["pageNumber"] != 1:
        continue
    ids = [p["value"] for p in b["userFilters"][0]["predicates"]]
    sent.append((b["interval"], len(ids), ids[0], ids[-1]))
planned = []
for line in open(sys.argv[1]):
    m = re.match(r"  POST /api/v2/analytics/users/details/query \{interval (\S+), (\d+) users? (\S+)(?: \.\. (\S+))?,", line)
    if m:
        planned.append((m.group(1), int(m.group(2)), m.group(3), m.group(4) or m.group(3)))
assert len(planned) == 6, planned
assert sorted(planned) == sorted(sent), (planned, sent)' long.plan || fail "the plan is not what details sends"
grep -qx "requests: at least 6 (pages until an empty one per batch and interval), 0 ms apart" long.plan ||
    fail "details plan: $(cat long.plan)"

# what a run would refuse before any request, the plan refuses too; no
# credentials is a warning (the plan is still what the run would send)
fake_post /_fake/reset
gf details --dry-run $W --jq '.[' > /dev/null 2> jq.err && fail "a --jq that does not compile was planned"
grep -q "does not compile" jq.err || fail "$(cat jq.err)"
env -u GENESYSCLOUD_OAUTHCLIENT_ID -u GENESYSCLOUD_OAUTHCLIENT_SECRET \
    gfetch --api-url "$FAKE" token --dry-run > nocred.plan 2> nocred.err || fail "no credentials: $(cat nocred.err)"
grep -qx "gfetch: no credentials: a run would stop at the login (.*)" nocred.err || fail "$(cat nocred.err)"
fake_log > log2.json
py 'log = json.load(open("log2.json")); assert log == [], log' || fail "--dry-run sent requests: $(cat log2.json)"

# --dry-run is not for map (it sends nothing anyway); stream's plan is
# tests/sh/gfetch-stream-dry-run.sh
gfetch map details --dry-run < /dev/null 2> map.err && fail "map --dry-run accepted"
grep -q "option '--dry-run' does not apply to map" map.err || fail "$(cat map.err)"
echo ok
