#!/bin/sh
# Two orgs, live (on the clock), one FIFO each: the org that goes silent is
# stale after --stale while the other stays live; a `disconnected` record
# flips its org at once; records flowing again flip it back.  Its agents'
# records say stale while it is not live.
set -eu
mkfifo us.fifo emea.fifo
glive --every 200ms --stale 1s us.fifo emea.fifo > ticks 2> err &
glive_pid=$!
now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
(
    i=0
    while [ $i -lt 50 ]; do
        printf '{"type":"heartbeat","org":"us","at":"%s"}\n' "$(now)"
        sleep 0.2
        i=$((i + 1))
    done
) > us.fifo &
(
    printf '{"type":"connected","org":"emea","at":"%s"}\n' "$(now)"
    printf '{"user_id":"e1","org":"emea","routing_status":"IDLE","start":"%s"}\n' "$(now)"
    sleep 3 # silent: stale after 1 s
    printf '{"type":"disconnected","org":"emea","at":"%s","reason":"socket closed"}\n' "$(now)"
    sleep 2
    printf '{"type":"heartbeat","org":"emea","at":"%s"}\n' "$(now)"
    sleep 2
) > emea.fifo &
wait $glive_pid || { echo "glive failed"; cat err; exit 1; }
python3 - <<'PY'
import json, sys
ticks, agents = [], []
for line in open("ticks"):
    r = json.loads(line)
    (ticks if r["type"] == "tick" else agents).append(r)
emea = [t["orgs"].get("emea", {}).get("status") for t in ticks]
# the phases of emea, in order, each at least once
phases, want = [], ["live", "stale", "disconnected", "live"]
for s in emea:
    if s and (not phases or phases[-1] != s):
        phases.append(s)
it = iter(phases)
if not all(any(p == w for p in it) for w in want):
    sys.exit("emea went through %s, expected %s in that order" % (phases, want))
if not any(t["orgs"]["emea"]["status"] == "stale" and t["orgs"].get("us", {}).get("status") == "live" for t in ticks if "emea" in t["orgs"]):
    sys.exit("never emea stale while us live")
disc = [t for t in ticks if t["orgs"].get("emea", {}).get("status") == "disconnected"]
if not all(t["orgs"]["emea"]["disconnected_at"] and t["orgs"]["emea"]["reason"] == "socket closed" for t in disc):
    sys.exit("a disconnected tick without disconnected_at and reason")
e1 = [a["stale"] for a in agents if a["user_id"] == "e1"]
if True not in e1 or e1[0] is not False:
    sys.exit("e1's records: stale %s" % e1)
PY
