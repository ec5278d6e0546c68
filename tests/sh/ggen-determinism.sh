#!/bin/sh
# ggen: the same arguments give the same bytes, another seed other bytes;
# output in canonical order with the fields of the contract; --roster,
# --segments, --point-events, --no-duplicates, --csv, --org; and the
# committed example org is exactly what its documented command generates.
set -eu

fail() { echo "FAIL: $*" >&2; exit 1; }

# --- determinism ----------------------------------------------------------
ggen --agents 6 --days 4 --roster r1.csv > a1.ndjson
ggen --agents 6 --days 4 --roster r2.csv > a2.ndjson
cmp a1.ndjson a2.ndjson || fail "same seed, different segments"
cmp r1.csv r2.csv || fail "same seed, different rosters"
ggen --agents 6 --days 4 --seed 1 | cmp - a1.ndjson || fail "--seed 1 is not the default"
ggen --agents 6 --days 4 --seed 2 --roster r3.csv > b.ndjson
cmp -s a1.ndjson b.ndjson && fail "--seed 2 gave the same segments as seed 1"
cmp -s r1.csv r3.csv && fail "--seed 2 gave the same roster as seed 1"
[ -s a1.ndjson ] || fail "no output"

# --- canonical order: (user_id, start), routing before presence, then end ----
# Decorate each line with its key and let sort -c check it (ties allowed:
# the duplicates are identical lines).
order_key() {
    sed -n 's/^{"user_id":"\([^"]*\)","\(routing_status\|presence\)":"[^"]*","start":"\([^"]*\)"\(,"end":"\([^"]*\)"\)\{0,1\}.*/\1 \3 \2 \5/p' "$1" |
        sed 's/ routing_status / 0 /; s/ presence / 1 /'
}
order_key a1.ndjson > keys
[ "$(wc -l < keys)" -eq "$(wc -l < a1.ndjson)" ] || fail "some lines do not have the expected shape"
LC_ALL=C sort -c keys || fail "output not in canonical order"
[ "$(cut -d' ' -f1 keys | uniq | wc -l)" -eq 6 ] || fail "expected 6 agents"

# --- fields: user_id, start, end, and exactly one of routing_status/presence --
awk '
    { n = 0 }
    /"routing_status":"[A-Z_]+"/ { n++ }
    /"presence":"[A-Z_]+"/ { n++ }
    n != 1 { print "line " NR ": not exactly one status: " $0; bad = 1 }
    !/"start":"2026-11-0[2-5]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.000Z"/ { print "line " NR ": start"; bad = 1 }
    !/"end":"2026-11-0[2-6]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.000Z"/ { print "line " NR ": end"; bad = 1 }
    /"media"/ && !/"routing_status":"INTERACTING"/ { print "line " NR ": media on a non-interacting record"; bad = 1 }
    END { exit bad }' a1.ndjson || fail "records without the contract's fields"
# (grep -E: not every awk knows {n} intervals)
grep -Evq '^\{"user_id":"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",' a1.ndjson &&
    fail "a user_id that is not a lowercase UUID"
grep -q '"routing_status":"INTERACTING".*"media":"' a1.ndjson || fail "no media on INTERACTING"
for s in OFF_QUEUE IDLE INTERACTING; do
    grep -q "\"routing_status\":\"$s\"" a1.ndjson || fail "no routing status $s"
done
for s in OFFLINE ON_QUEUE AVAILABLE; do
    grep -q "\"presence\":\"$s\"" a1.ndjson || fail "no presence $s"
done

