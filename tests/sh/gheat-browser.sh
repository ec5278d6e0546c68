# The example org's heatmap page in headless Chromium: no console error,
# the pixel at each agent's centre has its band's colour, the table sorts,
# hover shows details; the header and the legend fit at every width.  The screenshot
# stays in tests/output/ for a person to look at.
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
# The legend wraps in a narrow drawing: nothing clipped at any width
# (without the roster no agent has a hire date: the legend's longest entry).
zcat "$top/examples/org.ndjson.gz" | gdedupe --sorted | gshift | goccupy --roster "$top/examples/roster.csv" \
    > rows.ndjson
# The header (title, floor occupancy, period, data time) wraps too: a long
# title and the figures whole at the narrowest width gheat accepts.
title="Contact centre floor — North America tier 1 voice and chat, weekday shifts (Supercalifragilistic)"
for size in 200x420 320x400 480x400 700x500 999x600 1280x800 1920x1080; do
    gheat --size "$size" --roster "$top/examples/roster.csv" rows.ndjson > "$size-legend.svg"
    gheat --size "$size" --palette cb rows.ndjson > "$size-cb.svg"
    gheat --size "$size" --title "$title" rows.ndjson > "$size-title.svg"
done
/usr/bin/python3 "$TESTS_DIR/sh/lib/gheat_browser.py" legend ./*-legend.svg ./*-cb.svg ./*-title.svg
cp 320x400-title.svg "$out/gheat-narrow.svg"
