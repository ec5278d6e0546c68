# The fake Genesys Cloud's aggregates query: sums by hand on the sample
# org (UTC days, a 25-hour DST day in America/Chicago, hours, a ragged last
# interval, filters, no groupBy), and on a ggen org: for every user, status
# and interval, the aggregate equals the sum of the details segments cut to
# that interval.
set -eu
. "$TESTS_DIR/fake-genesys/lib.sh"
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv"

python3 - <<'EOF'
from fgclient import Fake, AGGREGATES, A, B, C
import zoneinfo
import fg_data
import fg_query

fake = Fake()
fake.login()
H = 3600 * 1000
M = 60 * 1000

def query(interval, granularity=None, tz=None, metrics=("tAgentRoutingStatus", "tSystemPresence"), **kw):
    body = {"interval": interval, "groupBy": ["userId"], "metrics": list(metrics)}
    if granularity:
        body["granularity"] = granularity
    if tz:
        body["timeZone"] = tz
    body.update(kw)
    status, reply = fake.post(AGGREGATES, body)
    assert status == 200, (status, reply)
    return reply

def table(reply):
    """{(user, interval, metric, qualifier): (sum, count)}"""
    out = {}
    for r in reply.get("results", []):
        for d in r["data"]:
            for m in d["metrics"]:
                out[(r["group"].get("userId"), d["interval"], m["metric"], m["qualifier"])] = \
                    (m["stats"]["sum"], m["stats"]["count"])
    return out

D1 = "2026-11-02T00:00:00.000Z/2026-11-03T00:00:00.000Z"
D2 = "2026-11-03T00:00:00.000Z/2026-11-04T00:00:00.000Z"
t = table(query("2026-11-02T00:00:00Z/2026-11-04T00:00:00Z", "P1D"))
R, P = "tAgentRoutingStatus", "tSystemPresence"
assert t[(A, D1, R, "IDLE")] == (70 * M, 2)                  # 13:00-13:30, 14:20-15:00
assert t[(A, D1, R, "INTERACTING")] == (135 * M, 2)          # 13:30-14:15, 15:30-17:00
assert t[(A, D1, R, "NOT_RESPONDING")] == (5 * M, 1)
assert t[(A, D1, R, "OFF_QUEUE")] == (20 * H + 30 * M, 3)    # 00-13, 15:00-15:30, 17-24
assert t[(A, D2, R, "IDLE")] == (45 * M + 30000, 1)          # 13:00-13:45:30
assert t[(A, D2, R, "OFF_QUEUE")] == (13 * H, 1)
assert t[(A, D1, P, "MEAL")] == (30 * M, 1)
assert t[(B, D1, R, "INTERACTING")] == (30 * M, 1)           # 23:30-00:45 across midnight
assert t[(B, D2, R, "INTERACTING")] == (45 * M, 1)
assert t[(B, D2, R, "COMMUNICATING")] == (10 * M, 1)
assert t[(B, D1, P, "ON_QUEUE")] == (2 * H + 5 * M, 1)
assert t[(C, D2, P, "AVAILABLE")] == (70 * M, 1)
assert (C, D1, R, "IDLE") not in t                           # empty intervals are left out
assert len([k for k in t if k[0] == C]) == 3, t

# America/Chicago: 2026-11-01 is 25 hours long (CDT -> CST)
t = table(query("2026-11-01T05:00:00Z/2026-11-03T06:00:00Z", "P1D", "America/Chicago"))
N1 = "2026-11-01T05:00:00.000Z/2026-11-02T06:00:00.000Z"
N2 = "2026-11-02T06:00:00.000Z/2026-11-03T06:00:00.000Z"
assert t[(A, N1, R, "OFF_QUEUE")] == (6 * H, 1), t
assert t[(A, N2, R, "OFF_QUEUE")] == (7 * H + 30 * M + 13 * H, 3), t
assert t[(B, N2, R, "INTERACTING")] == (75 * M, 1), t
assert {k[1] for k in t} == {N1, N2}

