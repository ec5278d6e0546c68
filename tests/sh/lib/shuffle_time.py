"""Shuffle an archive in time order by up to TOLERANCE seconds.

Usage: shuffle_time.py FILE TOLERANCE SEED
Each record moves to the place its start plus a random delay in
[0, TOLERANCE) gives it, so the output never goes back in time by more than
TOLERANCE (what glive --replay --tolerance accepts), while one agent's
events come out of order whenever they are closer than that.  The same
SEED gives the same output."""
import json
import random
import sys
from datetime import datetime


def main():
    tolerance = float(sys.argv[2])
    rnd = random.Random(int(sys.argv[3]))
    rows = []
    for i, line in enumerate(open(sys.argv[1])):
        start = json.loads(line)["start"].replace("Z", "+00:00")
        rows.append((datetime.fromisoformat(start).timestamp() + rnd.uniform(0, tolerance), i, line))
    rows.sort()
    sys.stdout.write("".join(line for _, _, line in rows))


main()
