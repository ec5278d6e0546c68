#!/bin/sh
# examples/oneliners.sh runs to the end with status 0 on the bundled org
# (under bash when there is one: its pipefail makes a failing stage in the
# middle of a one-liner fail the script).
set -eu
script=$TESTS_DIR/../examples/oneliners.sh
if command -v bash > /dev/null 2>&1; then shell="bash"; else shell="sh"; fi
$shell "$script" > out 2> err || { echo "oneliners.sh failed:"; tail -20 err; exit 1; }
steps=$(grep -c '^step "' "$script")
[ "$(grep -c '^### ' out)" -eq "$steps" ] || { echo "not every step ran"; exit 1; }
