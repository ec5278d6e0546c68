# The fake Genesys Cloud's fault switches each fire as specified: on which
# requests (path, nth, every, after, count), and what they do (429 with or
# without Retry-After, 5xx bursts, slow answers, token expiry, duplicated
# midnight/edge segments, a truncated JSON body, a connection reset), set
# through /_fake/faults or --fault, and recorded in /_fake/log.
# (short_pages: fake-genesys-paging; job_failed/job_expired: fake-genesys-jobs.)
set -eu
. "$TESTS_DIR/fake-genesys/lib.sh"
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv" \
    --fault '{"fault": "429", "path": "/api/v2/users", "nth": [1], "retry_after": null}'

python3 - <<'EOF'
import http.client
import json
import time
from fgclient import Fake, DETAILS

fake = Fake()
fake.login()
USERS = "/api/v2/users"

# --fault from the command line: the first users request, without Retry-After
r = fake.call("GET", USERS)
assert r.status == 429 and "retry-after" not in r.headers, (r.status, r.headers)
assert r.json()["code"] == "too.many.requests" and r.json()["status"] == 429, r.data
assert fake.call("GET", USERS).status == 200

# 429 on the 1st and 3rd matching request, Retry-After 2; other paths don't count
fake.faults([{"fault": "429", "path": USERS, "nth": [1, 3], "retry_after": 2}])
got = []
for path in (USERS, "/api/v2/tokens/me", USERS, USERS, "/api/v2/tokens/me"):
    r = fake.call("GET", path)
    got.append(r.status)
    if r.status == 429:
        assert r.headers["retry-after"] == "2", r.headers
assert got == [429, 200, 200, 429, 200], got

# without "path" a fault counts API requests only, never the token endpoint
fake.faults([{"fault": "429", "nth": [1]}])
fake.login()
assert fake.call("GET", USERS).status == 429
fake.faults([{"fault": "429", "path": "/oauth/token", "nth": [1]}])
assert fake.token_request().status == 429 and fake.token_request().status == 200

# a 5xx burst: after 1 good request, 3 of status 502, then good again
fake.faults([{"fault": "5xx", "status": 502, "after": 1, "count": 3}])
got = [fake.call("GET", USERS).status for _ in range(6)]
assert got == [200, 502, 502, 502, 200, 200], got
# every 2nd, 503 by default; a body of its own (a gateway's HTML, say)
fake.faults([{"fault": "5xx", "every": 2, "path": USERS}])
assert [fake.call("GET", USERS).status for _ in range(4)] == [200, 503, 200, 503]
fake.faults([{"fault": "5xx", "status": 504, "body": "<html>Gateway Timeout</html>"}])
r = fake.call("GET", USERS)
assert r.status == 504 and r.data == b"<html>Gateway Timeout</html>", r.data
# nth and count: count caps the firings
fake.faults([{"fault": "5xx", "nth": [1, 2, 3], "count": 2}])
assert [fake.call("GET", USERS).status for _ in range(4)] == [503, 503, 200, 200]

# slow: the answer comes after the delay, and only for the matching request
fake.faults([{"fault": "slow", "delay": 0.4, "path": "/tokens/me"}])
t0 = time.time(); assert fake.call("GET", USERS).status == 200; fast = time.time() - t0
t0 = time.time(); assert fake.call("GET", "/api/v2/tokens/me").status == 200; slow = time.time() - t0
assert slow >= 0.4 and fast < 0.3, (fast, slow)

# expire_token: the next API request gets 401, the token stays dead, a fresh one works, once
fake.faults([{"fault": "expire_token"}])
old = fake.token
r = fake.call("GET", USERS)
assert r.status == 401 and r.json()["status"] == 401, r.data
assert fake.call("GET", USERS).status == 401
fake.login()
assert fake.token != old
assert [fake.call("GET", USERS).status for _ in range(3)] == [200, 200, 200]

