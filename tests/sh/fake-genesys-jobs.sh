# The fake Genesys Cloud's async user details jobs: 202 with a jobId, state
# QUEUED -> PENDING -> FULFILLED over the polls, results paged by cursor
# (absent on the last page), FAILED and EXPIRED by fault switch with their
# errorMessage, DELETE, and the same records as the sync query.
set -eu
. "$TESTS_DIR/fake-genesys/lib.sh"
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv"

python3 - <<'EOF'
from fgclient import Fake, DETAILS, JOBS

fake = Fake()
fake.login()
TWO_DAYS = "2026-11-02T00:00:00.000Z/2026-11-04T00:00:00.000Z"

def create(body=None):
    r = fake.call("POST", JOBS, body or {"interval": TWO_DAYS, "order": "asc"})
    assert r.status == 202, (r.status, r.data)
    return r.json()["jobId"]

def state(job):
    status, s = fake.get(JOBS + "/" + job)
    assert status == 200, (status, s)
    return s

job = create()
# results before the job is done: 400
status, e = fake.get(JOBS + "/" + job + "/results")
assert status == 400 and "QUEUED" in e["message"], e
states = [state(job)["state"] for _ in range(4)]
assert states == ["QUEUED", "PENDING", "FULFILLED", "FULFILLED"], states
s = state(job)
assert s["submissionDate"] and s["expirationDate"] and s["completionDate"] and "errorMessage" not in s, s

# cursor paging, 2 users a page: A and B with a cursor, then C without
status, p1 = fake.get(JOBS + "/" + job + "/results?pageSize=2")
assert status == 200 and len(p1["userDetails"]) == 2 and p1["cursor"], p1
status, p2 = fake.get(JOBS + "/" + job + "/results?pageSize=2&cursor=" + p1["cursor"])
assert status == 200 and len(p2["userDetails"]) == 1 and "cursor" not in p2, p2
assert p2["dataAvailabilityDate"], p2
# the same records as the sync query
status, sync = fake.post(DETAILS, {"interval": TWO_DAYS, "paging": {"pageSize": 100, "pageNumber": 1}})
assert p1["userDetails"] + p2["userDetails"] == sync["userDetails"]
# one page holds all: no cursor
status, p = fake.get(JOBS + "/" + job + "/results")
assert len(p["userDetails"]) == 3 and "cursor" not in p, p
# a cursor of another job, or garbage, is refused
assert fake.get(JOBS + "/" + job + "/results?cursor=garbage!")[0] == 400
assert fake.get(JOBS + "/" + job + "/results?pageSize=101")[0] == 400
# short pages: 1 a page, the cursor carries on
fake.faults([{"fault": "short_pages", "size": 1}])
seen, cursor = [], None
while True:
    status, p = fake.get(JOBS + "/" + job + "/results?pageSize=100" + ("&cursor=" + cursor if cursor else ""))
    assert len(p["userDetails"]) == 1, p
    seen += [u["userId"][:1] for u in p["userDetails"]]
    cursor = p.get("cursor")
    if not cursor:
        break
assert seen == ["a", "b", "c"], seen
fake.reset()

# limit caps the users
job2 = create({"interval": TWO_DAYS, "limit": 2})
for _ in range(3):
    state(job2)
assert len(fake.get(JOBS + "/" + job2 + "/results")[1]["userDetails"]) == 2

# DELETE: 204, then the job is gone
assert fake.call("DELETE", JOBS + "/" + job).status == 204
assert fake.get(JOBS + "/" + job)[0] == 404
assert fake.call("DELETE", JOBS + "/" + job).status == 404

# job_failed on the second status poll: FAILED with the message, for good
fake.faults([{"fault": "job_failed", "nth": [2], "message": "Too much data"}])
job = create()
assert state(job)["state"] == "QUEUED"
s = state(job)
assert s["state"] == "FAILED" and s["errorMessage"] == "Too much data", s
assert state(job)["state"] == "FAILED"
status, e = fake.get(JOBS + "/" + job + "/results")
assert status == 400 and "Too much data" in e["message"], e
# job_expired on the first poll; the default message
fake.faults([{"fault": "job_expired"}])
job = create()
s = state(job)
assert s["state"] == "EXPIRED" and "expired" in s["errorMessage"], s
assert fake.get(JOBS + "/" + job + "/results")[0] == 404
# job faults count only status polls: results and creation don't use them up
fake.faults([{"fault": "job_failed", "nth": [3]}])
job = create()
assert [state(job)["state"] for _ in range(3)] == ["QUEUED", "PENDING", "FAILED"]
fake.reset()
job = create()
assert fake.get(JOBS + "/nonexistent-job")[0] == 404
status, a = fake.get(JOBS + "/availability")
assert status == 200 and a["dataAvailabilityDate"].endswith("Z"), a
print("ok")
EOF

# --job-polls 0: the first poll is FULFILLED
fake_stop
fake_start --data "$FAKE_DIR/sample.ndjson" --job-polls 0
python3 - <<'EOF'
from fgclient import Fake, JOBS
fake = Fake()
fake.login()
r = fake.call("POST", JOBS, {"interval": "2026-11-02T00:00:00Z/2026-11-03T00:00:00Z"})
assert fake.get(JOBS + "/" + r.json()["jobId"])[1]["state"] == "FULFILLED"
EOF
