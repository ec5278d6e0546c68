#!/bin/sh
# make heat-demo: the example org's month as a treemap heatmap, written to
# heat.svg and heat.html in the current directory (area = tenure, colour =
# occupancy band, grouped by cohort; gheat(1)).
#   BIN=bin sh examples/heat-demo.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../bin}
PATH=$BIN:$PATH

zcat "$here/org.ndjson.gz" |
    gdedupe --sorted |
    gshift --gap 90m |
    goccupy --by window --roster "$here/roster.csv" |
    gbucket --roster "$here/roster.csv" |
    gheat --roster "$here/roster.csv" --title "Example org, 2026-11-02 .. 2026-11-16" \
        --svg heat.svg --html heat.html
echo "gheat: wrote heat.svg and heat.html (open heat.html in a browser)"
