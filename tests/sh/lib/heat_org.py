"""Generate an org for gheat's tests: N goccupy-style rows (NDJSON) whose
occupancy cycles through the band edges (0.6, 0.8, 0.9 exactly, and the
doubles just around them), a null, an insufficient_sample row, and whose
tenure_days vary from 1 to a few thousand.  Deterministic for (N, SEED).

    python3 heat_org.py N [SEED] [--orgs K] > org.ndjson
"""
import json
import random
import sys

EDGES = [0.0, 0.3, 0.5999999999999999, 0.6, 0.7, 0.8, 0.8000000000000002, 0.85, 0.9,
         0.9000000000000001, 0.95, 1.0, None]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0])
    seed = int(args[1]) if len(args) > 1 else 1
    orgs = int(sys.argv[sys.argv.index("--orgs") + 1]) if "--orgs" in sys.argv else 1
    rng = random.Random(seed)
    cohorts = ["tier1-voice", "tier1-chat", "tier2-email", "tier1-voice+tier2-email"]
    for i in range(n):
        occ = EDGES[i % len(EDGES)]
        interacting = rng.randint(1000, 90000)
        row = {
            "user_id": "u%05d-%04x" % (i, rng.randint(0, 0xFFFF)),
            "period": "2026-11-16",
            "start": "2026-11-16T00:00:00.000Z",
            "end": "2026-11-17T00:00:00.000Z",
            "name": "Agent %d" % i,
            "cohort": cohorts[rng.randint(0, len(cohorts) - 1)],
            "tenure_days": rng.choice([1, 2, 30, 200, 365, 1000, rng.randint(1, 4000)]),
            "interacting_secs": interacting,
            "idle_secs": rng.randint(0, 20000),
            "on_queue_secs": interacting + 5000,
            "occupancy": occ,
            "nrt_rate": round(rng.random() * 0.1, 4),
        }
        if orgs > 1:
            row = {"org": "org%d" % (i % orgs), **row}
        if i % 17 == 5:
            row["bucket"] = "insufficient_sample"
        print(json.dumps(row))


main()
