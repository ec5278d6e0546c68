#!/bin/sh
# Throttling: 1,000,000 events in one second of event time, replayed with
# --every 100ms, give exactly one tick per 100 ms of that second (ticks on
# whole multiples of --every from the first record to the first multiple
# after the last: 10:00:00.000 to 10:00:01.000, 11 ticks), each one closing
# with its tick record, whatever the event rate.
set -eu
awk 'BEGIN {
    for (i = 0; i < 1000000; i++) {
        status = (int(i / 1000) % 2) ? "IDLE" : "INTERACTING"
        printf "{\"user_id\":\"u%d\",\"routing_status\":\"%s\",\"start\":\"2026-11-02T10:00:00.%03dZ\"}\n", i % 1000, status, int(i / 1000)
    }
}' > storm.ndjson
glive --replay --speed max --every 100ms --stats storm.ndjson > out 2> stats
grep '"type":"tick"' out | sed 's/.*"at":"\([^"]*\)".*/\1/' > got
awk 'BEGIN { for (k = 0; k < 10; k++) printf "2026-11-02T10:00:00.%d00Z\n", k; print "2026-11-02T10:00:01.000Z" }' > want
cmp -s want got || { echo "tick times differ:"; diff want got | head; exit 1; }
grep -q 'records 1000000 (events 1000000' stats || { echo "not every event read:"; cat stats; exit 1; }
# every tick holds only the agents that changed: 1000 each (all of them change), then the tick
[ "$(grep -c '"type":"agent"' out)" -eq 11000 ] || { echo "agent records: $(grep -c '"type":"agent"' out)"; exit 1; }
tail -n 1 out | grep -q '"type":"tick","seq":11,' || { echo "last line is not tick 11"; tail -n 1 out; exit 1; }
