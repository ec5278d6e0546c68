#!/bin/sh
# make demo: the whole gpulse pipeline, through gfetch, against the fake
# Genesys Cloud (tests/fake-genesys) serving a small synthetic org.
#
#   BIN=bin sh examples/demo.sh
#
# Settings (environment): DEMO_AGENTS (default 40), DEMO_DAYS (14),
# DEMO_FROM (2026-11-02), DEMO_SEED (1).  Needs python3; nothing leaves
# 127.0.0.1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BIN=${BIN:-$root/bin}
PATH=$BIN:$PATH
export PATH
agents=${DEMO_AGENTS:-40}
days=${DEMO_DAYS:-14}
from=${DEMO_FROM:-2026-11-02}
seed=${DEMO_SEED:-1}
to=$(date -u -d "$from + $days days" +%Y-%m-%d)

work=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-demo.XXXXXX")
fake_pid=
cleanup() {
    if [ -n "$fake_pid" ]; then
        kill "$fake_pid" 2>/dev/null || true
        wait "$fake_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

say() { printf '%s\n' "$*" >&2; }

# 1. A synthetic org: segments and the roster (the fake serves the segments;
#    gbucket reads the roster for roles, time zones and returns from leave).
ggen --agents "$agents" --days "$days" --from "$from" --seed "$seed" \
    --roster "$work/roster.csv" > "$work/org.ndjson"

# 2. The fake Genesys Cloud on a free port of 127.0.0.1.
python3 "$root/tests/fake-genesys/server.py" --port 0 --port-file "$work/port" \
    --data "$work/org.ndjson" --roster "$work/roster.csv" > "$work/url" 2> "$work/fake.err" &
fake_pid=$!
tries=0
while [ ! -s "$work/port" ]; do
    if ! kill -0 "$fake_pid" 2>/dev/null; then
        say "demo: the fake Genesys Cloud did not start:"; cat "$work/fake.err" >&2; fake_pid=; exit 1
    fi
    tries=$((tries + 1))
    [ "$tries" -le 300 ] || { say "demo: the fake Genesys Cloud did not start in 30 s"; exit 1; }
    sleep 0.1
done
url=http://127.0.0.1:$(cat "$work/port")
say "demo: fake Genesys Cloud at $url: $agents agents, $days days from $from"

# 3. The pipeline, as an analyst would run it against the real thing.
GENESYSCLOUD_OAUTHCLIENT_ID=gpulse-test-client
GENESYSCLOUD_OAUTHCLIENT_SECRET=gpulse-test-secret
export GENESYSCLOUD_OAUTHCLIENT_ID GENESYSCLOUD_OAUTHCLIENT_SECRET
say "demo: gfetch details --from $from --to $to | gdedupe | gshift | goccupy | gbucket --roster roster.csv"
# (sh has no pipefail: each stage notes its own failure)
failed=$work/failed
{ gfetch details --from "$from" --to "$to" --login-url "$url" --api-url "$url" || echo "gfetch $?" >> "$failed"; } \
    | { gdedupe || echo "gdedupe $?" >> "$failed"; } \
    | { gshift || echo "gshift $?" >> "$failed"; } \
    | { goccupy || echo "goccupy $?" >> "$failed"; } \
    | { gbucket --roster "$work/roster.csv" --csv || echo "gbucket $?" >> "$failed"; } > "$work/buckets.csv"
if [ -s "$failed" ]; then
    say "demo: the pipeline failed (tool and exit status): $(tr '\n' ' ' < "$failed")"
    exit 1
fi

# 4. The bucket table: one line per agent, by cohort and bucket, then the
#    cuts each cohort was measured against.
python3 - "$work/roster.csv" "$work/buckets.csv" <<'EOF'
import csv
import sys

names = {}
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        names.setdefault(row["user_id"], row.get("name") or "")
with open(sys.argv[2], newline="") as f:
    rows = list(csv.DictReader(f))


def pct(v):
    return "-" if v in ("", None) else "%.1f%%" % (100 * float(v))


def table(header, lines):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    for line in [header] + lines:
        print("  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip())


order = {"good": 0, "average": 1, "poor": 2, "small_cohort": 3, "ramp_up": 4, "insufficient_sample": 5}
rows.sort(key=lambda r: (r["cohort"], order.get(r["bucket"], 9), -float(r["occupancy"] or 0)))
table(["cohort", "agent", "user_id", "bucket", "on_queue_h", "occupancy", "nrt_rate"],
      [[r["cohort"] or "(none)", names.get(r["user_id"], ""), r["user_id"][:8], r["bucket"],
        "%.1f" % (float(r["on_queue_secs"] or 0) / 3600), pct(r["occupancy"]), pct(r["nrt_rate"])]
       for r in rows])
print()
cuts = {}
for r in rows:
    if r["occ_low"] not in ("", None):
        cuts.setdefault(r["cohort"], [r["cohort"] or "(none)", r["pool"], pct(r["occ_low"]), pct(r["occ_high"]),
                                      pct(r["nrt_low"]), pct(r["nrt_high"])])
table(["cohort", "pool", "occ_low", "occ_high", "nrt_low", "nrt_high"], [cuts[c] for c in sorted(cuts)])
print()
counts = {}
for r in rows:
    counts[r["bucket"]] = counts.get(r["bucket"], 0) + 1
print("agents per bucket: " + ", ".join("%s %d" % (b, counts[b])
                                        for b in sorted(counts, key=lambda b: order.get(b, 9))))
EOF
