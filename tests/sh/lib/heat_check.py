"""Check the structure of a gheat SVG against the rows it was drawn from.

    python3 heat_check.py picture.svg rows.ndjson WIDTH HEIGHT [--palette cb]

- one <rect class="agent..."> per input row, keyed by data-user-id
- data-band is the band of the row's occupancy at the exact edges of
  gpulse(7) (0.6 healthy, 0.8 healthy, 0.9 high; null or
  insufficient_sample: none), and the fill is that band's colour
- every rectangle inside the canvas (below the header, above the legend)
- no two rectangles overlap (beyond the 0.01 px of the written rounding)
- area / tenure the same for every agent, within rounding
Prints "ok N agents" or the first problems, and exits 1 on any.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

HEADER, LEGEND = 44, 36
COLOURS = {
    "default": {"under": "#F2C300", "healthy": "#2E9E48", "high": "#F07F13", "burnout": "#D7263D", "none": "#A0A0A0"},
    "cb": {"under": "#56B4E9", "healthy": "#009E73", "high": "#F0E442", "burnout": "#D55E00", "none": "#999999"},
}


def band(row):
    occ = row.get("occupancy")
    if occ is None or row.get("bucket") == "insufficient_sample":
        return "none"
    if occ < 0.6:
        return "under"
    if occ <= 0.8:
        return "healthy"
    if occ <= 0.9:
        return "high"
    return "burnout"


def main():
    svg_path, rows_path, width, height = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    palette = COLOURS["cb" if "--palette" in sys.argv and sys.argv[sys.argv.index("--palette") + 1] == "cb" else "default"]
    rows = {}
    for line in open(rows_path):
        r = json.loads(line)
        rows[(r.get("org", ""), r["user_id"])] = r
    root = ET.parse(svg_path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    problems = []
    rects = []
    for el in root.iter(ns + "rect"):
        if "agent" not in el.get("class", "").split():
            continue
        key = (el.get("data-org", ""), el.get("data-user-id"))
        x, y, w, h = (float(el.get(a)) for a in ("x", "y", "width", "height"))
        rects.append((key, x, y, w, h, el))
    keys = [r[0] for r in rects]
    if len(keys) != len(set(keys)):
        problems.append("an agent has more than one rectangle")
    if set(keys) != set(rows):
        problems.append("agents differ: %d rectangles for %d rows" % (len(set(keys)), len(rows)))
    # the canvas ends 10 px above the legend, which wraps to more rows in
    # a narrow drawing: its first row's swatches say where it starts
    legend = [el for el in root.iter(ns + "g") if el.get("class") == "legend"]
    swatches = [float(r.get("y")) for g in legend for r in g.iter(ns + "rect")]
    top, bottom = HEADER, (min(swatches) - 10 if swatches else height - LEGEND)
    if bottom > height - LEGEND + 0.01:
        problems.append("the legend's first row at %g leaves less than %d px" % (bottom + 10, LEGEND))
    ratios = []
    for key, x, y, w, h, el in rects:
        row = rows.get(key)
        if row is None:
            continue
        want = band(row)
        if el.get("data-band") != want:
            problems.append("%s: occupancy %r drawn as %s, band is %s" % (key, row.get("occupancy"), el.get("data-band"), want))
        if el.get("fill") != palette[want]:
            problems.append("%s: fill %s, %s is %s" % (key, el.get("fill"), want, palette[want]))
        if x < -0.01 or y < top - 0.01 or x + w > width + 0.02 or y + h > bottom + 0.02 or w <= 0 or h <= 0:
            problems.append("%s: (%g,%g %gx%g) outside the canvas" % (key, x, y, w, h))
        if el.find(ns + "title") is None or not el.find(ns + "title").text:
            problems.append("%s: no <title>" % (key,))
        ratios.append((w * h / max(row["tenure_days"], 1), key, w, h))
    # areas proportional to tenure: the canvas shared out by tenure exactly,
    # each side off by at most the 0.005 px of the written rounding
    if ratios:
        scale = width * (bottom - top) / sum(max(rows[k]["tenure_days"], 1) for _, k, _, _ in ratios)
        for ratio, key, w, h in ratios:
            want = scale * max(rows[key]["tenure_days"], 1)
            if abs(w * h - want) > 0.0051 * (w + h) + 0.001:
                problems.append("%s: area %g, tenure %g wants %g" % (key, w * h, rows[key]["tenure_days"], want))
    # no overlaps: bucket rectangles into a grid, compare within cells
    cell = 32.0
    grid = {}
    for i, (key, x, y, w, h, el) in enumerate(rects):
        for gx in range(int(x // cell), int((x + w) // cell) + 1):
            for gy in range(int(y // cell), int((y + h) // cell) + 1):
                grid.setdefault((gx, gy), []).append(i)
    seen = set()
    for members in grid.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                _, x1, y1, w1, h1, _ = rects[i]
                _, x2, y2, w2, h2, _ = rects[j]
                ox = min(x1 + w1, x2 + w2) - max(x1, x2)
                oy = min(y1 + h1, y2 + h2) - max(y1, y2)
                if ox > 0.02 and oy > 0.02:
                    problems.append("%s and %s overlap by %gx%g" % (rects[i][0], rects[j][0], ox, oy))
    if problems:
        print("\n".join(problems[:20]))
        sys.exit(1)
    print("ok %d agents" % len(rects))


main()
