#!/bin/sh
# Re-sync: the feed of a day with an hour missing (12:00 to 13:00), then a
# disconnected record and a baseline (resync_start, the day so far in
# canonical order, resync_end), ends with the same day totals as the
# unbroken feed; in the hour without data the org is disconnected.
set -eu
ggen --agents 30 --days 1 --point-events --org us --no-duplicates > day.ndjson
gsort --time day.ndjson > timed.ndjson
before() { awk -v t="$1" '{ s = $0; sub(/.*"start":"/, "", s); if (substr(s, 1, 24) < t) print }'; }
after() { awk -v t="$1" '{ s = $0; sub(/.*"start":"/, "", s); if (substr(s, 1, 24) >= t) print }'; }
{
    before 2026-11-02T12:00:00.000Z < timed.ndjson
    echo '{"type":"disconnected","org":"us","at":"2026-11-02T12:00:30.000Z","reason":"no heartbeat for 65 s"}'
    echo '{"type":"resync_start","org":"us","at":"2026-11-02T13:00:00.000Z"}'
    gsort day.ndjson | before 2026-11-02T13:00:00.000Z
    echo '{"type":"resync_end","org":"us","at":"2026-11-02T13:00:00.000Z"}'
    after 2026-11-02T13:00:00.000Z < timed.ndjson
} > gap.ndjson
glive --replay --speed max --every 30m --stale 30m --full timed.ndjson > whole.ticks
glive --replay --speed max --every 30m --stale 30m --full gap.ndjson > gap.ticks
python3 - <<'PY'
import json, sys
def last_tick(path):
    records = [json.loads(l) for l in open(path)]
    ticks = [i for i, r in enumerate(records) if r["type"] == "tick"]
    agents = {r["user_id"]: r for r in records[ticks[-2] + 1:ticks[-1]]}
    return records, agents
_, whole = last_tick("whole.ticks")
records, gap = last_tick("gap.ticks")
if set(whole) != set(gap) or not whole:
    sys.exit("agents differ")
keys = [k for k in next(iter(whole.values())) if k.endswith("_secs")] + ["occupancy", "nrt_rate", "shifts", "period", "routing_status", "presence"]
bad = ["%s %s: unbroken %r, re-synced %r" % (u, k, whole[u][k], gap[u][k]) for u in whole for k in keys if whole[u][k] != gap[u][k]]
if bad:
    sys.exit("\n".join(bad[:20]))
if sum(whole[u]["interacting_secs"] for u in whole) == 0:
    sys.exit("no interacting time at all: the test proves nothing")
states = {r["at"][11:16]: r["orgs"]["us"]["status"] for r in records if r["type"] == "tick"}
if states.get("12:30") != "disconnected" or states.get("13:30") != "live":
    sys.exit("org status at 12:30 %s, at 13:30 %s" % (states.get("12:30"), states.get("13:30")))
PY
