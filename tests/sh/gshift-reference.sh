# gshift against an independent reference: a plain whole-user batch
# implementation of gpulse(7) SEMANTICS in Python, on randomized inputs (explicit
# ends, point events, both timelines, gaps near the threshold).  The two
# must label and cut every segment alike.
set -eu
cat > reference.py <<'PY'
import json, random, sys
from datetime import datetime, timezone, timedelta

GAP = 90 * 60 * 1000
ACTIVITY = {"INTERACTING", "IDLE"}
T0 = int(datetime(2026, 11, 2, tzinfo=timezone.utc).timestamp() * 1000)

def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)

def parse(s):
    return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000)

def generate(seed):
    rnd = random.Random(seed)
    records = []
    for u in range(6):
        user = "u%02d" % u
        point = rnd.random() < 0.4
        for timeline, statuses in (("routing_status", ["IDLE", "INTERACTING", "OFF_QUEUE", "NOT_RESPONDING"]),
                                   ("presence", ["ON_QUEUE", "BREAK", "AVAILABLE", "OFFLINE"])):
            t = T0 + rnd.randrange(0, 3600) * 1000
            for _ in range(rnd.randrange(1, 40)):
                # gaps around the 90-minute threshold, and ordinary ones
                d = rnd.choice([rnd.randrange(1, 600), 5400, 5460, rnd.randrange(3000, 20000)]) * 1000
                rec = {"user_id": user, timeline: rnd.choice(statuses), "start": iso(t)}
                if not point:
                    rec["end"] = iso(t + d)
                records.append(rec)
                t += d
    records.sort(key=lambda r: (r["user_id"], r["start"]))
    return records

def reference(records):
    out = []
    users = {}
    for r in records:
        users.setdefault(r["user_id"], []).append(r)
    for user, recs in users.items():
        segs = []
        last = {}
        for r in recs:
            tl = "routing_status" if "routing_status" in r else "presence"
            s = parse(r["start"])
            e = parse(r["end"]) if "end" in r else None
            seg = [tl, r[tl], s, e]
            if tl in last and last[tl][3] is None:
                last[tl][3] = s
            segs.append(seg)
            last[tl] = seg
        spans = []
        for tl, st, s, e in sorted((x for x in segs if x[0] == "routing_status" and x[1] in ACTIVITY), key=lambda x: x[2]):
            e = s if e is None else e
            if not spans or s - spans[-1][1] > GAP:
                spans.append([s, e])
            else:
                spans[-1][1] = max(spans[-1][1], e)
        def label(t, zero):
            for i, (a, b) in enumerate(spans):
                if a <= t < b or (zero and t == a == b):
                    return i + 1
            return None
        for tl, st, s, e in segs:
            if e is None or e == s:
                out.append((user, tl, st, s, e, label(s, True)))
                continue
            cuts = sorted({x for a, b in spans for x in (a, b) if s < x < e})
            bounds = [s] + cuts + [e]
            for a, b in zip(bounds, bounds[1:]):
                out.append((user, tl, st, a, b, label(a, False)))
    return sorted(out, key=lambda x: (x[0], x[3], x[1], x[2], x[4] or 0))

def from_gshift(lines):
    out = []
    for line in lines:
        r = json.loads(line)
        tl = "routing_status" if "routing_status" in r else "presence"
        out.append((r["user_id"], tl, r[tl], parse(r["start"]),
                    parse(r["end"]) if "end" in r else None, r["shift"]))
    return sorted(out, key=lambda x: (x[0], x[3], x[1], x[2], x[4] or 0))

mode, seed = sys.argv[1], int(sys.argv[2])
records = generate(seed)
if mode == "input":
    for r in records:
        print(json.dumps(r))
else:
    got = from_gshift(open(sys.argv[3]))
    want = reference(records)
    if got != want:
        for g, w in zip(got, want):
            if g != w:
                print("first difference: gshift", g, "reference", w)
                break
        print(len(got), "records from gshift,", len(want), "from the reference")
        sys.exit(1)
PY
for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    python3 reference.py input $seed > in.ndjson
    gshift in.ndjson > out.ndjson
    python3 reference.py check $seed out.ndjson || { echo "seed $seed differs"; exit 1; }
    # and the output is still in canonical order
    gsort out.ndjson | cmp -s - out.ndjson || { echo "seed $seed: output out of order"; exit 1; }
done
echo "20 randomized inputs agree with the reference"
