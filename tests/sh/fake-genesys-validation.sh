# The fake Genesys Cloud checks queries like the API: each bad request gets
# 400 with an ErrorBody that says what is wrong; the good ones pass.
set -eu
. "$TESTS_DIR/fake-genesys/lib.sh"
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv"

python3 - <<'EOF'
from fgclient import Fake, DETAILS, JOBS, AGGREGATES, user_filter

fake = Fake()
fake.login()
WEEK = "2026-11-02T00:00:00.000Z/2026-11-09T00:00:00.000Z"
ids = ["u%03d" % i for i in range(101)]

def details(**kw):
    body = {"interval": WEEK}
    body.update(kw)
    return body

def agg(**kw):
    body = {"interval": WEEK, "groupBy": ["userId"], "metrics": ["tAgentRoutingStatus"]}
    body.update(kw)
    return body

pred = lambda dim, value: [{"type": "or", "predicates": [{"dimension": dim, "value": value}]}]

# (endpoint, body, a word the message must hold)
bad = [
    (DETAILS, {}, "interval is required"),
    (DETAILS, {"paging": {"pageSize": 10, "pageNumber": 1}}, "interval is required"),
    (DETAILS, details(interval="2026-11-02/2026-11-03"), "malformed interval"),
    (DETAILS, details(interval="2026-11-02T00:00:00Z"), "malformed interval"),
    (DETAILS, details(interval="2026-11-03T00:00:00Z/2026-11-02T00:00:00Z"), "before its end"),
    (DETAILS, details(interval=7), "must be a string"),
    (DETAILS, details(interval="2026-11-02T00:00:00Z/2026-11-09T00:00:00.001Z"), "longer than 7 days"),
    (DETAILS, details(interval="2026-11-01T00:00:00Z/2026-12-02T00:00:00.001Z",
                      userFilters=user_filter(["x"])), "longer than 31 days"),
    (DETAILS, details(userFilters=user_filter(ids)), "101 userId predicates"),
    (DETAILS, details(userFilters=[{"type": "or", "clauses": [{"type": "or", "predicates":
        [{"dimension": "userId", "value": i} for i in ids]}]}]), "101 userId predicates"),
    (DETAILS, details(order="ascending"), "order: invalid value"),
    (DETAILS, details(paging={"pageSize": 101, "pageNumber": 1}), "pageSize: 101"),
    (DETAILS, details(paging={"pageSize": 0, "pageNumber": 1}), "pageSize: 0"),
    (DETAILS, details(paging={"pageSize": 10, "pageNumber": 0}), "pageNumber: 0"),
    (DETAILS, details(paging={"pageSize": 10}), "paging.pageNumber is required"),
    (DETAILS, details(paging={"pageSize": "10", "pageNumber": 1}), "must be an integer"),
    (DETAILS, details(pagesize=10), 'Unrecognized field "pagesize"'),
    (DETAILS, details(userFilters=[{"predicates": []}]), "userFilters[0].type is required"),
    (DETAILS, details(userFilters=[{"type": "xor"}]), "invalid value"),
    (DETAILS, details(userFilters=pred("user_id", "x")), "invalid value \"user_id\""),
    (DETAILS, details(userFilters=pred("UserId", "x")), "invalid value \"UserId\""),
    (DETAILS, details(routingStatusFilters=pred("routing_status", "interacting")), "invalid value"),
    (DETAILS, details(routingStatusFilters=pred("routingStatus", "INTERACTING")), "camelCase"),
    (DETAILS, details(routingStatusFilters=pred("routingStatus", "not_responding")), "camelCase"),
    (DETAILS, details(presenceFilters=pred("systemPresence", "ON_QUEUE")), "camelCase"),
    (DETAILS, details(presenceFilters=pred("system_presence", "onQueue")), "invalid value"),
    (DETAILS, b"{not json", "not valid JSON"),
    (DETAILS, [], "must be a JSON object"),
    (JOBS, {"order": "asc"}, "interval is required"),
    (JOBS, details(paging={"pageSize": 10, "pageNumber": 1}), 'Unrecognized field "paging"'),
    (JOBS, details(userFilters=user_filter(ids)), "101 userId predicates"),
    (JOBS, details(interval="2026-11-02T00:00:00Z/2026-11-12T00:00:00Z"), "longer than 7 days"),
    (AGGREGATES, {"interval": WEEK}, "metrics is required"),
    (AGGREGATES, {"metrics": ["tAgentRoutingStatus"]}, "interval is required"),
    (AGGREGATES, agg(metrics=["tAgentRoutingStatus", "oInteracting"]), "metrics[1]: invalid value"),
    (AGGREGATES, agg(metrics=[]), "at least one metric"),
    (AGGREGATES, agg(groupBy=["user_id"]), "groupBy[0]: invalid value"),
    (AGGREGATES, agg(granularity="1D"), "invalid ISO-8601 period"),
    (AGGREGATES, agg(granularity="PT"), "invalid ISO-8601 period"),
    (AGGREGATES, agg(granularity="P0D"), "empty"),
    (AGGREGATES, agg(timeZone="Mars/Olympus"), "unknown time zone"),
    (AGGREGATES, agg(interval="yesterday"), "malformed interval"),
    (AGGREGATES, agg(filter={"type": "or", "predicates": [{"dimension": "userId", "value": i} for i in ids]}),
     "101 userId predicates"),
    (AGGREGATES, agg(filter={"predicates": []}), "filter.type is required"),
    (AGGREGATES, agg(filter={"type": "or", "predicates": [{"dimension": "queueId", "value": "q"}]}),
     "invalid value"),
]
for path, body, word in bad:
    r = fake.call("POST", path, body)
    e = r.json()
    assert r.status == 400, (path, body, r.status, e)
    assert e["code"] == "bad.request" and e["status"] == 400, e
    assert word in e["message"], (word, e["message"])

