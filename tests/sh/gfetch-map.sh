# gfetch map: the built-in jq mappings on saved Genesys answers
# (tests/fixtures/genesys/), expected outputs checked by hand:
# - details: two pages, the second repeating a segment across midnight and
#   a piece of it (dropped), a +01:00 offset (normalised), segments cut to
#   the window [2026-11-02, 2026-11-03), canonical order (user, start,
#   routing before presence)
# - --whole keeps the API's whole segments; --csv; --org
# - aggregates: ms -> secs (5400500 ms = 5400.5 s), -06:00 / -05:00
#   intervals across the DST change to UTC, tOrganizationPresence ignored
# - users: role from title else department, hire_date from employerInfo,
#   CSV quoting of a name with quotes and a comma
set -eu
fx=$TESTS_DIR/fixtures/genesys
gfetch map details "$fx/details-page1.json" "$fx/details-page2.json" --from 2026-11-02 --to 2026-11-03 > got
diff "$fx/details-cut.expected.ndjson" got
gfetch map details "$fx/details-page1.json" "$fx/details-page2.json" --from 2026-11-02 --to 2026-11-03 \
    --whole --csv --org acme > got
diff "$fx/details-whole-org.expected.csv" got
gfetch map aggregates "$fx/aggregates.json" > got
diff "$fx/aggregates.expected.ndjson" got
gfetch map users "$fx/users-page.json" > got
diff "$fx/users.expected.csv" got
# the two pages concatenated in one stream read the same as two files
cat "$fx/details-page1.json" "$fx/details-page2.json" | gfetch map details --from 2026-11-02 --to 2026-11-03 > got
diff "$fx/details-cut.expected.ndjson" got
# --jq replaces the mapping; members beyond the contract's ride along
# (NDJSON), CSV says it leaves them out
P='.userDetails[]? | .userId as $u | (.primaryPresence[]? | {user_id: $u, presence: .systemPresence, start: .startTime, end: .endTime, org_presence: .organizationPresenceId})'
gfetch map details "$fx/details-page1.json" --jq "$P" > got
cat > want <<'EOF2'
{"user_id":"b-agent","presence":"OFFLINE","start":"2026-11-01T17:00:00.000Z","end":"2026-11-02T08:00:00.000Z","org_presence":null}
{"user_id":"b-agent","presence":"ON_QUEUE","start":"2026-11-02T08:00:00.000Z","end":"2026-11-02T16:30:00.000Z","org_presence":"6a3af858-942f-489d-9700-5f9bcdcdae9b"}
{"user_id":"b-agent","presence":"OFFLINE","start":"2026-11-02T16:30:00.000Z","end":"2026-11-03T08:00:00.000Z","org_presence":null}
EOF2
diff want got
gfetch map details "$fx/details-page1.json" --jq "$P" --csv > got 2> err
[ "$(wc -l < got)" -eq 4 ] || { cat got; exit 1; }
grep -qx 'gfetch: 3 records had fields beyond the contract.s (from --jq) that CSV leaves out; use NDJSON' err || { cat err; exit 1; }
# a --jq program that does not compile is a usage error
if gfetch map details "$fx/details-page1.json" --jq '.userDetails[] | {' > got 2> err; then exit 1; else [ $? -eq 2 ]; fi
grep -q '^gfetch: jq program --jq does not compile' err || { cat err; exit 1; }

# not JSON: a message naming the file, status 1
printf '{"userDetails": [' > bad.json
if gfetch map details bad.json > got 2> err; then echo "malformed answer accepted"; exit 1; fi
grep -q '^gfetch: bad.json: not JSON' err || { cat err; exit 1; }
echo ok
