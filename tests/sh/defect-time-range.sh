# Times near the ends of the range were written as other instants (the year
# clamped, month and day kept).  Every instant from 0000-01-01 to 9999-12-31
# is written exactly; what an offset moves outside is refused; a secs that
# ends past 9999 is a data error.
set -eu
rec() { printf '{"user_id":"u","routing_status":"IDLE","start":"%s"}\n' "$1"; }
for t in 9999-12-31T23:00:00-02:00 0000-01-01T00:00:00+01:00 10000-01-01T00:00:00Z; do
    if rec "$t" | gdedupe --csv > out 2> err; then echo "$t accepted: $(cat out)"; exit 1; fi
    grep -q "field start: not an RFC 3339 time" err || { echo "$t: $(cat err)"; exit 1; }
done
check() {
    got=$(rec "$1" | gdedupe --csv | sed -n 2p | cut -d, -f3)
    [ "$got" = "$2" ] || { echo "$1 -> $got, want $2"; exit 1; }
}
check 9999-12-31T23:00:00+02:00 9999-12-31T21:00:00.000Z
check 9999-12-31T21:59:59.999-02:00 9999-12-31T23:59:59.999Z
check 0000-01-01T00:00:00-01:00 0000-01-01T01:00:00.000Z
check 0000-01-01T00:00:00Z 0000-01-01T00:00:00.000Z
check 0000-02-29T12:00:00Z 0000-02-29T12:00:00.000Z
printf '{"user_id":"u","routing_status":"IDLE","start":"9999-12-31T23:00:00Z","secs":3601}\n' > late.ndjson
if goccupy late.ndjson > out 2> err; then echo "an end past 9999 accepted: $(cat out)"; exit 1; fi
grep -qx "goccupy: late.ndjson:1: field secs: start + secs ends past 9999-12-31T23:59:59.999Z" err ||
    { echo "message: $(cat err)"; exit 1; }
echo ok
