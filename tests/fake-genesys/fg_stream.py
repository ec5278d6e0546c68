"""The WebSocket side of the fake Genesys Cloud's notification channels.

A channel's connectUri (ws://127.0.0.1:WSPORT/channels/ID) leads here: a
real RFC 6455 server (Debian's python3-websockets, run by /usr/bin/python3)
on its own asyncio thread.  It pushes the synthetic org's state changes as
the fake's clock passes them (accelerated time: --speed), a heartbeat every
--heartbeat seconds (real time), answers {"message":"ping"} with a pong on
channel.metadata, and keeps the platform's rules: one socket per channel (a
second socket to a channel disconnects the first), channels expire.

Every event is published once, when the clock passes its start, to every
live socket subscribed to its topic; a socket receives what is published
after its upgrade request arrived (so a client that opens a new socket
before closing the old one misses nothing).

Faults are actions on the live sockets (POST /_fake/stream, see README.md):
ghost, socket_closing, reset, close, token_revoked, no_longer_subscribed,
subscription_changed, big, mode (duplicates, out_of_order, fragments),
burst (a pre-generated burst of events written as raw frames, for the
benchmark).
"""

import asyncio
import bisect
import json
import socket
import struct
import threading
import time
import uuid

import fg_data

try:
    import websockets
    import websockets.legacy.server
    AVAILABLE = True
except ImportError:          # pyenv's python3: no websockets; the REST side still works
    websockets = None
    AVAILABLE = False

TICK_S = 0.02

PRESENCE_WORDS = {"ON_QUEUE": "On Queue"}


def event_presence(status):
    """The spelling of presence events: "Available", "On Queue"."""
    return PRESENCE_WORDS.get(status, status.capitalize())


class Clock:
    """The fake's time: START (epoch ms) when the fake started, running
    SPEED times faster than real time."""

    def __init__(self, start_ms, speed):
        self.start_ms = start_ms
        self.speed = speed
        self.t0 = time.monotonic()

        self.paused_at = None

    def now_ms(self):
        if self.paused_at is not None:
            return self.paused_at
        return int(self.start_ms + (time.monotonic() - self.t0) * 1000 * self.speed)

    def pause(self):
        """Stop the clock (tests compare what the stream saw up to here)."""
        self.paused_at = self.now_ms()

    def resume(self):
        if self.paused_at is not None:
            self.start_ms, self.t0, self.paused_at = self.paused_at, time.monotonic(), None


def state_at(timeline, t):
    """The segment of TIMELINE that holds instant T (started at or before
    it), or None."""
    i = bisect.bisect_right(timeline.starts, t) - 1
    if i >= 0 and timeline.segments[i][1] > t:
        return timeline.segments[i]
    return None


