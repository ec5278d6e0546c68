"""Feed glive an event storm: RATE routing-status events a second for
SECONDS, over AGENTS agents of org "bench", each event timed now, written
in chunks every few milliseconds to standard output (a FIFO glive reads).

Usage: live_storm.py RATE SECONDS AGENTS
Prints on standard error the events written and the seconds it took: when
the reader falls behind, the pipe fills and the rate achieved is lower."""
import random
import sys
import time

STATUSES = ["IDLE", "INTERACTING", "INTERACTING", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING", "OFF_QUEUE"]


def main():
    rate, seconds, agents = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(1)
    prefixes = ['{"user_id":"agent-%06d","org":"bench","routing_status":"%s","start":"' % (a, s)
                for a in range(agents) for s in STATUSES]
    out = sys.stdout.buffer
    total = int(rate * seconds)
    written = 0
    t0 = time.monotonic()
    wall0 = time.time()
    second, text = None, ""
    while written < total:
        due = min(total, int((time.monotonic() - t0) * rate))
        if due > written:
            # event I is timed t0 + I / RATE, to the millisecond: an agent's
            # events seldom share a start (which would make them duplicates)
            base = int(wall0 * 1000)
            picks = rnd.choices(prefixes, k=due - written)
            lines = []
            for i, p in enumerate(picks, written):
                ms = base + i * 1000 // rate
                if ms // 1000 != second:
                    second = ms // 1000
                    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
                lines.append('%s%s.%03dZ"}\n' % (p, text, ms % 1000))
            out.write("".join(lines).encode())
            out.flush()
            written = due
        else:
            time.sleep(0.002)
    elapsed = time.monotonic() - t0
    sys.stderr.write("%d %.3f\n" % (written, elapsed))


main()
