# A query that returns no records at all, for users and a window that
# exist, says so on stderr in one line and exits 0; the output is still
# well formed (nothing in NDJSON, the header in CSV).  With records, not a
# word on stderr.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
start_fake --agents 3 --days 1 --from 2026-11-02 --seed 5
gf users --csv | sed 1d | cut -d, -f1 > ids.txt
one=$(head -1 ids.txt)
EMPTY="--from 2026-10-01 --to 2026-10-02"
SPAN=2026-10-01T00:00:00.000Z/2026-10-02T00:00:00.000Z

for sub in details aggregates; do
    gf $sub $EMPTY > empty.ndjson 2> empty.err || fail "$sub: no records is not a failure: $(cat empty.err)"
    [ ! -s empty.ndjson ] || fail "$sub: output: $(head -3 empty.ndjson)"
    printf 'gfetch: %s: no records: Genesys Cloud has no data for the 3 users in %s\n' $sub $SPAN > want.err
    diff want.err empty.err > err.diff || fail "$sub: $(cat err.diff)"

    # CSV: the header, as with records
    gf $sub --from 2026-11-02 --to 2026-11-03 --csv > full.csv 2> full.err
    [ "$(wc -l < full.csv)" -gt 1 ] || fail "$sub: no records in the fake's window"
    [ ! -s full.err ] || fail "$sub with records: stderr: $(cat full.err)"
    gf $sub $EMPTY --csv > empty.csv 2> empty.err
    head -1 full.csv | cmp -s - empty.csv || fail "$sub --csv: want the header only, got: $(cat empty.csv)"
    diff want.err empty.err > err.diff || fail "$sub --csv: $(cat err.diff)"

    gf $sub $EMPTY --user "$one" > /dev/null 2> one.err
    grep -qx "gfetch: $sub: no records: Genesys Cloud has no data for 1 user in $SPAN" one.err ||
        fail "$sub --user: $(cat one.err)"
done
echo ok