def frame(payload):
    """One unmasked server text frame (RFC 6455 5.2), for raw bursts."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x81, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x81, 126, n)
    else:
        head = struct.pack("!BBQ", 0x81, 127, n)
    return head + payload


class Conn:
    def __init__(self, hub, ws, channel):
        self.hub = hub
        self.ws = ws
        self.channel = channel
        self.queue = asyncio.Queue()
        self.ghost = False
        self.held = None            # out_of_order: the message waiting for the next

    def subscribed(self, topic):
        return topic in self.channel["topics"]

    def push(self, message):
        if self.ghost:
            return
        modes = self.hub.modes
        copies = 2 if modes.get("duplicates") else 1
        if modes.get("out_of_order"):      # pairs go out reversed: the later event first
            if self.held is None:
                self.held = message
                return
            earlier, self.held = self.held, None
            for _ in range(copies):
                self.queue.put_nowait(("text", message))
                self.queue.put_nowait(("text", earlier))
            return
        for _ in range(copies):
            self.queue.put_nowait(("text", message))


class Hub:
    def __init__(self, state, clock, heartbeat_s, channel_ttl_s):
        self.state = state
        self.clock = clock
        self.heartbeat_s = heartbeat_s
        self.channel_ttl_s = channel_ttl_s
        self.modes = {}
        self.sockets = {}           # channel id -> Conn
        self.connections = 0        # upgrades accepted, ever
        self.loop = None
        self.port = 0
        events = []
        for u in state.org.users.values():
            for s in u.routing.segments:
                events.append((s[0], u.id, "routingStatus", s[2]))
            for s in u.presence.segments:
                events.append((s[0], u.id, "presence", s[2]))
        events.sort()
        self.events = events
        self.starts = [e[0] for e in events]
        self.cursor = bisect.bisect_right(self.starts, clock.now_ms())

    # --- messages ----------------------------------------------------------

    def user_message(self, user_id, kind, status, start, topic_kind):
        when = fg_data.format_time_ms(start)
        if topic_kind == "activity":
            u = self.state.org.users[user_id]
            rs = state_at(u.routing, start) if kind == "presence" else (start, None, status)
            pr = state_at(u.presence, start) if kind == "routingStatus" else (start, None, status)
            body = {"id": user_id, "activeQueueIds": []}
            if rs:
                body["routingStatus"] = {"status": rs[2], "startTime": fg_data.format_time_ms(rs[0])}
            if pr:
                body["presence"] = {"presenceDefinition": {"id": fg_data.organization_presence_id(pr[2]),
                                                           "systemPresence": event_presence(pr[2])},
                                    "modifiedDate": fg_data.format_time_ms(pr[0])}
        elif kind == "routingStatus":
            body = {"id": user_id, "routingStatus": {"status": status, "startTime": when}}
        else:
            body = {"source": "PURECLOUD", "presenceDefinition": {
                "id": fg_data.organization_presence_id(status), "systemPresence": event_presence(status)},
                "primary": True, "message": "", "modifiedDate": when}
        return json.dumps({"topicName": "v2.users.%s.%s" % (user_id, topic_kind), "version": "2",
                           "eventBody": body, "metadata": {"CorrelationId": str(uuid.uuid4())}},
                          separators=(",", ":"))

    @staticmethod
    def metadata(message):
        return json.dumps({"topicName": "channel.metadata", "eventBody": {"message": message}},
                          separators=(",", ":"))

    @staticmethod
    def system(name, message):
        return json.dumps({"topicName": "v2.system." + name, "eventBody": {"message": message}},
                          separators=(",", ":"))

    def deliver(self, conn, first, last):
        """Events [first, last) that CONN's channel subscribes to."""
        for start, user_id, kind, status in self.events[first:last]:
            for topic_kind in (kind, "activity"):
                if conn.subscribed("v2.users.%s.%s" % (user_id, topic_kind)):
                    conn.push(self.user_message(user_id, kind, status, start, topic_kind))

    # --- the loop ----------------------------------------------------------

    async def dispatch(self):
        last_beat = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            new = bisect.bisect_right(self.starts, self.clock.now_ms())
            if new > self.cursor:
                for conn in list(self.sockets.values()):
                    self.deliver(conn, self.cursor, new)
                self.cursor = new
            now = time.time()
            for cid, conn in list(self.sockets.items()):
                if conn.channel["expires"] <= now:
                    self.sockets.pop(cid, None)
                    asyncio.ensure_future(conn.ws.close(code=1000, reason="channel expired"))
            if time.monotonic() - last_beat >= self.heartbeat_s:
                last_beat = time.monotonic()
                for conn in list(self.sockets.values()):
                    if conn.held is not None and not conn.ghost:
                        conn.queue.put_nowait(("text", conn.held))
                        conn.held = None
                    if not conn.ghost:
                        conn.queue.put_nowait(("text", self.metadata("WebSocket Heartbeat")))
                        self.observations(conn)

    def observations(self, conn):
        """v2.analytics.queues.ID.observations: how many agents are idle now."""
        now = self.clock.now_ms()
        for topic in list(conn.channel["topics"]):
            if topic.startswith("v2.analytics.queues.") and topic.endswith(".observations"):
                idle = sum(1 for u in self.state.org.users.values()
                           if (state_at(u.routing, now) or (0, 0, ""))[2] == "IDLE")
                body = {"results": [{"mediaType": "voice", "data": [{"metric": "oWaiting", "count": 0},
                                                                     {"metric": "oInteracting", "count": idle}]}]}
                conn.queue.put_nowait(("text", json.dumps({"topicName": topic, "eventBody": body},
                                                          separators=(",", ":"))))

    async def send_loop(self, conn):
        fragments = None
        while True:
            kind, message = await conn.queue.get()
            if kind == "close":
                await conn.ws.close(code=message[0], reason=message[1])
                return
            if kind == "raw":
                conn.ws.transport.write(message)
                continue
            fragments = self.modes.get("fragments")
            if fragments and len(message) > 65536:
                fragments = max(fragments, 16384)   # a big message: fewer, larger fragments
            if fragments:
                await conn.ws.send([message[i:i + fragments] for i in range(0, len(message), fragments)])
            else:
                await conn.ws.send(message)

    async def handler(self, ws):
        cid = ws.path.rsplit("/", 1)[-1]
        channel = self.state.channels.get(cid)
        if channel is None:
            await ws.close(code=4004, reason="no such channel")
            return
        conn = Conn(self, ws, channel)
        old = self.sockets.get(cid)
        self.sockets[cid] = conn
        self.connections += 1
        if old is not None:        # one socket per channel: the newer wins
            old.queue.put_nowait(("close", (4000, "another connection to this channel")))
        self.deliver(conn, ws.start_cursor, self.cursor)
        sender = asyncio.ensure_future(self.send_loop(conn))
        try:
            async for message in ws:
                if conn.ghost:
                    continue
                try:
                    parsed = json.loads(message)
                except ValueError:
                    continue
                if isinstance(parsed, dict) and parsed.get("message") == "ping":
                    conn.queue.put_nowait(("text", self.metadata("pong")))
        except websockets.ConnectionClosed:
            pass
        finally:
            sender.cancel()
            if self.sockets.get(cid) is conn:
                del self.sockets[cid]

    # --- actions (from the REST thread) -------------------------------------

    def act(self, spec):
        """Apply a fault action to the live sockets; returns how many."""
        done = threading.Event()
        result = {}

        def run():
            try:
                result["n"] = self._act(spec)
            except Exception as e:  # reported to the caller
                result["error"] = str(e)
            done.set()

        self.loop.call_soon_threadsafe(run)
        done.wait(10)
        if "error" in result:
            raise ValueError(result["error"])
        return result.get("n", 0)

    def queue_member(self, spec):
        """A user added to (joined true) or removed from (false) a queue:
        GET .../members says so from now on, and every socket subscribed to
        v2.routing.queues.ID.users hears of it."""
        queue, user, joined = spec.get("queue"), spec.get("user"), spec.get("joined", True)
        if not isinstance(queue, str) or user not in self.state.org.users or not isinstance(joined, bool):
            raise ValueError("queue_member needs \"queue\", \"user\" (a user of the org) and \"joined\" (bool)")
        with self.state.lock:
            self.state.queue_changes.setdefault(queue, {})[user] = joined
        topic = "v2.routing.queues.%s.users" % queue
        body = {"id": user, "user": {"id": user}, "queueId": queue, "joined": joined}
        message = json.dumps({"topicName": topic, "eventBody": body}, separators=(",", ":"))
        told = [c for c in self.sockets.values() if c.subscribed(topic)]
        for conn in told:
            conn.queue.put_nowait(("text", message))
        return len(told)

    def _act(self, spec):
        action = spec.get("action")
        targets = [c for cid, c in self.sockets.items() if spec.get("channel") in (None, cid)]
        if action == "queue_member":
            return self.queue_member(spec)
        if action == "mode":
            for key in ("duplicates", "out_of_order", "fragments"):
                if key in spec:
                    self.modes[key] = spec[key]
            return len(targets)
        for conn in targets:
            if action == "ghost":
                conn.ghost = True
            elif action == "socket_closing":
                conn.queue.put_nowait(("text", self.system("socket_closing", "socket closing")))
                after = float(spec.get("close_after", 1.0))
                self.loop.call_later(after, conn.queue.put_nowait, ("close", (1001, "socket closing")))
            elif action == "close":
                conn.queue.put_nowait(("close", (int(spec.get("code", 1001)), spec.get("reason", "going away"))))
            elif action == "reset":
                sock = conn.ws.transport.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.ws.transport.abort()
            elif action in ("token_revoked", "no_longer_subscribed", "subscription_changed"):
                if action == "token_revoked":
                    with self.state.lock:
                        info = self.state.tokens.get(conn.channel["token"])
                        if info:
                            info["revoked"] = True
                conn.queue.put_nowait(("text", self.system(action, action.replace("_", " "))))
            elif action == "big":
                self.big_message(conn, int(spec.get("bytes", 1 << 20)))
            elif action == "burst":
                self.burst(conn, int(spec.get("count", 100000)))
            else:
                raise ValueError("unknown action %s; known: ghost, socket_closing, close, reset, token_revoked, "
                                 "no_longer_subscribed, subscription_changed, big, burst, mode, queue_member" % json.dumps(action))
        return len(targets)

    def big_message(self, conn, size):
        """A presence event of SIZE bytes: the current presence of the
        channel's first user, with a long message text."""
        now = self.clock.now_ms()
        for topic in conn.channel["topics"]:
            parts = topic.split(".")
            if len(parts) == 4 and parts[1] == "users" and parts[3] == "presence":
                seg = state_at(self.state.org.users[parts[2]].presence, now)
                if seg:
                    m = json.loads(self.user_message(parts[2], "presence", seg[2], seg[0], "presence"))
                    m["eventBody"]["message"] = "x" * size
                    conn.queue.put_nowait(("text", json.dumps(m, separators=(",", ":"))))
                    return

    def burst(self, conn, count):
        """COUNT routing-status events for the channel's users, pre-built and
        written as one block of raw frames: the client is what is measured."""
        users = [t.split(".")[2] for t in conn.channel["topics"]
                 if t.startswith("v2.users.") and t.endswith(".routingStatus")]
        if not users:
            return
        statuses = fg_data.ROUTING_STATUSES
        base = self.clock.now_ms()
        out = bytearray()
        for i in range(count):
            u = users[i % len(users)]
            body = ('{"topicName":"v2.users.%s.routingStatus","version":"2","eventBody":{"id":"%s",'
                    '"routingStatus":{"status":"%s","startTime":"%s"}}}'
                    % (u, u, statuses[i % len(statuses)], fg_data.format_time_ms(base + i)))
            out += frame(body.encode())
        conn.queue.put_nowait(("raw", bytes(out)))

    def describe(self):
        return {"sockets": [{"channel": cid, "ghost": c.ghost} for cid, c in self.sockets.items()],
                "connections": self.connections, "now": self.clock.now_ms(),
                "now_iso": fg_data.format_time_ms(self.clock.now_ms()), "modes": self.modes}


def start(state, clock, heartbeat_s, channel_ttl_s):
    """Start the WebSocket server on its own thread; returns the Hub (with
    .port set) once it listens."""
    hub = Hub(state, clock, heartbeat_s, channel_ttl_s)
    ready = threading.Event()

    class Protocol(websockets.legacy.server.WebSocketServerProtocol):
        async def process_request(self, path, headers):
            # What is published from now on is this socket's.
            self.start_cursor = hub.cursor
            cid = path.rsplit("/", 1)[-1]
            if not path.startswith("/channels/") or cid not in state.channels:
                return (404, [("Content-Type", "text/plain")], b"no such channel\n")
            if state.channels[cid]["expires"] <= time.time():
                return (404, [("Content-Type", "text/plain")], b"channel expired\n")
            return None

    def run():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        hub.loop = loop
        server = loop.run_until_complete(websockets.serve(
            hub.handler, "127.0.0.1", 0, create_protocol=Protocol, ping_interval=None, compression=None,
            max_size=1 << 20))
        hub.port = server.sockets[0].getsockname()[1]
        loop.create_task(hub.dispatch())
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True, name="websocket").start()
    ready.wait(10)
    return hub
