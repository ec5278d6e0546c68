# examples/Makefile: the report depends on its settings.  A second run
# with other settings redoes the reports they change; the same settings
# again do nothing.
set -eu
top=$(cd "$TESTS_DIR/.." && pwd)
cp -R "$top/examples" ex
make -s -C ex TOOLS="$BIN/" > first.log 2>&1
head -2 ex/report/thresholds.csv | tail -1 | cut -d, -f4,5 > cuts.before
[ "$(cat cuts.before)" = "25,75" ] || { echo "first run cuts: $(cat cuts.before)"; exit 1; }
make -C ex TOOLS="$BIN/" LOW=20 HIGH=80 > second.log 2>&1
grep -q 'gbucket' second.log || { echo "LOW=20 HIGH=80 did nothing"; cat second.log; exit 1; }
head -2 ex/report/thresholds.csv | tail -1 | cut -d, -f4,5 > cuts.after
[ "$(cat cuts.after)" = "20,80" ] || { echo "second run cuts: $(cat cuts.after)"; exit 1; }
# GAP changes the shifts, hence everything from the segments on
make -C ex TOOLS="$BIN/" LOW=20 HIGH=80 GAP=60m > third.log 2>&1
grep -q 'gshift --gap 60m' third.log || { echo "GAP=60m did not redo the segments"; cat third.log; exit 1; }
# the same settings again: nothing to do
make -C ex TOOLS="$BIN/" LOW=20 HIGH=80 GAP=60m > fourth.log 2>&1
if grep -q 'gdedupe\|gshift\|goccupy\|gbucket' fourth.log; then echo "same settings redid work"; cat fourth.log; exit 1; fi
