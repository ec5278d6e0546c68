# Records without org made the clang UBSan build of gsort abort (zero offset
# applied to a null pointer) on every record.  Both orders come out right.
set -eu
printf '%s\n' '{"user_id":"b","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}' \
    '{"user_id":"a","routing_status":"IDLE","start":"2026-11-02T14:00:00Z"}' \
    '{"org":"o","user_id":"a","routing_status":"IDLE","start":"2026-11-02T12:00:00Z"}' > in.ndjson
gsort in.ndjson > out
printf '%s\n' '{"user_id":"a","routing_status":"IDLE","start":"2026-11-02T14:00:00Z"}' \
    '{"user_id":"b","routing_status":"IDLE","start":"2026-11-02T13:00:00Z"}' \
    '{"org":"o","user_id":"a","routing_status":"IDLE","start":"2026-11-02T12:00:00Z"}' > want
cmp -s out want || { echo "order:"; cat out; exit 1; }
echo ok
