# Two orgs, two fakes, two gfetch stream processes writing into one FIFO:
# every line is whole (each record is one write(2)), and each org's records,
# taken back out of the mix, equal gfetch details from its own fake.
set -eu
. "$TESTS_DIR/sh/lib/gstream.sh"
start_stream_fake --agents 6 --seed 21
FAKE_A=$FAKE
mv users.txt users-a.txt
start_stream_fake --agents 6 --seed 22
FAKE_B=$FAKE
mv users.txt users-b.txt

mkfifo live.fifo
cat live.fifo > merged.ndjson &
CAT=$!
# Both writers hold the FIFO open from the start: the reader sees one stream.
exec 3> live.fifo
for org in a b; do
    eval "url=\$FAKE_$(echo $org | tr a-b A-B)"
    gfetch --api-url "$url" --login-url "$url" --page-delay 0 stream --org "$org" --from "$MIDNIGHT" \
        --users "users-$org.txt" --ping-after 1 --heartbeat-timeout 2 >&3 2>> "stream-$org.err" &
    eval "PID_$org=\$!"
done
exec 3>&-
SPID=

# wait_org ORG PATTERN N
wait_org() {
    i=0
    while [ "$(grep "\"org\":\"$1\"" merged.ndjson | grep -c -- "$2" || true)" -lt "$3" ]; do
        i=$((i + 1)); [ $i -lt 600 ] || fail "org $1: waited 60 s for $3 of $2"; sleep 0.1
    done
}
wait_org a '"type":"resync_end"' 1
wait_org b '"type":"resync_end"' 1
# pause both clocks; two more heartbeats each and everything up to the pause is in
for org in a b; do
    eval "FAKE=\$FAKE_$(echo $org | tr a-b A-B)"
    fake_post /_fake/clock '{"action": "pause"}'
    eval "UNTIL_$org=\$(fake_clock)"
    beats=$(grep "\"org\":\"$org\"" merged.ndjson | grep -c '"heartbeat"' || true)
    wait_org "$org" '"heartbeat"' $((beats + 2))
done
kill -TERM "$PID_a" "$PID_b"
wait "$PID_a" || fail "org a: exit status $?"
wait "$PID_b" || fail "org b: exit status $?"
wait "$CAT"

# Every line whole: each parses as one JSON object of one org.
py '
n = 0
for line in open("merged.ndjson"):
    r = json.loads(line)
    assert r["org"] in ("a", "b"), r
    n += 1
assert n > 20, n' || fail "a line of the FIFO is not a whole record"

for org in a b; do
    eval "FAKE=\$FAKE_$(echo $org | tr a-b A-B)"
    eval "until_time=\$UNTIL_$org"
    grep "\"org\":\"$org\"" merged.ndjson > "$org.ndjson"
    tail -1 "$org.ndjson" | grep -q '"reason":"stopped"' || fail "org $org: no last disconnected"
    gsort "$org.ndjson" | gdedupe | gshift | goccupy --from "$MIDNIGHT" --to "$until_time" > "$org-live.occ"
    gf details --users "users-$org.txt" --org "$org" --from "$MIDNIGHT" --to "$until_time" |
        gdedupe | gshift | goccupy --from "$MIDNIGHT" --to "$until_time" > "$org-batch.occ"
    [ -s "$org-batch.occ" ] || fail "org $org: no rows from gfetch details"
    diff "$org-batch.occ" "$org-live.occ" > "$org.diff" || fail "org $org: the FIFO's records differ: $(head -c 400 "$org.diff")"
done
exit 0
