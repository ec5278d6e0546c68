# gheat's SVG on generated orgs of 1, 7, 40 and 10,000 agents: one
# rectangle per agent, the band and colour of each at the exact edges 0.6,
# 0.8 and 0.9, areas proportional to tenure within rounding, no overlaps,
# all inside the canvas (tests/sh/lib/heat_check.py); the same with the
# colour-blind palette, grouped by org and ungrouped, and from CSV; and the
# same input gives the same picture byte for byte.
set -eu
lib=$TESTS_DIR/sh/lib
for n in 1 7 40 10000; do
    python3 "$lib/heat_org.py" $n 7 > org$n.ndjson
    gheat org$n.ndjson > org$n.svg
    python3 "$lib/heat_check.py" org$n.svg org$n.ndjson 1280 800
done
python3 "$lib/heat_org.py" 40 11 --orgs 3 > orgs.ndjson
gheat --palette cb --size 900x700 orgs.ndjson > cb.svg
python3 "$lib/heat_check.py" cb.svg orgs.ndjson 900 700 --palette cb
gheat --by org orgs.ndjson > by-org.svg
python3 "$lib/heat_check.py" by-org.svg orgs.ndjson 1280 800
[ "$(grep -c 'class="group"' by-org.svg)" -eq 3 ] || { echo "--by org: expected 3 groups"; exit 1; }
gheat --by none orgs.ndjson > by-none.svg
python3 "$lib/heat_check.py" by-none.svg orgs.ndjson 1280 800
[ "$(grep -c 'class="group"' by-none.svg)" -eq 0 ] || { echo "--by none: groups drawn"; exit 1; }
# CSV rows (as goccupy --csv writes them) draw the same picture
python3 -c '
import csv, json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = list(dict.fromkeys(k for r in rows for k in r))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(keys)
for r in rows:
    w.writerow(["" if r.get(k) is None else r[k] for k in keys])' org40.ndjson > org40.csv
gheat org40.csv > org40-csv.svg
cmp org40.svg org40-csv.svg || { echo "CSV input drew another picture"; exit 1; }
# deterministic: the same rows in another order, the same picture
sort -r org40.ndjson > shuffled.ndjson
gheat shuffled.ndjson > shuffled.svg
cmp org40.svg shuffled.svg || { echo "input order changed the picture"; exit 1; }
