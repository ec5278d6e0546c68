#!/bin/sh
# A late event (live, on the clock) is put where it belongs in the day
# while it is within --tolerance of the newest event of its org: the
# timeline is split again and the totals recomputed; one that falls before
# what glive still holds is counted in `late` (the agent's and the tick's)
# and changes nothing; a late copy of a held event is a duplicate.
set -eu
now=$(date -u +%s)
at() { date -u -d "@$((now - $1 * 60))" +%Y-%m-%dT%H:%M:%S.000Z; } # minutes ago
{
    printf '{"user_id":"u1","routing_status":"IDLE","start":"%s"}\n' "$(at 40)"
    printf '{"user_id":"u1","routing_status":"INTERACTING","start":"%s"}\n' "$(at 30)"
    printf '{"user_id":"u1","routing_status":"IDLE","start":"%s"}\n' "$(at 20)"
    printf '{"user_id":"u1","routing_status":"OFF_QUEUE","start":"%s"}\n' "$(at 10)"
    printf '{"user_id":"u1","routing_status":"INTERACTING","start":"%s"}\n' "$(at 35)" # late
    printf '{"user_id":"u1","routing_status":"IDLE","start":"%s"}\n' "$(at 20)"        # a copy
} > events.ndjson

figures() { # tolerance -> "interacting idle late duplicates" of the last tick
    glive --full --tolerance "$1" events.ndjson > "ticks.$1"
    python3 - "ticks.$1" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
agent = [r for r in records if r["type"] == "agent"][-1]
tick = records[-1]
assert agent["late"] == tick["late"], (agent["late"], tick["late"])
print(agent["interacting_secs"], agent["idle_secs"], agent["late"], tick["duplicates"])
PY
}

# placed: IDLE 40-35, INTERACTING 35-20, IDLE 20-10 minutes ago
got=$(figures 1h)
[ "$got" = "900 900 0 1" ] || { echo "within the tolerance: got '$got', want '900 900 0 1'"; cat ticks.1h; exit 1; }
# late: 35 minutes ago is before what is held with a 1-minute tolerance
got=$(figures 1m)
[ "$got" = "600 1200 1 1" ] || { echo "past the tolerance: got '$got', want '600 1200 1 1'"; cat ticks.1m; exit 1; }
