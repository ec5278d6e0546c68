# "gshift --rejects FILE ... | head -1": the closed pipe ended the tool
# before the rejects were written.  Rejects are flushed on every way out:
# a closed pipe (exit 0) and a fatal error (exit 1).
set -eu
{
    echo '{"user_id":"u","routing_status":"IDLE","start":"bad"}'
    awk 'BEGIN { for (i = 0; i < 200000; i++)
        printf "{\"user_id\":\"u%06d\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-02T13:00:00Z\",\"end\":\"2026-11-02T13:01:00Z\"}\n", i }'
} > in.ndjson
for tool in gshift gdedupe gsort goccupy; do
    rm -f rejects
    "$tool" --rejects rejects in.ndjson 2> err | head -1 > /dev/null
    [ "$(cat rejects)" = '{"user_id":"u","routing_status":"IDLE","start":"bad"}' ] ||
        { echo "$tool: rejects file: '$(cat rejects)'; stderr: $(cat err)"; exit 1; }
done
# a fatal error later (an input out of order for gdedupe --sorted)
{ head -1 in.ndjson; sed -n 3p in.ndjson; sed -n 2p in.ndjson; } > unsorted.ndjson
rm -f rejects
if gdedupe --sorted --rejects rejects unsorted.ndjson > /dev/null 2> err; then echo "unsorted accepted"; exit 1; fi
[ "$(cat rejects)" = '{"user_id":"u","routing_status":"IDLE","start":"bad"}' ] ||
    { echo "after a fatal error: rejects '$(cat rejects)'"; exit 1; }
echo ok
