# Sums of secs past int64 once wrapped to negative idle time with exit 0.
# A secs value beyond the time range is a data error on its own line; many
# large values that together pass what goccupy can sum stop it with the
# line of the record that crossed the limit.
set -eu
printf '{"user_id":"u","routing_status":"IDLE","start":"2026-11-02T13:00:00Z","secs":5e15}\n' > one.ndjson
if goccupy one.ndjson > out 2> err; then echo "5e15 secs accepted: $(cat out)"; exit 1; fi
grep -qx "goccupy: one.ndjson:1: field secs: seconds beyond the time range (0000 to 9999) '5e15'" err ||
    { echo "message: $(cat err)"; exit 1; }
[ ! -s out ] || { echo "output despite the error: $(cat out)"; exit 1; }
# 250 billion seconds each (within the range): the 4612th record passes
# INT64_MAX / 8 ms in total
awk 'BEGIN { for (i = 0; i < 5000; i++)
    printf "{\"user_id\":\"u\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-02T13:00:00Z\",\"secs\":250000000000}\n" }' > many.ndjson
if goccupy many.ndjson > out 2> err; then echo "the overflowing sum was accepted: $(cat out)"; exit 1; fi
grep -q "^goccupy: many.ndjson:4612: field secs: the user's time adds up past" err ||
    { echo "message: $(cat err)"; exit 1; }
# 4611 of them still sum, exactly
head -4611 many.ndjson | goccupy --csv > ok.csv
grep -q ',1152750000000000,' ok.csv || { echo "the sum is wrong: $(cat ok.csv)"; exit 1; }
echo ok
