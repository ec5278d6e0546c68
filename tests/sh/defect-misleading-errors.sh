# Errors that named the wrong problem: a UTF-8 byte order mark before
# NDJSON (now skipped), a JSON array (named, with the jq command), secs of
# 1e18 ("negative seconds"), a raw control character inside a string.
set -eu
printf '\357\273\277{"user_id":"u","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}\n' > bom.ndjson
gdedupe bom.ndjson > out 2> err || { echo "BOM: $(cat err)"; exit 1; }
[ "$(cat out)" = '{"user_id":"u","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}' ] ||
    { echo "BOM output: $(od -c out | head -3)"; exit 1; }
printf '[{"user_id":"u","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}]\n' > array.json
if gsort array.json > out 2> err; then echo "array accepted"; exit 1; fi
grep -qF "gsort: array.json:1: a JSON array, not NDJSON (one object per line): convert it with jq -c '.[]'" err ||
    { echo "array: $(cat err)"; exit 1; }
printf '{"user_id":"u","routing_status":"IDLE","start":"2026-11-02T13:00:00Z","secs":1e18}\n' > big.ndjson
if goccupy big.ndjson > out 2> err; then echo "1e18 accepted"; exit 1; fi
grep -q "seconds beyond the time range" err || { echo "1e18: $(cat err)"; exit 1; }
if grep -q negative err; then echo "1e18 called negative: $(cat err)"; exit 1; fi
for s in '"u\001"' '"u\tv"'; do
    printf '{"user_id":%b,"routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}\n' "$s" > ctl.ndjson
    if gdedupe ctl.ndjson > out 2> err; then echo "control character accepted: $(od -c out | head -2)"; exit 1; fi
    grep -q "ctl.ndjson:1: malformed JSON: a raw control character inside a string" err || { echo "control: $(cat err)"; exit 1; }
done
printf '{"user_id":"u\\x","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}\n' > esc.ndjson
if gdedupe esc.ndjson > out 2> err; then echo "bad escape accepted"; exit 1; fi
grep -q "an invalid escape sequence" err || { echo "escape: $(cat err)"; exit 1; }
echo ok
