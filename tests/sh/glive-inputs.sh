#!/bin/sh
# glive reads segment records in CSV as in NDJSON (an input whose first
# line does not start with '{' is CSV, that line its header), and several
# inputs of either kind at once.  With --rejects, a bad line in one input
# is copied byte for byte (its line end, or none on an unterminated last
# line, included) and reported as file:line, and neither that input nor
# the others stop: the ticks are those of the inputs without the bad lines.
set -eu
ggen --agents 20 --days 1 --point-events --org us --seed 3 | gsort --time > us.ndjson
ggen --agents 20 --days 1 --point-events --org emea --seed 4 --csv | gsort --time > emea.csv
ggen --agents 20 --days 1 --point-events --org emea --seed 4 | gsort --time > emea.ndjson

# CSV gives what NDJSON gives
glive --replay --speed max --full --every 1h emea.ndjson > from-ndjson.ticks
glive --replay --speed max --full --every 1h emea.csv > from-csv.ticks
grep -q '"type":"agent"' from-csv.ticks || { echo "no agent record from CSV"; exit 1; }
cmp from-ndjson.ticks from-csv.ticks || { echo "CSV and NDJSON inputs give different ticks"; exit 1; }

# bad lines in both inputs: in the middle, and the last line of the CSV
# input, unterminated; a CRLF line in the NDJSON one
awk 'NR == 100 { printf "{\"user_id\":\"u-bad\",\"routing_status\":\"IDLE\",\"start\":\"yesterday\"}\r\n" }
     NR == 300 { print "{\"user_id\":\"u-bad\",\"routing_status\":" } { print }' us.ndjson > us-bad.ndjson
awk 'NR == 50 { print "u-bad,IDLE,,2026-11-02T10:00:00.000Z" } { print }' emea.csv > emea-bad.csv
printf 'u-bad,IDLE,,"2026-11-02T23:59:00.000Z,,,emea' >> emea-bad.csv
printf '{"user_id":"u-bad","routing_status":"IDLE","start":"yesterday"}\r\n{"user_id":"u-bad","routing_status":\nu-bad,IDLE,,2026-11-02T10:00:00.000Z\nu-bad,IDLE,,"2026-11-02T23:59:00.000Z,,,emea' |
    LC_ALL=C sort > want.rejects

glive --replay --speed max --full --every 1h us.ndjson emea.csv > clean.ticks
glive --replay --speed max --full --every 1h --rejects got.rejects us-bad.ndjson emea-bad.csv > bad.ticks 2> err ||
    { echo "glive stopped on a bad line"; cat err; exit 1; }
cmp clean.ticks bad.ticks || { echo "the bad lines changed the ticks"; exit 1; }
LC_ALL=C sort got.rejects | cmp - want.rejects || { echo "rejects not kept byte for byte"; od -c got.rejects | tail -5; exit 1; }
[ "$(wc -l < err)" -eq 4 ] || { echo "want 4 messages"; cat err; exit 1; }
grep -q '^glive: us-bad.ndjson:100: field start: .*(rejected)$' err || { echo "no file:line for the bad time"; cat err; exit 1; }
grep -q '^glive: us-bad.ndjson:301: .*(rejected)$' err || { echo "no file:line for the broken JSON"; cat err; exit 1; }
grep -q '^glive: emea-bad.csv:50: CSV row has 4 fields, the header has 7 (rejected)$' err ||
    { echo "no file:line for the short CSV row"; cat err; exit 1; }
last=$(wc -l < emea-bad.csv)
grep -q "^glive: emea-bad.csv:$((last + 1)): .*(rejected)\$" err || { echo "no file:line for the last CSV line"; cat err; exit 1; }

# without --rejects the first bad line stops glive, naming it
if glive --replay --speed max --every 1h us-bad.ndjson emea.csv > /dev/null 2> err; then
    echo "a bad line without --rejects did not stop glive"; exit 1
fi
grep -q '^glive: us-bad.ndjson:100: field start: ' err || { echo "stop message"; cat err; exit 1; }
