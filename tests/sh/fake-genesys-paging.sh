# The fake Genesys Cloud's details query and users: paging by pageNumber
# to an empty last page, approximate totalHits, whole (uncut) segments that
# overlap the interval, user filters, short pages; /api/v2/users paging.
# Expected values are read off tests/fake-genesys/sample.ndjson by hand.
set -eu
. "$TESTS_DIR/fake-genesys/lib.sh"
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv"

python3 - <<'EOF'
from fgclient import Fake, DETAILS, user_filter, A, B, C

fake = Fake()
fake.login()
D = "dddddddd-0000-4000-8000-000000000004"
TWO_DAYS = "2026-11-02T00:00:00.000Z/2026-11-04T00:00:00.000Z"

def page(interval, size, number, **kw):
    body = {"interval": interval, "paging": {"pageSize": size, "pageNumber": number}}
    body.update(kw)
    status, reply = fake.post(DETAILS, body)
    assert status == 200, (status, reply)
    return reply

# pageSize 1: A, B, C, then an empty page (no userDetails key at all);
# 3 users have data, totalHits says 2 (approximate, like the API's)
got = []
for n in range(1, 6):
    p = page(TWO_DAYS, 1, n)
    assert p["totalHits"] == 2, p
    if "userDetails" not in p:
        assert n == 4 and p == {"totalHits": 2}, (n, p)
        break
    assert len(p["userDetails"]) == 1, p
    got.append(p["userDetails"][0]["userId"])
assert got == [A, B, C], got

# one page holds everything: count the records per user
p = page(TWO_DAYS, 100, 1)
counts = [(u["userId"], len(u.get("routingStatus", [])), len(u.get("primaryPresence", []))) for u in p["userDetails"]]
assert counts == [(A, 10, 6), (B, 5, 2), (C, 2, 1)], counts
assert "userDetails" not in page(TWO_DAYS, 100, 2)

# whole segments: the hour after midnight returns A's overnight OFF_QUEUE and
# OFFLINE and B's night-shift records uncut; C has nothing then
p = page("2026-11-03T00:00:00Z/2026-11-03T01:00:00Z", 100, 1)
assert [u["userId"] for u in p["userDetails"]] == [A, B], p
a, b = p["userDetails"]
assert a["routingStatus"] == [{"startTime": "2026-11-02T17:00:00.000Z", "endTime": "2026-11-03T13:00:00.000Z",
                               "routingStatus": "OFF_QUEUE"}], a
assert a["primaryPresence"][0]["startTime"] == "2026-11-02T17:00:00.000Z", a
assert a["primaryPresence"][0]["systemPresence"] == "OFFLINE" and a["primaryPresence"][0]["organizationPresenceId"], a
assert [(r["startTime"][11:16], r["endTime"][11:16], r["routingStatus"]) for r in b["routingStatus"]] == \
    [("23:30", "00:45", "INTERACTING"), ("00:45", "02:00", "IDLE")], b
assert [(r["startTime"][11:16], r["endTime"][11:16], r["systemPresence"]) for r in b["primaryPresence"]] == \
    [("21:55", "02:10", "ON_QUEUE")], b

# a segment that ends at the interval's start is not in it; one that starts there is
p = page("2026-11-02T17:00:00Z/2026-11-02T18:00:00Z", 100, 1)
assert [(r["startTime"][11:16], r["routingStatus"]) for r in p["userDetails"][0]["routingStatus"]] == \
    [("17:00", "OFF_QUEUE")], p

# order desc: latest first
p = page("2026-11-03T00:00:00Z/2026-11-03T01:00:00Z", 100, 1, order="desc")
assert [r["routingStatus"] for r in p["userDetails"][1]["routingStatus"]] == ["IDLE", "INTERACTING"], p

# user filters select users; a user without data in the interval is no hit
p = page(TWO_DAYS, 100, 1, userFilters=user_filter([C, D]))
assert [u["userId"] for u in p["userDetails"]] == [C] and p["totalHits"] == 1, p
p = page(TWO_DAYS, 100, 1, userFilters=[{"type": "and", "predicates": [
    {"dimension": "userId", "operator": "matches", "value": B}]}])
assert [u["userId"] for u in p["userDetails"]] == [B], p

# no data at all: an empty page with totalHits 0
assert page("2026-11-10T00:00:00Z/2026-11-11T00:00:00Z", 100, 1) == {"totalHits": 0}

# short pages: asked for 2 a page, given 1, and paging on to the empty page
# still yields every user exactly once
fake.faults([{"fault": "short_pages", "path": "details"}])
got = []
for n in range(1, 10):
    p = page(TWO_DAYS, 2, n)
    if "userDetails" not in p:
        break
    assert len(p["userDetails"]) == 1, p
    got += [u["userId"] for u in p["userDetails"]]
assert got == [A, B, C] and n == 4, (got, n)
fake.faults([{"fault": "short_pages", "size": 2}])
assert [len(page(TWO_DAYS, 3, n).get("userDetails", [])) for n in (1, 2, 3)] == [2, 1, 0]
assert all(e["faults"] == ["short_pages"] for e in fake.log() if e["path"] == DETAILS and
           e["body"]["paging"]["pageSize"] == 3)
fake.reset()

# users: roster order, pages of pageSize, pageCount and total, nextUri but on the last page
status, p1 = fake.get("/api/v2/users?pageSize=3&pageNumber=1")
status2, p2 = fake.get("/api/v2/users?pageSize=3&pageNumber=2")
status3, p3 = fake.get("/api/v2/users?pageSize=3&pageNumber=3")
assert (status, status2, status3) == (200, 200, 200)
assert [e["id"] for e in p1["entities"] + p2["entities"]] == [A, B, C, D], (p1, p2)
assert p3["entities"] == [], p3
assert (p1["total"], p1["pageCount"], p1["pageSize"], p1["pageNumber"]) == (4, 2, 3, 1), p1
assert "nextUri" in p1 and "nextUri" not in p2, (p1, p2)
users = {e["id"]: e for e in p1["entities"] + p2["entities"]}
assert users[A]["name"] == "Ann Lee" and users[A]["title"] == "tier1-voice" and users[A]["dateHire"] == "2025-01-06"
assert users[C]["title"] == "tier1-chat+tier2-email" and "dateHire" not in users[C], users[C]
assert users[D]["state"] == "active" and users[D]["email"] == "di.oduya@example.com", users[D]
assert all(e["department"] for e in users.values())
status, p = fake.get("/api/v2/users")          # default pageSize 25
assert p["pageSize"] == 25 and len(p["entities"]) == 4, p
print("ok")
EOF
