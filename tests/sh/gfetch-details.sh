# gfetch details against the fake Genesys Cloud: well-formed records cut to
# the window in canonical order; --whole; --csv; --org; --user / --users;
# what the queries asked (filters, paging, order, intervals).
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
check="python3 $TESTS_DIR/sh/lib/gfetch_check.py"
start_fake --agents 5 --days 3 --from 2026-11-02 --seed 7
W="--from 2026-11-02T00:00:00Z --to 2026-11-05T00:00:00Z"

gf details $W > cut.ndjson
n=$($check records cut.ndjson 2026-11-02 2026-11-05)
[ "$n" -gt 50 ] || fail "only $n records"
# canonical order as gsort sees it, too
gsort cut.ndjson | cmp -s - cut.ndjson || fail "gsort reorders gfetch's output"

# every user of the org, from GET /api/v2/users
fake_log > log.json
$check requests log.json /api/v2/users > users.req
[ -s users.req ] || fail "no users request"
py 'users = set(r["user_id"] for r in map(json.loads, open("cut.ndjson")))
assert len(users) == 5, users' || fail "expected the 5 users of the org"

# each details query: userFilters of <= 100 userId predicates, order asc,
# paging pageSize 100, interval <= 31 days; the last page of a query empty
$check requests log.json /api/v2/analytics/users/details/query > details.req
py '
from datetime import datetime
def ms(t): return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
pages = {}
for line in open("details.req"):
    e = json.loads(line)
    b = e["body"]
    preds = [p for f in b["userFilters"] for p in f["predicates"]]
    assert 0 < len(preds) <= 100, len(preds)
    assert all(p["dimension"] == "userId" for p in preds)
    assert b["paging"]["pageSize"] == 100, b["paging"]
    assert b.get("order") == "asc"
    s, t = b["interval"].split("/")
    assert ms(t) - ms(s) <= 31 * 86400
    assert e["status"] == 200, e
    pages.setdefault(b["interval"], []).append(b["paging"]["pageNumber"])
for iv, p in pages.items():
    assert p == list(range(1, len(p) + 1)) and len(p) >= 2, (iv, p)
' || fail "details queries not as expected"

# --whole: the API's segments uncut; cut, they are exactly the default output
gf details $W --whole > whole.ndjson
$check records whole.ndjson 2026-11-02 2026-11-05 whole > /dev/null
$check clip whole.ndjson 2026-11-02 2026-11-05 > whole.clipped
py 'import sys
for l in open("cut.ndjson"): print(json.dumps(json.loads(l), sort_keys=True))' | sort > cut.sorted
diff cut.sorted whole.clipped > /dev/null || fail "--whole cut to the window differs from the default"

# --csv: the same records
gf details $W --csv > cut.csv
head -1 cut.csv | grep -qx 'user_id,routing_status,presence,start,end' || fail "CSV header: $(head -1 cut.csv)"
[ $(($(wc -l < cut.csv) - 1)) -eq "$n" ] || fail "CSV has another number of records"
py '
import csv
rows = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(open("cut.csv"))]
assert rows == [json.loads(l) for l in open("cut.ndjson")]' || fail "CSV and NDJSON records differ"

# a closed pipe ends gfetch quietly with status 0
status=$( { gf details $W 2> pipe.err; echo $? > pipe.status; } | head -1 > first.ndjson; cat pipe.status)
[ "$status" = 0 ] && [ ! -s pipe.err ] || fail "| head -1: status $status, $(cat pipe.err)"
head -1 cut.ndjson | cmp -s - first.ndjson || fail "| head -1: another first record"

# --org labels every record, and the order stays canonical
gf details $W --org acme > org.ndjson
$check records org.ndjson 2026-11-02 2026-11-05 > /dev/null
py 'assert all(json.loads(l)["org"] == "acme" for l in open("org.ndjson"))' || fail "--org missing"

# --user twice: only those users, and only they are asked for
u1=$(py 'print(sorted(set(json.loads(l)["user_id"] for l in open("cut.ndjson")))[3])')
u2=$(py 'print(sorted(set(json.loads(l)["user_id"] for l in open("cut.ndjson")))[1])')
fake_post /_fake/reset
gf details $W --user "$u1" --user "$u2" > two.ndjson
fake_log > log2.json
py 'want = set(sys.argv[1:])
got = set(json.loads(l)["user_id"] for l in open("two.ndjson"))
assert got == want, (got, want)
mine = [json.loads(l) for l in open("cut.ndjson") if json.loads(l)["user_id"] in want]
assert mine == [json.loads(l) for l in open("two.ndjson")]
for e in json.load(open("log2.json")):
    assert "/api/v2/users" not in e["path"], "listed users although --user was given"
    if "details/query" in e["path"]:
        preds = {p["value"] for f in e["body"]["userFilters"] for p in f["predicates"]}
        assert preds == want, preds' "$u1" "$u2" || fail "--user"

# --users: a roster CSV (from gfetch users) and a plain list give the same
gf users > roster.csv
gf details $W --users roster.csv | cmp -s - cut.ndjson || fail "--users roster.csv"
printf '# two agents\n%s\n\n%s\n' "$u2" "$u1" > ids.txt
gf details $W --users ids.txt | cmp -s - two.ndjson || fail "--users ids.txt"
# progress on stderr only when it is a terminal (above, a file: nothing)
if command -v script > /dev/null 2>&1; then
    script -qc "gfetch --api-url $FAKE --page-delay 0 details $W > tty.ndjson" /dev/null > tty.err < /dev/null
    grep -q 'gfetch: details: batch 1/1, interval 1/1, page 1' tty.err || fail "no progress on a terminal: $(cat -v tty.err)"
    cmp -s tty.ndjson cut.ndjson || fail "records differ with progress shown"
fi
echo ok