ok = [
    (DETAILS, details(), 200),
    (DETAILS, details(interval="2026-11-02T00:00:00-06:00/2026-11-09T00:00:00-06:00"), 200),
    (DETAILS, details(interval="2026-11-01T00:00:00Z/2026-12-02T00:00:00Z", userFilters=user_filter(ids[:100]),
                      paging={"pageSize": 100, "pageNumber": 1}, order="asc"), 200),
    (DETAILS, details(routingStatusFilters=pred("routingStatus", "notResponding"),
                      presenceFilters=pred("systemPresence", "onQueue")), 200),
    (JOBS, details(userFilters=user_filter(ids[:100]), order="asc", limit=10), 202),
    (AGGREGATES, agg(granularity="PT30M", timeZone="Europe/London",
                     filter={"type": "or", "predicates": [{"dimension": "userId", "value": i} for i in ids[:100]]}), 200),
    (AGGREGATES, agg(granularity="P1DT12H", metrics=["tSystemPresence", "tOrganizationPresence"]), 200),
]
for path, body, want in ok:
    r = fake.call("POST", path, body)
    assert r.status == want, (body, r.status, r.data)

# the filters select: only NOT_RESPONDING routing records and ON_QUEUE presence ones
st, page = fake.post(DETAILS, details(routingStatusFilters=pred("routingStatus", "notResponding"),
                                      presenceFilters=pred("systemPresence", "onQueue")))
for u in page["userDetails"]:
    assert all(r["routingStatus"] == "NOT_RESPONDING" for r in u.get("routingStatus", [])), u
    assert all(p["systemPresence"] == "ON_QUEUE" for p in u.get("primaryPresence", [])), u
assert [u["userId"][:1] for u in page["userDetails"]] == ["a", "b"], page

# users paging parameters are checked too
assert fake.get("/api/v2/users?pageSize=501")[0] == 400
assert fake.get("/api/v2/users?pageNumber=x")[0] == 400
assert fake.get("/api/v2/users?pageNumber=0")[0] == 400
print("ok")
EOF
