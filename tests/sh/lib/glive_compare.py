"""Compare glive's last tick with goccupy --by day, field by field.

Usage: glive_compare.py TICKS BATCH
TICKS is glive --full output; the agent records of its last tick are
compared with the BATCH rows (goccupy --by day) of the same (org, user_id,
period).  Every column goccupy writes must be equal; an agent whose period
has no batch row must have no time at all.  Exits 1 on any difference."""
import json
import sys


def main():
    records = [json.loads(line) for line in open(sys.argv[1])]
    ticks = [i for i, r in enumerate(records) if r["type"] == "tick"]
    if not ticks:
        sys.exit("no tick in " + sys.argv[1])
    last = ticks[-1]
    before = ticks[-2] if len(ticks) > 1 else -1
    live = {(r.get("org"), r["user_id"]): r for r in records[before + 1:last]}
    if len(live) != records[last]["agents"]:
        sys.exit("the last tick has %d agent records for %d agents" % (len(live), records[last]["agents"]))
    batch = {}
    for line in open(sys.argv[2]):
        row = json.loads(line)
        batch[(row.get("org"), row["user_id"], row["period"])] = row
    problems = []
    compared = 0
    for (org, user), agent in sorted(live.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        row = batch.get((org, user, agent["period"]))
        if row is None:
            busy = {k: v for k, v in agent.items() if k.endswith("_secs") and v}
            if busy or agent["shifts"]:
                problems.append("%s %s: no batch row, live has %s" % (user, agent["period"], busy))
            continue
        compared += 1
        for key, value in row.items():
            if agent.get(key) != value:
                problems.append("%s %s %s: live %r, batch %r" % (user, agent["period"], key, agent.get(key), value))
        for key, value in agent.items():
            if key.endswith("_secs") and key not in row and value:
                problems.append("%s %s %s: live %r, batch has no such column" % (user, agent["period"], key, value))
    for p in problems[:20]:
        print(p)
    print("agents %d, compared with a batch row %d, differences %d" % (len(live), compared, len(problems)))
    if problems or compared == 0:
        sys.exit(1)


main()
