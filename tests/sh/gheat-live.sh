# gheat --serve in headless Chromium, fed glive-shaped ticks: the page
# receives them (its DOM changes, at most 2 frames a second); no tick for
# --stale 2s -> the DISCONNECTED banner within 3 s, greying every agent;
# ticks again -> it clears; one org disconnected -> only its agents greyed;
# gheat restarted -> the page reconnects by itself; other paths and
# methods get 404 / 405.  tests/output/gheat-live-disconnected.png shows
# the banner.
set -eu
out=$TESTS_DIR/output
mkdir -p "$out"
[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium: run tests/deps.sh"; exit 1; }
SHOT_DIR=$out /usr/bin/python3 "$TESTS_DIR/sh/lib/gheat_browser.py" live "$(command -v gheat)"
