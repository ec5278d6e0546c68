# The REST side of the fake Genesys Cloud's notifications: create and list
# channels (ws:// connectUri: the WebSocket side's own port, or the same
# port without python3-websockets), HEAD, subscriptions added,
# replaced, listed and removed, topics checked, the 20-channel limit.
set -eu
. "$TESTS_DIR/fake-genesys/lib.sh"
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv"

python3 - <<'EOF'
import os
import re
from fgclient import Fake, A, B, C

fake = Fake()
fake.login()
CH = "/api/v2/notifications/channels"
A = "aaaaaaaa-0000-4000-8000-000000000001"
B = "bbbbbbbb-0000-4000-8000-000000000002"

status, ch = fake.post(CH, None)
assert status == 200, ch
m = re.fullmatch(r"ws://127\.0\.0\.1:(\d+)/channels/" + re.escape(ch["id"]), ch["connectUri"])
assert m, ch
assert (m.group(1) != os.environ["FAKE_PORT"]) == (os.environ["FAKE_WS"] == "1"), (ch, os.environ["FAKE_WS"])
assert ch["expires"].endswith("Z"), ch
cid = ch["id"]
assert fake.call("HEAD", CH + "/" + cid).status == 200
assert fake.call("HEAD", CH + "/no-such-channel").status == 404

status, listing = fake.get(CH)
assert [c["id"] for c in listing["entities"]] == [cid], listing
# another token of the same client: its own channels, or all with includechannels=oauth
other = Fake()
other.login()
assert other.get(CH)[1]["entities"] == []
assert [c["id"] for c in other.get(CH + "?includechannels=oauth")[1]["entities"]] == [cid]
assert fake.get(CH + "?includechannels=everything")[0] == 400

SUB = CH + "/" + cid + "/subscriptions"
assert fake.get(SUB) == (200, {"entities": []})
status, r = fake.post(SUB, [{"id": "v2.users.%s.activity" % A}])
assert status == 200 and [t["id"] for t in r["entities"]] == ["v2.users.%s.activity" % A], r
assert r["entities"][0]["state"] == "Permitted", r
status, r = fake.post(SUB, [{"id": "v2.users.%s.activity" % B}, {"id": "v2.users.%s.activity" % A}])
assert [t["id"] for t in r["entities"]] == ["v2.users.%s.activity" % A, "v2.users.%s.activity" % B], r
r = fake.call("PUT", SUB, [{"id": "v2.users.%s.presence" % B}])
assert r.status == 200 and [t["id"] for t in r.json()["entities"]] == ["v2.users.%s.presence" % B], r.data
assert [t["id"] for t in fake.get(SUB)[1]["entities"]] == ["v2.users.%s.presence" % B]

# unknown users and non-topics: 400, or Rejected with ignoreErrors=true
status, e = fake.post(SUB, [{"id": "v2.users.nobody.activity"}])
assert status == 400 and "nobody" in e["message"], e
status, e = fake.post(SUB, [{"id": "users"}])
assert status == 400, e
status, r = fake.post(SUB + "?ignoreErrors=true", [{"id": "v2.users.nobody.activity"},
                                                   {"id": "v2.users.%s.activity" % A}])
assert status == 200, r
states = {t["id"]: t["state"] for t in r["entities"]}
assert states == {"v2.users.%s.presence" % B: "Permitted", "v2.users.%s.activity" % A: "Permitted",
                  "v2.users.nobody.activity": "Rejected"}, states
assert fake.post(SUB, {"id": "v2.users.%s.activity" % A})[0] == 400        # not an array
assert fake.post(SUB, [{"topic": "x"}])[0] == 400                          # not a ChannelTopic

assert fake.call("DELETE", SUB).status == 204
assert fake.get(SUB) == (200, {"entities": []})
assert fake.get(CH + "/no-such-channel/subscriptions")[0] == 404

# 20 channels per client: the 21st replaces the least recently used
ids = [cid] + [fake.post(CH, None)[1]["id"] for _ in range(19)]
fake.call("HEAD", CH + "/" + cid)                  # cid is now used recently
new = fake.post(CH, None)[1]["id"]
left = [c["id"] for c in fake.get(CH + "?includechannels=oauth")[1]["entities"]]
assert len(left) == 20 and new in left and cid in left and ids[1] not in left, (len(left), ids[1] in left)
print("ok")
EOF