# hours, a ragged last interval, a segment across three intervals
t = table(query("2026-11-02T23:00:00Z/2026-11-03T01:30:00Z", "PT1H", metrics=["tAgentRoutingStatus"]))
assert t[(B, "2026-11-02T23:00:00.000Z/2026-11-03T00:00:00.000Z", R, "INTERACTING")] == (30 * M, 1)
assert t[(B, "2026-11-03T00:00:00.000Z/2026-11-03T01:00:00.000Z", R, "INTERACTING")] == (45 * M, 1)
assert t[(B, "2026-11-03T00:00:00.000Z/2026-11-03T01:00:00.000Z", R, "IDLE")] == (15 * M, 1)
assert t[(B, "2026-11-03T01:00:00.000Z/2026-11-03T01:30:00.000Z", R, "IDLE")] == (30 * M, 1)
assert t[(A, "2026-11-03T01:00:00.000Z/2026-11-03T01:30:00.000Z", R, "OFF_QUEUE")] == (30 * M, 1)
assert not any(k[2] == P for k in t)

# no granularity: one interval, the whole of it; offsets in the interval are honoured
t = table(query("2026-11-02T18:00:00-06:00/2026-11-03T06:00:00-06:00", metrics=["tAgentRoutingStatus"]))
W = "2026-11-03T00:00:00.000Z/2026-11-03T12:00:00.000Z"
assert t[(B, W, R, "INTERACTING")] == (45 * M, 1) and t[(A, W, R, "OFF_QUEUE")] == (12 * H, 1), t

# a userId filter; no groupBy: one group {} with everyone's sums
t = table(query("2026-11-02T00:00:00Z/2026-11-04T00:00:00Z", "P1D",
                filter={"type": "or", "predicates": [{"dimension": "userId", "value": C}]}))
assert {k[0] for k in t} == {C}, t
status, reply = fake.post(AGGREGATES, {"interval": "2026-11-02T00:00:00Z/2026-11-04T00:00:00Z",
                                       "metrics": ["tAgentRoutingStatus"]})
assert reply["results"][0]["group"] == {}, reply
total = {m["qualifier"]: m["stats"]["sum"] for m in reply["results"][0]["data"][0]["metrics"]}
assert total["INTERACTING"] == (135 + 14.5 + 75 + 40) * M, total

# tOrganizationPresence: qualifiers are presence ids, with the mapping
reply = query("2026-11-03T08:00:00Z/2026-11-03T10:00:00Z", metrics=["tOrganizationPresence"])
ids = reply["systemToOrganizationMappings"]["AVAILABLE"]
assert table(reply)[(C, "2026-11-03T08:00:00.000Z/2026-11-03T10:00:00.000Z", "tOrganizationPresence", ids[0])] \
    == (70 * M, 1)

# no data: {}
assert query("2026-11-20T00:00:00Z/2026-11-21T00:00:00Z", "P1D") == {}

# the calendar part of a period is counted in wall time, from the interval's start
ms = fg_data.parse_time_ms
utc = zoneinfo.ZoneInfo("UTC")
b = fg_query.bucket_bounds(ms("2026-01-31T00:00:00Z"), ms("2026-04-01T00:00:00Z"), fg_query.parse_period("P1M"), utc)
assert [fg_data.format_time_ms(x)[:10] for x in b] == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-01"], b
b = fg_query.bucket_bounds(ms("2026-03-07T06:00:00Z"), ms("2026-03-10T05:00:00Z"), fg_query.parse_period("P1D"),
                           zoneinfo.ZoneInfo("America/Chicago"))
