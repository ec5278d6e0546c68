# "gdedupe --rejects v.ndjson v.ndjson" truncated its input before reading
# it.  Any output file that is also an input (same device and inode: the
# same name, a hard link, standard input) is refused before anything is
# opened for writing, and the input is left whole.
set -eu
printf '{"user_id":"a","routing_status":"IDLE","start":"2026-11-02T10:00:00Z"}\n' > v.ndjson
cp v.ndjson keep.ndjson
ln v.ndjson link.ndjson
check() {
    if "$@" > out 2> err; then echo "accepted: $*"; exit 1; fi
    grep -q "is also an input: refusing to overwrite it" err || { echo "$*: message: $(cat err)"; exit 1; }
    cmp -s v.ndjson keep.ndjson || { echo "$*: the input was changed"; exit 1; }
}
for tool in gdedupe gshift gsort goccupy gbucket; do
    check "$tool" --rejects v.ndjson v.ndjson
    check "$tool" --rejects link.ndjson v.ndjson
done
check sh -c 'gdedupe --rejects v.ndjson < v.ndjson'
# gbucket: --thresholds-out over its --thresholds input, or over its roster
printf 'user_id,tz\na,UTC\n' > roster.csv
cp roster.csv roster.keep
if gbucket --roster roster.csv --thresholds-out roster.csv v.ndjson > out 2> err; then echo "roster overwritten"; exit 1; fi
grep -q "roster.csv: is also an input" err || { echo "roster: $(cat err)"; exit 1; }
cmp -s roster.csv roster.keep || { echo "the roster was changed"; exit 1; }
# an output that is not an input is still written
gdedupe --rejects other.ndjson v.ndjson > out
cmp -s out v.ndjson || { echo "a plain run changed"; exit 1; }
echo ok