# --- each timeline is contiguous from the first record to the window's end ---
# (after dropping the repeated lines); the window ends 2026-11-06T00:00Z.
uniq a1.ndjson | awk '
    {
        match($0, /"user_id":"[^"]*"/); u = substr($0, RSTART, RLENGTH)
        t = ($0 ~ /"routing_status"/) ? "r" : "p"
        match($0, /"start":"[^"]*"/); s = substr($0, RSTART + 9, 24)
        match($0, /"end":"[^"]*"/); e = substr($0, RSTART + 7, 24)
        k = u t
        if ((k in last) && last[k] != s) { print "gap or overlap at line " NR ": " last[k] " -> " s; bad = 1 }
        if (s >= e) { print "empty segment at line " NR; bad = 1 }
        last[k] = e
    }
    END {
        for (k in last) if (last[k] != "2026-11-06T00:00:00.000Z") { print k " ends at " last[k]; bad = 1 }
        exit bad
    }' || fail "timelines are not contiguous"

# --- duplicates: a segment crossing 00:00 UTC is repeated right after itself --
# crossing.awk prints the lines whose end lies after 00:00 UTC of the day
# after their start (seconds since 1970 from the civil date: no mktime in
# every awk).
cat > crossing.awk <<'EOF'
function secs(t,   y, m, d, era, yoe, doy, doe) {
    y = substr(t, 1, 4) + 0; m = substr(t, 6, 2) + 0; d = substr(t, 9, 2) + 0
    if (m <= 2) y--
    era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return (era * 146097 + doe - 719468) * 86400 + substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60 + substr(t, 18, 2)
}
{
    match($0, /"start":"[^"]*"/); s = secs(substr($0, RSTART + 9, 24))
    match($0, /"end":"[^"]*"/); e = secs(substr($0, RSTART + 7, 24))
    if (e > (int(s / 86400) + 1) * 86400) print
}
EOF
uniq -d a1.ndjson > repeated
[ -s repeated ] || fail "no repeated segments at day boundaries"
uniq a1.ndjson | awk -f crossing.awk | cmp - repeated || fail "the repeated segments are not those crossing midnight"
# ... and no line appears more than twice, none is repeated away from its original.
[ "$(uniq -c a1.ndjson | awk '$1 > 2' | wc -l)" -eq 0 ] || fail "a line repeated more than once"
[ "$(sort a1.ndjson | uniq -d | wc -l)" -eq "$(wc -l < repeated)" ] || fail "a repeated line is not adjacent"
# --no-duplicates: the same records without the repeats.
ggen --agents 6 --days 4 --no-duplicates > nodup.ndjson
uniq a1.ndjson | cmp - nodup.ndjson || fail "--no-duplicates is not the output without the repeats"

# --- --point-events: no end, same starts ---------------------------------------
ggen --agents 6 --days 4 --point-events > points.ndjson
grep -q '"end"' points.ndjson && fail "--point-events wrote an end"
sed 's/,"end":"[^"]*"//' a1.ndjson | cmp - points.ndjson || fail "--point-events changed more than the end"

# --- --no-presence, --org ---------------------------------------------------------
ggen --agents 6 --days 4 --no-presence > routing.ndjson
grep '"routing_status"' a1.ndjson | cmp - routing.ndjson || fail "--no-presence is not the routing records"
ggen --agents 6 --days 4 --org acme > org.ndjson
sed 's/}$/,"org":"acme"}/' a1.ndjson | cmp - org.ndjson || fail "--org does not add org to every record"

# --- CSV: the header, the same records -------------------------------------------
ggen --agents 6 --days 4 --csv > a1.csv
[ "$(head -1 a1.csv)" = "user_id,routing_status,presence,start,end,media" ] || fail "CSV header: $(head -1 a1.csv)"
[ "$(($(wc -l < a1.csv) - 1))" -eq "$(wc -l < a1.ndjson)" ] || fail "CSV and NDJSON record counts differ"
tail -n +2 a1.csv | awk -F, 'NF != 6 || ($2 == "") == ($3 == "") || $4 == "" || $5 == "" { print NR ": " $0; bad = 1 } END { exit bad }' ||
    fail "CSV rows without exactly one status, a start and an end"
