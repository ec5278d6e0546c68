# Time quadratic in the number of CSV columns (gshift: 25k columns took
# 1.3 s, 100k 28 s) and in the statuses at one start (gdedupe: 80k took
# 12 s).  Both are linear now: 200k columns, and 200k statuses at one
# start, finish well inside the limit below (they take a second or so even
# under the sanitizers; the quadratic code needed minutes).
set -eu
python3 - <<'PY'
n = 200000
with open("wide.csv", "w") as f:
    f.write(",".join(["user_id", "routing_status", "start", "end"] + ["c%d" % i for i in range(n)]) + "\n")
    for r in range(3):
        f.write(",".join(["u", "IDLE", "2026-11-02T1%d:00:00Z" % r, "2026-11-02T1%d:30:00Z" % r] + ["x"] * n) + "\n")
with open("statuses.ndjson", "w") as f:
    for i in range(n):
        f.write('{"user_id":"u","routing_status":"S%d","start":"2026-11-02T13:00:00Z"}\n' % i)
    f.write('{"user_id":"u","routing_status":"S7","start":"2026-11-02T13:00:00Z"}\n')
PY
timeout 60 gshift wide.csv > shifted.csv || { echo "gshift on 200k columns: exit $? (timeout: 124)"; exit 1; }
[ "$(wc -l < shifted.csv)" -eq 4 ] || { echo "gshift: $(wc -l < shifted.csv) lines"; exit 1; }
head -1 shifted.csv | grep -q ',c199999,shift$' || { echo "gshift: the header lost its columns"; exit 1; }
timeout 60 gdedupe --stats statuses.ndjson > kept.ndjson 2> stats || { echo "gdedupe on 200k statuses: exit $?"; exit 1; }
[ "$(wc -l < kept.ndjson)" -eq 200000 ] || { echo "gdedupe kept $(wc -l < kept.ndjson), want 200000 (S7 repeats)"; exit 1; }
echo ok
