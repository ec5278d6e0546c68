"""A small driver of headless Chromium over the DevTools protocol, for
gheat's browser tests: open a page, evaluate JavaScript, take a
screenshot, read pixels, collect console errors.

Runs under Debian's /usr/bin/python3, which has python3-websockets.
"""
import asyncio
import base64
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import zlib

import websockets

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1", "--remote-debugging-port=0",
                  "--remote-allow-origins=*"]


class Browser:
    """One headless Chromium and one page in it."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="gheat-chromium.")
        exe = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        self.proc = subprocess.Popen([exe] + CHROMIUM_FLAGS + ["--user-data-dir=" + self.profile, "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.errors = []
        self.next_id = 0
        self.pending = {}
        self.events = []

    async def start(self, width=1400, height=1000):
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or len(open(port_file).read().split("\n")) < 2:
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("chromium did not start")
            await asyncio.sleep(0.1)
        port, path = open(port_file).read().split("\n")[:2]
        self.ws = await websockets.connect("ws://127.0.0.1:%s%s" % (port, path), max_size=256 * 1024 * 1024)
        self.reader = asyncio.ensure_future(self._read())
        target = await self.call("Target.createTarget", {"url": "about:blank"})
        attached = await self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            await self.call(domain + ".enable", session=True)
        await self.call("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)

    async def _read(self):
        async for message in self.ws:
            m = json.loads(message)
            if "id" in m and m["id"] in self.pending:
                self.pending.pop(m["id"]).set_result(m)
                continue
            method, params = m.get("method"), m.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                self.errors.append("console.%s: %s" % (params["type"], [a.get("value", a.get("description"))
                                                                       for a in params.get("args", [])]))
            elif method == "Runtime.exceptionThrown":
                d = params.get("exceptionDetails", {})
                self.errors.append("exception: %s %s" % (d.get("text"), d.get("exception", {}).get("description")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                self.errors.append("log: %s %s" % (params["entry"].get("text"), params["entry"].get("url", "")))
            self.events.append(method)

    async def call(self, method, params=None, session=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        future = asyncio.get_event_loop().create_future()
        self.pending[self.next_id] = future
        await self.ws.send(json.dumps(message))
        reply = await asyncio.wait_for(future, 60)
        if "error" in reply:
            raise RuntimeError("%s: %s" % (method, reply["error"]))
        return reply.get("result", {})

    async def open(self, url):
        self.events.clear()
        await self.call("Page.navigate", {"url": url}, session=True)
        deadline = time.time() + 30
        while "Page.loadEventFired" not in self.events:
            if time.time() > deadline:
                raise RuntimeError("page did not load: " + url)
            await asyncio.sleep(0.05)

    async def js(self, expression):
        r = await self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "awaitPromise": True}, session=True)
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expression[:60], r["exceptionDetails"]))
        return r["result"].get("value")

    async def screenshot(self, path):
        r = await self.call("Page.captureScreenshot", {"format": "png"}, session=True)
        data = base64.b64decode(r["data"])
        with open(path, "wb") as f:
            f.write(data)
        return decode_png(data)

    async def close(self):
        try:
            await self.call("Browser.close")
        except Exception:
            pass
        self.reader.cancel()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def decode_png(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "PNG not 8-bit RGB(A)"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, channels, rows


def pixel(image, x, y):
    width, height, channels, rows = image
    line = rows[y]
    return tuple(line[x * channels:x * channels + 3])


def hex_rgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))
