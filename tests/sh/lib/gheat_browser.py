"""gheat's pages in a real browser (headless Chromium over DevTools).

    /usr/bin/python3 gheat_browser.py page heat.html shot.png
        the HTML page renders with no console error; the pixel at the
        centre of every (not stale) agent's rectangle has its band's
        colour; sorting the table works; the screenshot is kept.
    /usr/bin/python3 gheat_browser.py live
        gheat --serve fed ticks on its standard input: the page receives
        them and its DOM changes, at most 2 frames a second; ticks stop ->
        the DISCONNECTED banner within --stale + 1 s; ticks again -> it
        clears; an org disconnected -> its agents greyed, the others not;
        gheat restarted -> the page reconnects by itself; bad requests 4xx.
    /usr/bin/python3 gheat_browser.py legend WxH-name.svg...
        the header (title, figures) and the legend, as drawn, inside the
        drawing at every width, above and below the treemap, their texts
        apart.
"""
import asyncio
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

BANDS = {"under": "#F2C300", "healthy": "#2E9E48", "high": "#F07F13", "burnout": "#D7263D", "none": "#A0A0A0"}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL", what, flush=True)


async def page_test(html, shot):
    b = cdp.Browser()
    try:
        await b.start()
        await b.open("file://" + os.path.abspath(html))
        await asyncio.sleep(0.5)
        check(not b.errors, "console errors: %s" % b.errors)
        rects = await b.js("""Array.from(document.querySelectorAll('rect.agent')).map(r => {
            const b = r.getBoundingClientRect();
            return {id: r.dataset.userId, band: r.dataset.band, stale: !!r.dataset.stale,
                    x: b.left + b.width / 2, y: b.top + b.height / 2, w: b.width, h: b.height};
        })""")
        check(len(rects) > 0, "no agent rectangles")
        image = await b.screenshot(shot)
        checked = 0
        for r in rects:
            x, y = int(r["x"]), int(r["y"])
            if r["stale"] or r["w"] < 3 or r["h"] < 3 or x >= image[0] or y >= image[1]:
                continue
            got, want = cdp.pixel(image, x, y), cdp.hex_rgb(BANDS[r["band"]])
            check(all(abs(g - w) <= 3 for g, w in zip(got, want)),
                  "%s (%s): pixel at (%d,%d) is %s, want %s" % (r["id"], r["band"], x, y, got, want))
            checked += 1
        check(checked == len([r for r in rects if not r["stale"]]), "only %d of %d rectangles on screen" % (checked, len(rects)))
        # the table lists every agent and sorts by a click
        rows = await b.js("document.querySelectorAll('#agents tbody tr').length")
        check(rows == len(rects), "table has %s rows for %d agents" % (rows, len(rects)))
        await b.js("document.querySelector('th[data-key=\"name\"]').click()")
        names = await b.js("Array.from(document.querySelectorAll('#agents tbody tr td:first-child')).map(t => t.textContent)")
        check(names == sorted(names), "sorting by name: %s" % names[:5])
        # hover shows the agent's details
        await b.js("document.querySelector('rect.agent').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))")
        details = await b.js("document.getElementById('details').textContent")
        check("occupancy" in details, "hover details: %r" % details)
        print("page: %d rectangles, %d pixels checked" % (len(rects), checked))
    finally:
        await b.close()


# ---------------------------------------------------------------------------

def agent(org, user, occupancy, tenure, stale=False):
    return {"type": "agent", "org": org, "user_id": user, "period": "2026-11-16", "name": "%s %s" % (org, user),
            "cohort": "voice", "tenure_days": tenure, "occupancy": occupancy, "nrt_rate": 0,
            "interacting_secs": int(occupancy * 1000), "idle_secs": 1000 - int(occupancy * 1000),
            "band": "none", "stale": stale}