sed -n 's/^{"user_id":"\([^"]*\)","routing_status":"\([^"]*\)","start":"\([^"]*\)","end":"\([^"]*\)"\(,"media":"\([^"]*\)"\)\{0,1\}}$/\1,\2,,\3,\4,\6/p
         s/^{"user_id":"\([^"]*\)","presence":"\([^"]*\)","start":"\([^"]*\)","end":"\([^"]*\)"}$/\1,,\2,\3,\4,/p' a1.ndjson > converted.csv
tail -n +2 a1.csv | cmp - converted.csv || fail "CSV records differ from the NDJSON ones"

# --- roster ------------------------------------------------------------------------
[ "$(head -1 r1.csv)" = "user_id,name,role,tz,hire_date,returned_on,org" ] || fail "roster header: $(head -1 r1.csv)"
tail -n +2 r1.csv | cut -d, -f1 | sort -u > roster-ids
cut -d' ' -f1 keys | uniq > data-ids
cmp roster-ids data-ids || fail "roster and segments name different agents"
ggen --agents 200 --days 14 --roster big-roster.csv > /dev/null
for role in tier1-voice tier1-chat tier2-email tier1-voice+tier2-email; do
    grep -q ",$role,America/\|,$role,Europe/\|,$role,Asia/" big-roster.csv || fail "no agent in role $role"
done
# an agent on two rows, one role each
[ "$(tail -n +2 big-roster.csv | cut -d, -f1 | uniq -d | wc -l)" -ge 1 ] || fail "no agent on two roster rows"
for tz in America/Chicago America/New_York America/Los_Angeles Europe/London Asia/Manila; do
    grep -q ",$tz," big-roster.csv || fail "no agent in $tz"
done
# new hires and returns from leave: returned_on inside the 14-day window
awk -F, 'NR > 1 && $6 >= "2026-11-03" && $6 <= "2026-11-15" { n++ } END { exit !(n >= 5) }' big-roster.csv ||
    fail "too few agents with returned_on inside the window"
ggen --agents 2 --org 'a,b' --roster org-roster.csv > /dev/null
tail -n +2 org-roster.csv | grep -qv ',"a,b"$' && fail "roster org column not written"

# --- --segments N gives about N records --------------------------------------------
for n in 20000 100000; do
    got=$(ggen --segments $n --days 14 | wc -l)
    [ $((got * 10)) -ge $((n * 9)) ] && [ $((got * 10)) -le $((n * 11)) ] || fail "--segments $n gave $got records"
done

# --- the bundled example org is what examples/README says generated it --------------
examples=$TESTS_DIR/../examples
if [ -f "$examples/org.ndjson.gz" ]; then
    ggen --agents 40 --days 14 --from 2026-11-02 --seed 1 --roster roster.csv > org.ndjson
    gzip -dc "$examples/org.ndjson.gz" | cmp - org.ndjson || fail "examples/org.ndjson.gz is not ggen's output"
    cmp roster.csv "$examples/roster.csv" || fail "examples/roster.csv is not ggen's roster"
fi
# --- command-line conventions ----------------------------------------------------
ggen --help > help.txt || fail "--help did not exit 0"
grep -q '^Usage: ggen ' help.txt || fail "--help does not print the usage"
st=0; ggen --agents 0 > out.txt 2> err.txt || st=$?
[ "$st" -eq 2 ] && [ ! -s out.txt ] && grep -q "Try 'ggen --help'" err.txt || fail "--agents 0: status $st"
st=0; ggen --from 2026-02-30 2> err.txt || st=$?
[ "$st" -eq 2 ] || fail "--from 2026-02-30: status $st"
st=0; ggen --agents 1 > /dev/full 2> err.txt || st=$?
[ "$st" -eq 1 ] && [ -s err.txt ] || fail ">/dev/full: status $st"
{ st=0; ggen --agents 20 2> err.txt || st=$?; echo "$st" > st.txt; } | head -n 1 > /dev/null
[ "$(cat st.txt)" -eq 0 ] && [ ! -s err.txt ] || fail "| head: status $(cat st.txt), $(cat err.txt)"
echo ok
