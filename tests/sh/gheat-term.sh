# gheat --term: names in UTF-8 are printed as they are (one cell per code
# point, so every map line is exactly as wide as the window), and a name
# that holds control characters cannot move the cursor or change colours
# (they show as '?').
set -eu
printf '%s\n' \
    '{"user_id":"u1","period":"2026-11-16","name":"Zoë Ñandú 李","cohort":"c","tenure_days":100,"occupancy":0.7}' \
    '{"user_id":"u2","period":"2026-11-16","name":"Bad\u001b[31mX\u0085Y","cohort":"c","tenure_days":100,"occupancy":0.95}' \
    > rows.ndjson
COLUMNS=60 LINES=16 gheat --term rows.ndjson > term.out
/usr/bin/python3 - <<'EOF'
import re, sys
text = open("term.out", encoding="utf-8").read()
plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
assert "\x1b" not in plain, "an escape from a name reached the terminal: %r" % plain
assert "\x85" not in plain, "a C1 control reached the terminal"
lines = plain.split("\n")
map_lines = lines[2:2 + 13]
assert len(map_lines) == 13, lines
for l in map_lines:
    assert len(l) == 60, "a map line of %d code points, not 60: %r" % (len(l), l)
assert any("Zoë Ñandú 李" in l for l in map_lines), "the UTF-8 name is not printed whole: %r" % map_lines
assert any("Bad?[31mX?Y" in l for l in map_lines), "controls not shown as '?': %r" % map_lines
EOF