class Feed:
    """gheat --serve, fed ticks by this script."""

    def __init__(self, gheat, port=0):
        self.proc = subprocess.Popen([gheat, "--serve", "127.0.0.1:%d" % port, "--stale", "2s", "--size", "800x500"],
                                     stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stderr.readline().decode()
        m = re.search(r"serving (http://127\.0\.0\.1:(\d+)/)", line)
        if not m:
            raise RuntimeError("gheat did not say where it serves: %r" % line)
        self.url, self.port = m.group(1), int(m.group(2))
        self.seq = 0

    def tick(self, orgs=None, step=0):
        self.seq += 1
        records = [agent("us", "u%d" % i, ((i * 7 + step) % 10) / 10.0, 10 + i) for i in range(12)]
        records += [agent("emea", "e%d" % i, ((i * 3 + step) % 10) / 10.0, 20 + i,
                          stale=bool(orgs and orgs.get("emea") != "live")) for i in range(6)]
        statuses = orgs or {"us": "live", "emea": "live"}
        records.append({"type": "tick", "seq": self.seq, "at": "2026-11-16T14:%02d:%02d.000Z" % (self.seq // 60 % 60, self.seq % 60),
                        "agents": 18, "occupancy": 0.5 + step % 5 / 10,
                        "orgs": {o: {"status": s, "last_record": "2026-11-16T14:00:00.000Z"} for o, s in statuses.items()}})
        self.proc.stdin.write("".join(json.dumps(r) + "\n" for r in records).encode())
        self.proc.stdin.flush()
        self.last_tick = time.time()

    def stop(self):
        self.proc.terminate()
        code = self.proc.wait(10)
        check(code == 0, "gheat --serve exited %s on SIGTERM" % code)


async def wait_for(b, expression, seconds):
    """Seconds until EXPRESSION is true in the page, or None."""
    start = time.time()
    while time.time() - start < seconds:
        if await b.js(expression):
            return time.time() - start
        await asyncio.sleep(0.05)
    return None


def http(url, method="GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


async def feed_for(feed, seconds, every=0.1, **kw):
    end = time.time() + seconds
    step = 0
    while time.time() < end:
        step += 1
        feed.tick(step=step, **kw)
        await asyncio.sleep(every)


async def live_test(gheat):
    feed = Feed(gheat)
    b = cdp.Browser()
    try:
        await b.start(1000, 800)
        feed.tick()
        await b.open(feed.url)
        got = await wait_for(b, "document.body.dataset.seq >= 2", 15)
        check(got is not None, "live page: no frame arrived")
        before = await b.js("document.getElementById('gh-figures').textContent")
        # ticks every 100 ms for 3 s: the page changes, at most 2 frames a second
        seq0 = int(await b.js("document.body.dataset.seq"))
        await feed_for(feed, 3.0)
        await asyncio.sleep(0.6)
        seq1 = int(await b.js("document.body.dataset.seq"))
        after = await b.js("document.getElementById('gh-figures').textContent")
        check(after != before, "live page: the DOM did not change (%r)" % after)
        check(1 <= seq1 - seq0 <= 8, "live page: %d frames in 3.6 s (at most 2 a second)" % (seq1 - seq0))
        check(not await b.js("document.getElementById('banner').classList.contains('on')"), "banner while live")
        # the ticks stop: the banner within --stale (2 s) + 1 s of the last one
        shown = await wait_for(b, "document.getElementById('banner').classList.contains('on')", 6)
        after_last = time.time() - feed.last_tick
        check(shown is not None and after_last <= 3.0, "banner %.2f s after the last tick (want <= 3)" % after_last)
        text = await b.js("document.getElementById('banner').textContent")
        check("DISCONNECTED" in text and re.search(r"data as of \d\d:\d\d:\d\d", text), "banner text: %r" % text)
        greyed = await b.js("document.querySelectorAll('rect.agent.gh-stale').length")
        check(greyed == 18, "no tick: %s of 18 agents greyed" % greyed)
        await b.screenshot(os.environ.get("SHOT_DIR", ".") + "/gheat-live-disconnected.png")
        print("banner %.2f s after the last tick" % after_last)
        # ticks again: it clears
        feed.tick(step=1)
        cleared = await wait_for(b, "!document.getElementById('banner').classList.contains('on')", 3)
        check(cleared is not None, "banner did not clear when ticks resumed")
        # one org disconnected: banner, its agents greyed, the others not
        feed.tick(orgs={"us": "live", "emea": "disconnected"}, step=2)
        shown = await wait_for(b, "document.getElementById('banner').classList.contains('on')", 2)
        check(shown is not None, "banner for a disconnected org")
        await asyncio.sleep(0.6)
        emea = await b.js("document.querySelectorAll('rect.agent.gh-stale[data-org=\"emea\"]').length")
        us = await b.js("document.querySelectorAll('rect.agent.gh-stale[data-org=\"us\"]').length")
        check(emea == 6 and us == 0, "disconnected emea: %s emea and %s us agents greyed" % (emea, us))
        feed.tick(step=3)
        cleared = await wait_for(b, "!document.getElementById('banner').classList.contains('on')", 3)
        check(cleared is not None, "banner did not clear when the org came back")
        # HTTP: the three resources; anything else 4xx
        status, body = http(feed.url + "snapshot.json")
        snap = json.loads(body)
        check(status == 200 and snap["agents"] == 18 and len(snap["items"]) == 18, "snapshot: %s %s" % (status, body[:80]))
        for path, method, want in (("", "POST", 405), ("nothing", "GET", 404), ("events", "DELETE", 405),
                                   ("../etc/passwd", "GET", 404)):
            status, _ = http(feed.url + path, method)
            check(status == want, "%s /%s: HTTP %s, want %s" % (method, path, status, want))
        # gheat restarts on the same port: the page reconnects by itself
        port = feed.port
        feed.stop()
        lost = await wait_for(b, "document.getElementById('banner').classList.contains('on')", 5)
        check(lost is not None, "no banner when gheat went away")
        seq_before = int(await b.js("document.body.dataset.seq"))
        feed = Feed(gheat, port)
        for i in range(3):
            feed.tick(step=i)
            await asyncio.sleep(0.3)
        back = await wait_for(b, "document.body.dataset.seq != '%d' && !document.getElementById('banner').classList.contains('on')" % seq_before, 8)
        check(back is not None, "the page did not reconnect to the restarted gheat")
        check(not [e for e in b.errors if "events" not in e and "ERR_CONNECTION_REFUSED" not in e],
              "console errors: %s" % b.errors)
    finally:
        await b.close()
        if feed.proc.poll() is None:
            feed.stop()


async def legend_test(svgs):
    """Each SVG (named WIDTHxHEIGHT-something.svg) as the browser draws it:
    every row of the header and every piece of the legend inside the
    drawing, above and below the treemap, and no two of their texts
    overlapping."""
    b = cdp.Browser()
    try:
        await b.start()
        for svg in svgs:
            width, height = (int(n) for n in os.path.basename(svg).split("-")[0].split("x"))
            await b.open("file://" + os.path.abspath(svg))
            await asyncio.sleep(0.3)
            boxes = await b.js("""(() => {
                const box = e => { const r = e.getBoundingClientRect();
                                   return [r.left, r.top, r.right, r.bottom, e.textContent]; };
                return {legend: Array.from(document.querySelectorAll('g.legend > *')).map(box),
                        texts: Array.from(document.querySelectorAll('g.legend > text')).map(box),
                        header: Array.from(document.querySelectorAll('g.header > text')).map(box),
                        agents: Array.from(document.querySelectorAll('rect.agent')).map(box)};
            })()""")
            treemap_top = min(a[1] for a in boxes["agents"])
            treemap_bottom = max(a[3] for a in boxes["agents"])
            # the header: title and figures drawn whole inside the drawing,
            # above the treemap, no two rows overlapping
            header = boxes["header"]
            check(header, "%s: no header" % svg)
            for left, top, right, bottom, text in header:
                check(left >= 0 and right <= width + 0.5 and top >= -0.5,
                      "%s: header text %r at (%g,%g)-(%g,%g) is cut off in %dx%d" % (svg, text, left, top, right, bottom,
                                                                                 width, height))
                check(bottom <= treemap_top + 0.5, "%s: header text %r overlaps the treemap" % (svg, text))
            for i in range(len(header) - 1):
                check(header[i][3] <= header[i + 1][1] + 1,
                      "%s: header rows %r and %r overlap" % (svg, header[i][4], header[i + 1][4]))
            for left, top, right, bottom, text in boxes["legend"]:
                check(left >= 0 and right <= width + 0.5 and bottom <= height + 0.5,
                      "%s: legend piece %r at (%g,%g)-(%g,%g) is outside %dx%d" % (svg, text, left, top, right, bottom,
                                                                              width, height))
                check(top >= treemap_bottom - 0.5, "%s: legend piece %r overlaps the treemap" % (svg, text))
            texts = boxes["texts"]
            for i in range(len(texts)):
                for k in range(i + 1, len(texts)):
                    a, c = texts[i], texts[k]
                    apart = a[2] <= c[0] or c[2] <= a[0] or a[3] <= c[1] or c[3] <= a[1]
                    check(apart, "%s: legend texts %r and %r overlap" % (svg, a[4], c[4]))
            print("legend: %s, %d header rows, %d legend pieces" % (os.path.basename(svg), len(header),
                                                                   len(boxes["legend"])))
    finally:
        await b.close()


def main():
    if sys.argv[1] == "page":
        asyncio.get_event_loop().run_until_complete(page_test(sys.argv[2], sys.argv[3]))
    elif sys.argv[1] == "legend":
        asyncio.get_event_loop().run_until_complete(legend_test(sys.argv[2:]))
    else:
        asyncio.get_event_loop().run_until_complete(live_test(sys.argv[2]))
    if failures:
        sys.exit(1)
    print("ok")


main()