# midnight_duplicates: a record spanning 00:00 UTC or an edge of the interval
# comes twice in a row; the others once; without duplicates it is as before
body = {"interval": "2026-11-02T12:00:00Z/2026-11-03T12:00:00Z", "paging": {"pageSize": 100, "pageNumber": 1}}
fake.faults([])
plain = fake.post(DETAILS, body)[1]
fake.faults([{"fault": "midnight_duplicates", "path": "details/query"}])
dup = fake.post(DETAILS, body)[1]
lo, hi = "2026-11-02T12:00:00.000Z", "2026-11-03T12:00:00.000Z"
n_dups = 0
for u_plain, u_dup in zip(plain["userDetails"], dup["userDetails"]):
    for key in ("routingStatus", "primaryPresence"):
        want = []
        for rec in u_plain.get(key, []):
            want.append(rec)
            s, e = rec["startTime"], rec["endTime"]
            if s[:10] != e[:10] and e[11:] != "00:00:00.000Z" or s < lo or e > hi:
                want.append(rec)
                n_dups += 1
        assert u_dup.get(key, []) == want, (key, u_dup.get(key), want)
assert n_dups == 6, n_dups   # A: OFF_QUEUE, OFFLINE x2 each; B: ON_QUEUE, INTERACTING
# sanity of the hand count above: A's 00:00-13:00 OFF_QUEUE/OFFLINE cross the start edge,
# its 17:00-13:00 ones cross midnight and the end edge, B's 21:55-02:10 and 23:30-00:45 cross midnight

# malformed_json: 200 and a truncated body (Content-Length matches it)
fake.faults([{"fault": "malformed_json", "path": USERS}])
r = fake.call("GET", USERS)
assert r.status == 200 and int(r.headers["content-length"]) == len(r.data) > 0
try:
    json.loads(r.data)
    raise AssertionError("the body parsed")
except ValueError:
    pass
assert fake.call("GET", "/api/v2/tokens/me").status == 200

# reset: the connection closes midway through the body
fake.faults([{"fault": "reset", "path": USERS, "nth": [1]}])
try:
    r = fake.call("GET", USERS)
    raise AssertionError("no error: %d %r" % (r.status, r.data[:80]))
except (http.client.IncompleteRead, ConnectionResetError, http.client.RemoteDisconnected):
    pass
assert fake.call("GET", USERS).status == 200

# the log says which faults fired; GET /_fake/faults counts
fake.reset()
fake.faults([{"fault": "429", "path": USERS, "nth": [2]}, {"fault": "slow", "delay": 0, "path": USERS}])
for _ in range(3):
    fake.call("GET", USERS)
log = fake.log()
assert [(e["status"], e["faults"]) for e in log] == [(200, ["slow"]), (429, ["429", "slow"]), (200, ["slow"])], log
state = fake.raw("GET", "/_fake/faults").json()
assert [(f["fault"], f["seen"], f["fired"]) for f in state] == [("429", 3, 1), ("slow", 3, 3)], state

# bad fault specs are refused with 400 and leave the faults as they were
for spec in ([{"fault": "teapot"}], [{"fault": "429", "nth": "1"}], [{"fault": "5xx", "status": 500, "colour": 1}],
             [{"fault": "5xx", "status": 418}], [{"fault": "slow", "delay": -1}], "nonsense"):
    r = fake.raw("POST", "/_fake/faults", json.dumps(spec).encode())
    assert r.status == 400 and r.json()["message"], (spec, r.status, r.data)
assert len(fake.raw("GET", "/_fake/faults").json()) == 2
fake.reset()
assert fake.raw("GET", "/_fake/faults").json() == [] and fake.log() == []
assert [fake.call("GET", USERS).status for _ in range(3)] == [200, 200, 200]
print("ok")
EOF

# a bad --fault stops the start with a usage error
if python3 "$FAKE_DIR/server.py" --data "$FAKE_DIR/sample.ndjson" --fault '{"fault":"teapot"}' > out 2> err; then
    fail "a bad --fault was accepted"
fi
grep -q 'unknown fault' err || fail "bad --fault: $(cat err)"
