# A field with an escape decoded more than once in one record (a dedupe
# key, then a format conversion, then an error message) once overflowed the
# record's scratch area: a ~70 KB user_id with one "\/" escape.  Every path
# must give the decoded value, whole, and no sanitizer report.
set -eu
long=$(awk 'BEGIN { for (i = 0; i < 7000; i++) printf "abcdefghij" }')
printf '{"user_id":"%s\\/z","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}\n' "$long" > big.ndjson
printf '{"user_id":"%s\\/z","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}\n' "$long" >> big.ndjson
printf '{"user_id":"%s\\/z","routing_status":"IDLE","start":"2026-11-02T13:05:00Z"}\n' "$long" >> big.ndjson
# the key reads user_id; --csv decodes it again to write it
gdedupe --sorted -k user_id,start --csv big.ndjson > out.csv
[ "$(wc -l < out.csv)" -eq 3 ] || { echo "want header + 2 rows:"; head -c 300 out.csv; exit 1; }
want="$long/z,IDLE,2026-11-02T13:00:00.000Z"
[ "$(sed -n 2p out.csv | cut -d, -f1-3)" = "$want" ] || { echo "row 1 differs"; exit 1; }
# a long escaped status: the error message decodes it once more
printf '{"user_id":"u","routing_status":"%s\\/x","start":"2026-11-02T13:00:00Z"}\n' "$long" > status.ndjson
if gshift status.ndjson > /dev/null 2> err; then echo "a 70 KB status was accepted"; exit 1; fi
grep -q "^gshift: status.ndjson:1: field routing_status: not a status name 'abcdefghij" err ||
    { echo "message: $(head -c 200 err)"; exit 1; }
echo ok
