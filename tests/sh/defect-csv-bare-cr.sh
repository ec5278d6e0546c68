# A CSV with CR-only line ends was read as one header row: zero records,
# exit 0.  It is refused with a message saying what and how to convert it;
# CRLF line ends are still read.
set -eu
printf 'user_id,routing_status,start\ru,IDLE,2026-11-02T13:00:00Z\ru,IDLE,2026-11-02T14:00:00Z\r' > mac.csv
for tool in gdedupe gshift gsort goccupy; do
    if "$tool" mac.csv > out 2> err; then echo "$tool: CR-only CSV accepted: $(cat out)"; exit 1; fi
    grep -q "^$tool: mac.csv:1: CSV lines end in a bare CR (old Mac style)" err ||
        { echo "$tool: message: $(cat err)"; exit 1; }
done
tr '\r' '\n' < mac.csv | gdedupe > out
[ "$(wc -l < out)" -eq 3 ] || { echo "converted: $(cat out)"; exit 1; }
printf 'user_id,routing_status,start\r\nu,IDLE,2026-11-02T13:00:00Z\r\n"u",IDLE,2026-11-02T14:00:00Z\r\n' | gdedupe > out
[ "$(wc -l < out)" -eq 3 ] || { echo "CRLF: $(cat out)"; exit 1; }
echo ok
