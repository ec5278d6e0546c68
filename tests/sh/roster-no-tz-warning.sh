# A roster written by `gfetch users` has no tz column: goccupy --by day|week
# and gbucket on day/week rows say once on stderr in which zone the days
# are taken (UTC, or --tz).  Nothing with --by window/shift, nor when the
# roster has a tz column.  (goccupy(1), gbucket(1): ROSTER TIME ZONES.)
set -u
fail() { echo "FAIL: $*"; exit 1; }
# the roster as gfetch users writes it: no tz column
gfetch map users "$TESTS_DIR/fixtures/genesys/users-page.json" > users.csv || fail "gfetch map users"
head -1 users.csv | grep -q tz && fail "users.csv unexpectedly has a tz column"
printf 'user_id,role,tz\nu-1,tier1-voice,America/Chicago\nu-2,tier2-email,Europe/London\n' > zoned.csv
# two users, two local days each, several shifts: the warning still comes once
cat > seg.ndjson <<'X'
{"user_id":"u-1","routing_status":"IDLE","start":"2026-11-02T14:00:00Z","end":"2026-11-02T15:00:00Z"}
{"user_id":"u-1","routing_status":"INTERACTING","start":"2026-11-02T15:00:00Z","end":"2026-11-02T18:00:00Z"}
{"user_id":"u-1","routing_status":"INTERACTING","start":"2026-11-03T14:00:00Z","end":"2026-11-03T18:00:00Z"}
{"user_id":"u-2","routing_status":"IDLE","start":"2026-11-02T09:00:00Z","end":"2026-11-02T10:00:00Z"}
{"user_id":"u-2","routing_status":"INTERACTING","start":"2026-11-03T09:00:00Z","end":"2026-11-03T12:00:00Z"}
X
expect_err() { # WHAT FILE EXPECTED-TEXT
    [ "$(cat "$2")" = "$3" ] || fail "$1: stderr was [$(cat "$2")], expected [$3]"
}
note_utc='has no tz column: days are labelled in UTC (give --tz ZONE, or add a tz column, for local days)'

gshift < seg.ndjson > shifts.ndjson || fail gshift
goccupy --by day --roster users.csv shifts.ndjson > day.ndjson 2> err || fail "goccupy --by day"
expect_err "goccupy --by day, roster without tz" err "goccupy: users.csv $note_utc"
goccupy --by week --roster users.csv --tz America/Chicago shifts.ndjson > /dev/null 2> err || fail "goccupy --by week"
expect_err "goccupy --by week --tz" err \
    "goccupy: users.csv has no tz column: weeks are labelled in America/Chicago (--tz)"
for by in window shift; do
    goccupy --by $by --roster users.csv shifts.ndjson > /dev/null 2> err || fail "goccupy --by $by"
    expect_err "goccupy --by $by" err ""
done
goccupy --by day --roster zoned.csv shifts.ndjson > /dev/null 2> err || fail "goccupy zoned"
expect_err "goccupy --by day, roster with tz" err ""
goccupy --by day shifts.ndjson > /dev/null 2> err || fail "goccupy no roster"
expect_err "goccupy --by day, no roster" err ""

ramp_utc='has no tz column: ramp-up days after returned_on are counted in UTC (give --tz ZONE, or add a tz column, for local days)'
gbucket --roster users.csv --min-hours 0 day.ndjson > /dev/null 2> err || fail "gbucket day rows"
expect_err "gbucket on day rows" err "gbucket: users.csv $ramp_utc"
goccupy --by week shifts.ndjson | gbucket --roster users.csv --tz Asia/Tokyo --min-hours 0 > /dev/null 2> err ||
    fail "gbucket week rows"
expect_err "gbucket on week rows --tz" err \
    "gbucket: users.csv has no tz column: ramp-up days after returned_on are counted in Asia/Tokyo (--tz)"
goccupy shifts.ndjson | gbucket --roster users.csv --min-hours 0 > /dev/null 2> err || fail "gbucket window rows"
expect_err "gbucket on window rows" err ""
gbucket --roster zoned.csv --min-hours 0 day.ndjson > /dev/null 2> err || fail "gbucket zoned"
expect_err "gbucket, roster with tz" err ""
exit 0
