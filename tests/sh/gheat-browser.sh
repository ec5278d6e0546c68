# The example org's heatmap page in headless Chromium: no console error,
# the pixel at each agent's centre has its band's colour, the table sorts,
# hover shows details.  The screenshot stays in tests/output/ for a person
# to look at.
set -eu
top=$(cd "$TESTS_DIR/.." && pwd)
out=$TESTS_DIR/output
mkdir -p "$out"
[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium: run tests/deps.sh"; exit 1; }
zcat "$top/examples/org.ndjson.gz" | gdedupe --sorted | gshift |
    goccupy --roster "$top/examples/roster.csv" | gbucket --roster "$top/examples/roster.csv" |
    gheat --roster "$top/examples/roster.csv" --html heat.html --svg "$out/gheat-example.svg"
cp heat.html "$out/gheat-example.html"
/usr/bin/python3 "$TESTS_DIR/sh/lib/gheat_browser.py" page heat.html "$out/gheat-example.png"
