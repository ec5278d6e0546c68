# --stats counts each input record once: a record read whole and then
# refused by the tool's engine (not by the reader) is one of the rejected,
# not also one of the records counted before it was refused.  The "records"
# figure of goccupy --stats and gbucket --stats equals the input's lines.
set -u
fail() { echo "FAIL: $*"; exit 1; }

# goccupy: 257 distinct statuses on one timeline; the engine holds at most
# 256 (the 15 standard ones among them), so 16 records are refused by it
awk 'BEGIN { for (i = 0; i < 257; i++)
    printf "{\"user_id\":\"a\",\"routing_status\":\"S%d\",\"start\":\"2026-11-02T09:00:00Z\",\"end\":\"2026-11-02T10:00:00Z\"}\n", i }' > many.ndjson
echo 'not json' >> many.ndjson
goccupy --stats --rejects rejected.ndjson many.ndjson > /dev/null 2> err || fail "goccupy exit $?"
[ "$(wc -l < rejected.ndjson)" -eq 17 ] || fail "goccupy: $(wc -l < rejected.ndjson) rejects, expected 17"
grep -q '^goccupy: records 258, counted 241, .* rejected 17, ' err ||
    fail "goccupy --stats: $(tail -n 1 err)"

# gbucket: a row whose idle_secs is not a number is refused by the pools,
# a line that is not JSON by the reader
printf '%s\n' '{"user_id":"b","routing_status":"IDLE","start":"2026-11-02T09:00:00Z","end":"2026-11-02T10:00:00Z"}' \
    '{"user_id":"b","routing_status":"INTERACTING","start":"2026-11-02T10:00:00Z","end":"2026-11-02T12:00:00Z"}' |
    goccupy --by day > rows.ndjson || fail "goccupy --by day"
sed 's/"idle_secs":[^,]*/"idle_secs":"x"/' rows.ndjson > bad.ndjson
cat rows.ndjson bad.ndjson > both.ndjson
echo 'garbage' >> both.ndjson
gbucket --stats --rejects rejected2.ndjson both.ndjson > /dev/null 2> err || fail "gbucket exit $?"
[ "$(wc -l < rejected2.ndjson)" -eq 2 ] || fail "gbucket: $(wc -l < rejected2.ndjson) rejects, expected 2"
grep -q '^gbucket: records 3, control records skipped 0, rejected 2$' err ||
    fail "gbucket --stats: $(grep records err)"
exit 0