assert [fg_data.format_time_ms(x)[5:16] for x in b] == ["03-07T06:00", "03-08T06:00", "03-09T05:00", "03-10T05:00"], b
assert fg_query.parse_period("P1DT12H") == (0, 0, 1, 12 * H)
assert fg_query.parse_period("P2W") == (0, 0, 14, 0)
assert fg_query.parse_period("PT30M") == (0, 0, 0, 30 * M)
print("ok")
EOF

# --- consistency on a ggen org ---------------------------------------------
[ -x "$BIN/ggen" ] || fail "no $BIN/ggen"
fake_stop
fake_start --agents 8 --days 9 --seed 7
python3 - <<'EOF'
from fgclient import Fake, DETAILS, AGGREGATES, user_filter
import fg_data

fake = Fake()
fake.login()
status, users = fake.get("/api/v2/users?pageSize=500")
ids = [u["id"] for u in users["entities"]]
assert len(ids) >= 8, users          # the roster may list an agent twice; users are unique
assert len(set(ids)) == len(ids)

def details(interval):
    segs, n = [], 1
    while True:
        status, p = fake.post(DETAILS, {"interval": interval, "userFilters": user_filter(ids),
                                        "paging": {"pageSize": 3, "pageNumber": n}})
        assert status == 200, p
        if "userDetails" not in p:
            return segs
        for u in p["userDetails"]:
            for r in u.get("routingStatus", []):
                segs.append((u["userId"], "tAgentRoutingStatus", r["routingStatus"], r["startTime"], r["endTime"]))
            for r in u.get("primaryPresence", []):
                segs.append((u["userId"], "tSystemPresence", r["systemPresence"], r["startTime"], r["endTime"]))
        n += 1

def check(interval, granularity, tz):
    segs = details(interval)
    assert len(segs) > 500, len(segs)
    status, reply = fake.post(AGGREGATES, {"interval": interval, "granularity": granularity, "timeZone": tz,
                                           "groupBy": ["userId"], "filter": user_filter(ids)[0],
                                           "metrics": ["tAgentRoutingStatus", "tSystemPresence"]})
    assert status == 200, reply
    got, intervals = {}, set()
    for r in reply["results"]:
        for d in r["data"]:
            intervals.add(d["interval"])
            for m in d["metrics"]:
                got[(r["group"]["userId"], d["interval"], m["metric"], m["qualifier"])] = m["stats"]["sum"]
    # the intervals tile the window
    spans = sorted(tuple(fg_data.parse_time_ms(x) for x in i.split("/")) for i in intervals)
    lo, hi = (fg_data.parse_time_ms(x) for x in interval.split("/"))
    assert spans[0][0] >= lo and spans[-1][1] <= hi
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
    want = {}
    for uid, metric, status, s, e in segs:
        s, e = fg_data.parse_time_ms(s), fg_data.parse_time_ms(e)
        for a, b in spans:
            overlap = min(e, b) - max(s, a)
            if overlap > 0:
                key = (uid, "%s/%s" % (fg_data.format_time_ms(a), fg_data.format_time_ms(b)), metric, status)
                want[key] = want.get(key, 0) + overlap
    assert got == want, (len(got), len(want), sorted(set(got.items()) ^ set(want.items()))[:5])
    # and the window's total per user: every ms of the window is in one routing status
    per_user = {}
    for (uid, _, metric, _), v in got.items():
        if metric == "tAgentRoutingStatus":
            per_user[uid] = per_user.get(uid, 0) + v
    return len(spans), len(got), per_user

print(check("2026-11-02T00:00:00.000Z/2026-11-09T00:00:00.000Z", "P1D", "UTC")[:2])
print(check("2026-11-03T05:00:00.000Z/2026-11-10T05:00:00.000Z", "P1D", "America/New_York")[:2])
print(check("2026-11-04T00:00:00.000Z/2026-11-06T12:00:00.000Z", "PT30M", "Asia/Manila")[:2])
print(check("2026-11-02T00:00:00.000Z/2026-11-11T00:00:00.000Z", "P7D", "Europe/London")[:2])
EOF
