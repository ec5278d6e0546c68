#!/usr/bin/env python3
"""A fake Genesys Cloud for gfetch's tests and `make demo`.

    python3 tests/fake-genesys/server.py [--port 0] [--port-file FILE]
        [--agents N] [--days D] [--from YYYY-MM-DD] [--seed S] [--ggen PATH]
        [--data FILE --roster FILE] [--client-id ID] [--client-secret S]
        [--token-ttl SECONDS] [--job-polls N] [--fault SPEC]... [--verbose]

Serves the OAuth token endpoint, the analytics user details (sync query and
async jobs) and aggregates queries, users, tokens/me and the REST side of
notifications on 127.0.0.1, from the synthetic org of ggen or a saved file
of its output.  Prints one line, http://127.0.0.1:PORT, when it is ready.
Control for tests under /_fake/ (log, reset, faults).  See README.md.
Python 3 standard library only.
"""

import argparse
import base64
import binascii
import http.server
import json
import math
import os
import re
import secrets
import signal
import socket
import struct
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fg_data            # noqa: E402
import fg_faults          # noqa: E402
import fg_query           # noqa: E402
import fg_stream          # noqa: E402
from fg_query import ApiError, bad_request  # noqa: E402

MAX_USERS_PAGE_SIZE = 500
MAX_CHANNELS = 20
MAX_TOPICS = 1000
CHANNEL_TTL_S = 24 * 3600
JOB_TTL_S = 24 * 3600


def now_iso():
    return fg_data.format_time_ms(int(time.time() * 1000))


class Response:
    def __init__(self, status, body=b"", headers=None, content_type="application/json"):
        self.status = status
        self.body = body
        self.headers = list(headers or [])
        self.content_type = content_type if body else None


def json_response(status, obj, headers=None):
    return Response(status, json.dumps(obj, separators=(",", ":")).encode(), headers)


def error_body(status, message, code):
    context = str(uuid.uuid4())
    body = {"message": message, "code": code, "status": status, "contextId": context,
            "details": [], "errors": []}
    return json_response(status, body, [("ININ-Correlation-Id", context)])


def api_error(e):
    return error_body(e.status, e.message, e.code)


# --- state -----------------------------------------------------------------

class State:
    """Everything that changes while the fake runs, behind one lock."""

    def __init__(self, org, options, faults):
        self.org = org
        self.options = options
        self.lock = threading.Lock()
        self.log = []
        self.faults = faults
        self.tokens = {}        # token -> {"client", "expires", "revoked"}
        self.token_offset = 0.0  # seconds POST /_fake/tokens moved token time on
        self.token_frozen = None # real time at which POST /_fake/tokens froze token time, or None
        self.queue_changes = {}  # queue id -> {user id: True (added) | False (removed)}
        self.late_tokens = 0     # requests accepted within --token-grace after expiry
        self.jobs = {}          # job id -> dict
        self.channels = {}      # channel id -> dict
        self.port = 0
        self.clock = None       # fg_stream.Clock when --clock or --speed is given
        self.hub = None         # fg_stream.Hub: the WebSocket side (started on first use)
        self.hub_lock = threading.Lock()

    def ensure_hub(self):
        """Start the WebSocket side on first use (a channel, a stream
        action): fakes that never stream spend nothing on it."""
        with self.hub_lock:
            if self.hub is None and fg_stream.AVAILABLE:
                clock = self.clock or fg_stream.Clock(int(time.time() * 1000), 1.0)
                self.hub = fg_stream.start(self, clock, self.options.heartbeat, self.options.channel_ttl)
        return self.hub

    def token_now(self):
        """Token time: real time (or the moment it was frozen), moved on by
        POST /_fake/tokens."""
        return (self.token_frozen if self.token_frozen is not None else time.time()) + self.token_offset

    def now_ms(self):
        """The fake's clock, or None when the data is all in the past."""
        return self.clock.now_ms() if self.clock else None

    def fire_faults(self, target, kind):
        with self.lock:
            return [f for f in self.faults if f.fire(target, kind)]

    def add_log(self, entry):
        with self.lock:
            self.log.append(entry)


# --- request classification and routes -------------------------------------

JOB_ID = r"(?P<job>[A-Za-z0-9-]+)"
CHANNEL_ID = r"(?P<channel>[A-Za-z0-9-]+)"

# (pattern, kind, {method: handler name})
ROUTES = [
    (r"/oauth/token", "token", {"POST": "token"}),
    (r"/api/v2/users", "users", {"GET": "users"}),
    (r"/api/v2/users/me", "api", {"GET": "users_me"}),
    (r"/api/v2/tokens/me", "api", {"GET": "tokens_me"}),
    (r"/api/v2/analytics/users/details/query", "details_query", {"POST": "details_query"}),
    (r"/api/v2/analytics/users/details/jobs", "job_create", {"POST": "job_create"}),
    (r"/api/v2/analytics/users/details/jobs/availability", "api", {"GET": "job_availability"}),
    (r"/api/v2/analytics/users/details/jobs/" + JOB_ID, "job_status",
     {"GET": "job_status", "DELETE": "job_delete"}),
    (r"/api/v2/analytics/users/details/jobs/" + JOB_ID + "/results", "job_results", {"GET": "job_results"}),
    (r"/api/v2/analytics/users/aggregates/query", "aggregates_query", {"POST": "aggregates_query"}),
    (r"/api/v2/routing/queues", "api", {"GET": "queues"}),
    (r"/api/v2/routing/queues/(?P<queue>[A-Za-z0-9-]+)/members", "users", {"GET": "queue_members"}),
    (r"/api/v2/notifications/channels", "api", {"GET": "channels_list", "POST": "channel_create"}),
    (r"/api/v2/notifications/channels/" + CHANNEL_ID, "api", {"HEAD": "channel_head"}),
    (r"/api/v2/notifications/channels/" + CHANNEL_ID + "/subscriptions", "subscriptions",
     {"GET": "subscriptions_get", "POST": "subscriptions_add", "PUT": "subscriptions_replace",
      "DELETE": "subscriptions_delete"}),
]
ROUTES = [(re.compile("^" + p + "$"), kind, methods) for p, kind, methods in ROUTES]


def route(path):
    for pattern, kind, methods in ROUTES:
        m = pattern.match(path)
        if m:
            return m, kind, methods
    return None, "api" if path.startswith("/api/") else "other", {}


# --- the handler -----------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-genesys/1"

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def do_PUT(self):
        self.handle_request("PUT")

    def do_DELETE(self):
        self.handle_request("DELETE")

    def do_HEAD(self):
        self.handle_request("HEAD")

    def do_PATCH(self):
        self.handle_request("PATCH")

    def log_message(self, fmt, *args):
        pass      # the access log (--verbose) is written by handle_request

    @property
    def state(self):
        return self.server.state

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def handle_request(self, method):
        started = time.time()
        split = urlsplit(self.path)
        path, target = split.path, self.path
        raw = self.read_body()
        if path.startswith("/_fake/"):
            self.send(self.control(method, path, raw), None)
            return
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        match, kind, methods = route(path)
        fired = self.state.fire_faults(target, kind)
        names = [f.name for f in fired]
        for f in fired:
            if f.name == "slow":
                time.sleep(f.params["delay"])
        response = self.fault_response(fired)
        if response is None:
            try:
                response = self.dispatch(method, path, split.query, raw, parsed, match, methods, fired)
            except ApiError as e:
                response = api_error(e)
            except Exception as e:  # a bug in the fake: say so, keep serving
                import traceback
                traceback.print_exc(file=sys.stderr)
                response = error_body(500, "internal error in the fake: %s" % e, "internal.server.error")
        delivery = next((f for f in fired if f.name in ("malformed_json", "reset", "chunked")), None)
        self.state.add_log({"t": started, "method": method, "path": path, "query": split.query,
                            "status": response.status, "body": parsed, "faults": names})
        if self.state.options.verbose:
            sys.stderr.write("fake-genesys: %s %s -> %d%s\n" % (method, target, response.status,
                                                               " [%s]" % ",".join(names) if names else ""))
        self.send(response, delivery, head=(method == "HEAD"))

    def fault_response(self, fired):
        for f in fired:
            if f.name == "answer":
                p = f.params
                headers = [("Location", p["location"])] if p["location"] is not None else []
                return Response(p["status"], p["body"].encode(), headers, content_type=p["content_type"])
            if f.name == "oversized":
                # a well-formed page, padded to the size asked for
                head, tail = b'{"userDetails":[],"pad":"', b'"}'
                pad = max(0, f.params["bytes"] - len(head) - len(tail))
                return Response(200, head + b"x" * pad + tail)
            if f.name == "429":
                ra = f.params["retry_after"]
                wait = ra if isinstance(ra, str) else "%g" % ra if ra is not None else "a few"
                response = error_body(429, "Rate limit exceeded the maximum. Retry the request in [%s] seconds"
                                      % wait, "too.many.requests")
                if ra is not None:
                    response.headers.append(("Retry-After", wait))
                return response
            if f.name == "5xx":
                status = f.params["status"]
                if f.params["body"] is not None:
                    return Response(status, f.params["body"].encode(), content_type="text/plain")
                codes = {500: "internal.server.error", 502: "bad.gateway", 503: "service.unavailable",
                         504: "gateway.timeout"}
                return error_body(status, "The fake Genesys Cloud answers %d (fault switch)" % status,
                                  codes[status])
            if f.name == "expire_token":
                token = self.bearer()
                if token:
                    with self.state.lock:
                        if token in self.state.tokens:
                            self.state.tokens[token]["revoked"] = True
                return error_body(401, "Invalid login credentials.", "bad.credentials")
        return None

    def bearer(self):
        auth = self.headers.get("Authorization") or ""
        if auth[:7].lower() == "bearer ":
            return auth[7:].strip()
        return None

    def authenticate(self):
        token = self.bearer()
        if not token:
            raise ApiError(401, "No authentication bearer token specified in authorization header.",
                           "authentication.required")
        with self.state.lock:
            info = self.state.tokens.get(token)
            now = self.state.token_now()
            if info is None or info["revoked"] or now >= info["expires"] + self.state.options.token_grace:
                raise ApiError(401, "Invalid login credentials.", "bad.credentials")
            if now >= info["expires"]:
                self.state.late_tokens += 1  # accepted only thanks to --token-grace
            return token, info

    def dispatch(self, method, path, query, raw, parsed, match, methods, fired):
        if match is None:
            raise ApiError(404, "The requested resource %s was not found." % path, "not.found")
        if method not in methods:
            raise ApiError(405, "%s is not supported on %s" % (method, path), "method.not.allowed")
        name = methods[method]
        if name == "token":
            return self.token(raw)
        token, info = self.authenticate()
        context = {"token": token, "client": info["client"], "query": parse_qs(query, keep_blank_values=True),
                   "raw": raw, "fired": fired}
        if method in ("POST", "PUT") and raw:
            if parsed is None:
                raise bad_request("Unable to parse the request body: it is not valid JSON")
        context["body"] = parsed
        return getattr(self, "api_" + name)(context, **match.groupdict())

    # --- control -----------------------------------------------------------

    def control(self, method, path, raw):
        st = self.state
        if path == "/_fake/log" and method == "GET":
            with st.lock:
                return json_response(200, list(st.log))
        if path == "/_fake/reset" and method == "POST":
            with st.lock:
                st.log.clear()
                st.faults = []
            return json_response(200, {})
        if path == "/_fake/tokens" and method == "POST":
            # Token time stands still ("freeze": true) and moves on by
            # "advance" seconds at once: expiry is tested without sleeping
            # (a loaded machine cannot make it flaky).
            try:
                spec = json.loads(raw or b"{}") or {}
                advance, freeze = float(spec.get("advance", 0)), spec.get("freeze", False)
            except (ValueError, TypeError, AttributeError):
                advance, freeze = -1, False
            if advance < 0 or not isinstance(freeze, bool):
                return json_response(400, {"message": "advance: seconds, not negative; freeze: a boolean",
                                           "code": "bad.request", "status": 400})
            with st.lock:
                if freeze and st.token_frozen is None:
                    st.token_frozen = time.time()
                elif not freeze and "freeze" in spec and st.token_frozen is not None:
                    st.token_offset += st.token_frozen - time.time()  # thaw where it stood
                    st.token_frozen = None
                st.token_offset += advance
            method = "GET"
        if path == "/_fake/tokens" and method == "GET":
            with st.lock:
                return json_response(200, {"offset": st.token_offset, "frozen": st.token_frozen is not None,
                                           "late": st.late_tokens})
        if path == "/_fake/clock" and method == "POST" and st.clock:
            action = (json.loads(raw or b"{}") or {}).get("action")
            if action == "pause":
                st.clock.pause()
            elif action == "resume":
                st.clock.resume()
            else:
                return json_response(400, {"message": "action: pause or resume", "code": "bad.request",
                                           "status": 400})
            method = "GET"
        if path == "/_fake/clock" and method == "GET":
            now = st.now_ms() if st.clock else int(time.time() * 1000)
            return json_response(200, {"now": now, "iso": fg_data.format_time_ms(now)})
        if path == "/_fake/stream" and st.ensure_hub() is None:
            return json_response(404, {"message": "no WebSocket side (python3-websockets is missing)",
                                       "code": "not.found", "status": 404})
        if path == "/_fake/stream" and method == "GET":
            return json_response(200, st.hub.describe())
        if path == "/_fake/stream" and method == "POST":
            try:
                n = st.hub.act(json.loads(raw or b"{}"))
            except ValueError as e:
                return json_response(400, {"message": str(e), "code": "bad.request", "status": 400})
            return json_response(200, {"sockets": n})
        if path == "/_fake/faults" and method == "GET":
            with st.lock:
                return json_response(200, [f.describe() for f in st.faults])
        if path == "/_fake/faults" and method == "POST":
            try:
                faults = fg_faults.parse_faults(json.loads(raw or b"[]"))
            except (ValueError, fg_faults.FaultError) as e:
                return json_response(400, {"message": str(e), "code": "bad.request", "status": 400})
            with st.lock:
                st.faults = faults
            return json_response(200, [f.describe() for f in faults])
        return json_response(404, {"message": "unknown control %s %s" % (method, path), "code": "not.found",
                                   "status": 404})

    # --- writing -----------------------------------------------------------

    def send(self, response, delivery, head=False):
        body = response.body
        if delivery is not None and delivery.name == "malformed_json" and body:
            body = body[:max(1, len(body) // 2)]
        try:
            self.send_response(response.status)
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            for k, v in response.headers:
                self.send_header(k, v)
            chunked = delivery is not None and delivery.name == "chunked"
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if head:
                return
            if chunked:
                self.send_chunked(body, delivery.params["size"], delivery.params["truncate"])
                return
            if delivery is not None and delivery.name == "reset":
                part = int(len(body) * delivery.params["fraction"])
                self.wfile.write(body[:part])
                self.wfile.flush()
                self.abort_connection()
                return
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send_chunked(self, body, size, truncate):
        """The body in chunks of SIZE bytes; TRUNCATE stops halfway, without
        the last chunk, and closes the connection."""
        end = len(body) // 2 if truncate else len(body)
        for i in range(0, end, size):
            piece = body[i:min(i + size, end)]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        if truncate:
            self.wfile.flush()
            self.abort_connection()
            return
        self.wfile.write(b"0\r\n\r\n")

    def abort_connection(self):
        """Close with a TCP reset, midway through the body."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    # --- OAuth -------------------------------------------------------------

    def token(self, raw):
        opts = self.state.options
        form = parse_qs(raw.decode("utf-8", "replace"))
        auth = self.headers.get("Authorization") or ""
        client_id = secret = None
        if auth[:6].lower() == "basic ":
            try:
                client_id, _, secret = base64.b64decode(auth[6:].strip(), validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                client_id = None
        if form.get("grant_type") != ["client_credentials"]:
            return json_response(400, {"error": "unsupported_grant_type",
                                       "description": "grant_type must be client_credentials",
                                       "error_description": "grant_type must be client_credentials"})
        if client_id is None:
            return json_response(401, {"error": "invalid_client",
                                       "description": "client credentials are required (HTTP Basic)",
                                       "error_description": "client credentials are required (HTTP Basic)"})
        if client_id != opts.client_id:
            return json_response(400, {"error": "invalid_client", "description": "client not found",
                                       "error_description": "client not found"})
        if secret != opts.client_secret:
            return json_response(401, {"error": "invalid_client", "description": "authentication failed",
                                       "error_description": "authentication failed"})
        token = secrets.token_urlsafe(32)
        with self.state.lock:
            self.state.tokens[token] = {"client": client_id, "expires": self.state.token_now() + opts.token_ttl,
                                        "revoked": False}
        return json_response(200, {"access_token": token, "token_type": "bearer", "expires_in": opts.token_ttl})

    # --- users and tokens --------------------------------------------------

    @staticmethod
    def _query_int(query, name, default, lo, hi):
        values = query.get(name)
        if not values:
            return default
        try:
            v = int(values[-1])
        except ValueError:
            raise bad_request("%s: %s is not an integer" % (name, json.dumps(values[-1])))
        if not lo <= v <= hi:
            raise bad_request("%s: %d is out of range; it must be %d to %d" % (name, v, lo, hi))
        return v

    @staticmethod
    def _short_size(ctx, requested):
        for f in ctx["fired"]:
            if f.name == "short_pages":
                return f.params["size"] or max(1, requested // 2)
        return requested

    def api_users(self, ctx):
        q = ctx["query"]
        page_size = self._query_int(q, "pageSize", 25, 1, MAX_USERS_PAGE_SIZE)
        page_number = self._query_int(q, "pageNumber", 1, 1, 10 ** 9)
        users = list(self.state.org.users.values())
        size = self._short_size(ctx, page_size)
        total = len(users)
        page_count = math.ceil(total / size) if total else 0
        chunk = users[(page_number - 1) * size: page_number * size]
        expand = set(",".join(q.get("expand") or []).split(","))
        base = "/api/v2/users?pageSize=%d&pageNumber=%%d" % page_size
        body = {"entities": [self._user_entity(u, expand) for u in chunk], "pageSize": page_size,
                "pageNumber": page_number, "total": total, "pageCount": page_count,
                "firstUri": base % 1, "selfUri": base % page_number, "lastUri": base % max(1, page_count)}
        if page_number < page_count:
            body["nextUri"] = base % (page_number + 1)
        if page_number > 1:
            body["previousUri"] = base % (page_number - 1)
        return json_response(200, body)

    def _user_entity(self, u, expand=()):
        org = self.state.org
        now = self.state.now_ms()
        if now is None:
            now = int(time.time() * 1000)
        local = re.sub(r"[^a-z0-9]+", ".", u.name.lower()).strip(".") or u.id[:8]
        e = {"id": u.id, "name": u.name, "division": {"id": org.id, "name": "Home"},
             "email": local + "@example.com", "state": "active", "username": local + "@example.com",
             "department": "Contact Center", "version": 1, "selfUri": "/api/v2/users/" + u.id}
        if u.roles:
            e["title"] = "+".join(sorted(u.roles))
        if u.hire_date:
            e["dateHire"] = u.hire_date
        rs = fg_stream.state_at(u.routing, now) if "routingStatus" in expand else None
        if rs:
            e["routingStatus"] = {"userId": u.id, "status": rs[2], "startTime": fg_data.format_time_ms(rs[0])}
        pr = fg_stream.state_at(u.presence, now) if "presence" in expand else None
        if pr:
            e["presence"] = {"presenceDefinition": {"id": fg_data.organization_presence_id(pr[2]),
                                                    "systemPresence": fg_stream.event_presence(pr[2])},
                             "modifiedDate": fg_data.format_time_ms(pr[0])}
        return e

    # --- queues ------------------------------------------------------------

    def _queues(self):
        """One queue per roster role: id uuid5 of the role, members its agents."""
        queues = {}
        for u in self.state.org.users.values():
            for role in u.roles:
                qid = str(uuid.uuid5(uuid.NAMESPACE_URL, "gpulse-fake/queue/" + role))
                queues.setdefault(qid, {"id": qid, "name": role, "members": []})["members"].append(u)
        with self.state.lock:
            changes = {q: dict(c) for q, c in self.state.queue_changes.items()}
        for qid, change in changes.items():  # members added or removed by the queue_member action
            if qid not in queues:
                continue
            kept = [u for u in queues[qid]["members"] if change.get(u.id, True)]
            have = {u.id for u in kept}
            kept += [self.state.org.users[uid] for uid, added in change.items() if added and uid not in have]
            queues[qid]["members"] = kept
        return queues

    def api_queues(self, ctx):
        return json_response(200, {"entities": [{"id": q["id"], "name": q["name"]} for q in self._queues().values()],
                                   "pageSize": 100, "pageNumber": 1, "pageCount": 1})

    def api_queue_members(self, ctx, queue):
        q = self._queues().get(queue)
        if q is None:
            raise ApiError(404, "Queue %s was not found" % queue, "not.found")
        page_size = self._query_int(ctx["query"], "pageSize", 25, 1, 100)
        page_number = self._query_int(ctx["query"], "pageNumber", 1, 1, 10 ** 9)
        size = self._short_size(ctx, page_size)
        members = sorted(q["members"], key=lambda u: u.id)
        chunk = members[(page_number - 1) * size: page_number * size]
        return json_response(200, {
            "entities": [{"id": u.id, "name": u.name, "user": {"id": u.id, "name": u.name}, "joined": True,
                          "memberBy": "user"} for u in chunk],
            "pageSize": page_size, "pageNumber": page_number, "total": len(members),
            "pageCount": math.ceil(len(members) / size) if members else 0})

    def api_users_me(self, ctx):
        raise bad_request("This request requires a user context. Client credentials cannot be used for "
                          "requests to this resource.")

    def api_tokens_me(self, ctx):
        org = self.state.org
        home = {"id": org.id, "name": org.name, "selfUri": "/api/v2/organizations/" + org.id}
        return json_response(200, {
            "organization": home, "homeOrganization": home,
            "OAuthClient": {"id": ctx["client"], "name": "gpulse fake client", "organization": home},
            "authorizedGrantType": "CLIENT-CREDENTIALS"})

    # --- details -----------------------------------------------------------

    @staticmethod
    def _duplicates(ctx):
        return any(f.name == "midnight_duplicates" for f in ctx["fired"])

    def _require_body(self, ctx):
        if ctx["body"] is None:
            raise bad_request("The request body is required")
        return ctx["body"]

    def api_details_query(self, ctx):
        body = self._require_body(ctx)
        lo, hi = fg_query.validate_details(body, "UserDetailsQuery")
        paging = body.get("paging") or {"pageSize": fg_query.DEFAULT_PAGE_SIZE, "pageNumber": 1}
        size = self._short_size(ctx, paging["pageSize"])
        now = self.state.now_ms()
        hits = fg_query.details_hits(self.state.org, body, lo, hi, now)
        page = hits[(paging["pageNumber"] - 1) * size: paging["pageNumber"] * size]
        response = {}
        if page:      # an empty page has no userDetails at all, as the API's
            dup = self._duplicates(ctx)
            response["userDetails"] = [fg_query.user_detail(h, lo, hi, body.get("order"), dup, now)
                                       for h in page]
        response["totalHits"] = fg_query.approximate_total(len(hits))
        return json_response(200, response)

    def api_job_create(self, ctx):
        body = self._require_body(ctx)
        lo, hi = fg_query.validate_details(body, "AsyncUserDetailsQuery")
        if body.get("limit") is not None and body["limit"] < 1:
            raise bad_request("limit: must be at least 1")
        job_id = str(uuid.uuid4())
        with self.state.lock:
            self.state.jobs[job_id] = {"id": job_id, "body": body, "lo": lo, "hi": hi, "polls": 0,
                                       "state": "QUEUED", "error": None, "submitted": now_iso(),
                                       "completed": None, "hits": None}
        return json_response(202, {"jobId": job_id})

    def _job(self, job):
        with self.state.lock:
            j = self.state.jobs.get(job)
        if j is None:
            raise ApiError(404, "Job %s was not found" % job, "not.found")
        return j

    def api_job_status(self, ctx, job):
        j = self._job(job)
        polls_needed = self.state.options.job_polls
        with self.state.lock:
            for f in ctx["fired"]:
                if f.name in ("job_failed", "job_expired") and j["state"] not in ("FAILED", "EXPIRED"):
                    j["state"] = "FAILED" if f.name == "job_failed" else "EXPIRED"
                    j["error"] = f.params["message"]
            if j["state"] in ("QUEUED", "PENDING"):
                j["polls"] += 1
                if j["polls"] > polls_needed:
                    j["state"] = "FULFILLED"
                    j["completed"] = now_iso()
                elif j["polls"] > 1:
                    j["state"] = "PENDING"
            status = {"state": j["state"], "submissionDate": j["submitted"],
                      "expirationDate": fg_data.format_time_ms(int((time.time() + JOB_TTL_S) * 1000))}
            if j["completed"] and j["state"] == "FULFILLED":
                status["completionDate"] = j["completed"]
            if j["error"]:
                status["errorMessage"] = j["error"]
        return json_response(200, status)

    def api_job_delete(self, ctx, job):
        self._job(job)
        with self.state.lock:
            self.state.jobs.pop(job, None)
        return Response(204)

    def api_job_availability(self, ctx):
        return json_response(200, {"dataAvailabilityDate": now_iso()})

    def api_job_results(self, ctx, job):
        j = self._job(job)
        if j["state"] == "FAILED":
            raise bad_request("Job %s failed: %s" % (job, j["error"]))
        if j["state"] == "EXPIRED":
            raise ApiError(404, "The results of job %s have expired" % job, "not.found")
        if j["state"] != "FULFILLED":
            raise bad_request("The results of job %s are not available: its state is %s" % (job, j["state"]))
        q = ctx["query"]
        page_size = self._query_int(q, "pageSize", fg_query.MAX_PAGE_SIZE, 1, fg_query.MAX_PAGE_SIZE)
        size = self._short_size(ctx, page_size)
        if j["hits"] is None:
            hits = fg_query.details_hits(self.state.org, j["body"], j["lo"], j["hi"])
            if j["body"].get("limit"):
                hits = hits[:j["body"]["limit"]]
            j["hits"] = hits
        offset = 0
        cursor = (q.get("cursor") or [""])[-1]
        if cursor:
            offset = self._decode_cursor(job, cursor, len(j["hits"]))
        page = j["hits"][offset: offset + size]
        dup = self._duplicates(ctx)
        response = {"userDetails": [fg_query.user_detail(h, j["lo"], j["hi"], j["body"].get("order"), dup)
                                    for h in page],
                    "dataAvailabilityDate": now_iso()}
        if offset + size < len(j["hits"]):
            response["cursor"] = self._encode_cursor(job, offset + size)
        return json_response(200, response)

    @staticmethod
    def _encode_cursor(job, offset):
        return base64.urlsafe_b64encode(("%s:%d" % (job, offset)).encode()).decode().rstrip("=")

    @staticmethod
    def _decode_cursor(job, cursor, limit):
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            owner, _, offset = text.rpartition(":")
            offset = int(offset)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise bad_request("cursor: %s is not a valid cursor" % json.dumps(cursor))
        if owner != job or not 0 <= offset <= limit:
            raise bad_request("cursor: %s is not a cursor of job %s" % (json.dumps(cursor), job))
        return offset

    # --- aggregates --------------------------------------------------------

    def api_aggregates_query(self, ctx):
        body = self._require_body(ctx)
        lo, hi, bounds = fg_query.validate_aggregates(body)
        return json_response(200, fg_query.aggregates(self.state.org, body, lo, hi, bounds))

    # --- notifications (REST side) -----------------------------------------

    def _channel(self, channel):
        with self.state.lock:
            c = self.state.channels.get(channel)
            if c is not None and c["expires"] <= time.time():
                del self.state.channels[channel]
                c = None
        if c is None:
            raise ApiError(404, "Channel %s was not found" % channel, "not.found")
        c["last_used"] = time.time()
        return c

    @staticmethod
    def _channel_entity(c):
        return {"connectUri": c["connectUri"], "id": c["id"],
                "expires": fg_data.format_time_ms(int(c["expires"] * 1000))}

    def api_channel_create(self, ctx):
        st = self.state
        channel_id = "streaming-0-" + secrets.token_hex(12)
        now = time.time()
        hub = st.ensure_hub()
        port = hub.port if hub else st.port
        c = {"id": channel_id, "connectUri": "ws://127.0.0.1:%d/channels/%s" % (port, channel_id),
             "expires": now + st.options.channel_ttl, "token": ctx["token"], "client": ctx["client"],
             "topics": {}, "last_used": now}
        with st.lock:
            mine = [x for x in st.channels.values() if x["client"] == ctx["client"]]
            if len(mine) >= MAX_CHANNELS:       # the 21st replaces the least recently used
                oldest = min(mine, key=lambda x: x["last_used"])
                del st.channels[oldest["id"]]
            st.channels[channel_id] = c
        return json_response(200, self._channel_entity(c))

    def api_channels_list(self, ctx):
        which = (ctx["query"].get("includechannels") or ["token"])[-1]
        if which not in ("token", "oauth"):
            raise bad_request("includechannels: invalid value %s; expected token or oauth" % json.dumps(which))
        now = time.time()
        with self.state.lock:
            chans = [c for c in self.state.channels.values() if c["expires"] > now and
                     (c["token"] == ctx["token"] if which == "token" else c["client"] == ctx["client"])]
        return json_response(200, {"entities": [self._channel_entity(c) for c in chans]})

    def api_channel_head(self, ctx, channel):
        self._channel(channel)
        return Response(200)

    def _topic_entity(self, topic):
        return {"id": topic, "state": "Permitted",
                "selfUri": "/api/v2/notifications/availabletopics/" + topic}

    def _check_topics(self, ctx):
        body = ctx["body"]
        if not isinstance(body, list):
            raise bad_request("The request body must be a JSON array of topics ({\"id\": TOPIC})")
        topics, rejected = [], []
        for i, t in enumerate(body):
            fg_query.schema().check_object(t, "ChannelTopic", "[%d]" % i)
            if not isinstance(t.get("id"), str) or not t["id"]:
                raise bad_request("[%d].id is required (the topic name)" % i)
            reason = self._topic_problem(t["id"])
            denied = next((f for f in ctx["fired"] if f.name == "reject_topic" and f.params["topic"] in t["id"]),
                          None)
            if reason:
                rejected.append({"id": t["id"], "state": "Rejected", "rejectionReason": reason})
            elif denied:
                rejected.append({"id": t["id"], "state": "Rejected",
                                 "rejectionReason": "The client is not permitted to subscribe to this topic",
                                 "missingPermissions": list(denied.params["permissions"])})
            else:
                topics.append(t["id"])
        ignore = (ctx["query"].get("ignoreErrors") or ["false"])[-1].lower() == "true"
        if rejected and not ignore:
            raise bad_request("Invalid topic(s): %s" % "; ".join("%s: %s" % (r["id"], r["rejectionReason"])
                                                                 for r in rejected))
        return topics, rejected

    def _topic_problem(self, topic):
        parts = topic.split(".")
        if len(parts) < 3 or parts[0] != "v2":
            return "not a topic: topics look like v2.users.{id}.activity"
        if parts[1] == "users" and parts[2] not in self.state.org.users:
            return "user %s was not found" % parts[2]
        return None

    def _subscriptions(self, c, rejected=()):
        return json_response(200, {"entities": [self._topic_entity(t) for t in c["topics"]] + list(rejected)})

    def api_subscriptions_get(self, ctx, channel):
        return self._subscriptions(self._channel(channel))

    def _set_topics(self, ctx, channel, replace):
        c = self._channel(channel)
        topics, rejected = self._check_topics(ctx)
        with self.state.lock:
            merged = {} if replace else dict(c["topics"])
            for t in topics:
                merged[t] = True
            if len(merged) > MAX_TOPICS:
                raise bad_request("A channel can have at most %d topics" % MAX_TOPICS)
            c["topics"] = merged
        return self._subscriptions(c, rejected)

    def api_subscriptions_add(self, ctx, channel):
        return self._set_topics(ctx, channel, replace=False)

    def api_subscriptions_replace(self, ctx, channel):
        return self._set_topics(ctx, channel, replace=True)

    def api_subscriptions_delete(self, ctx, channel):
        c = self._channel(channel)
        with self.state.lock:
            c["topics"] = {}
        return Response(204)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


# --- start-up ----------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(prog="fake-genesys", description="A fake Genesys Cloud on 127.0.0.1.")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    p.add_argument("--port-file", help="write the port number to this file when ready")
    p.add_argument("--agents", type=int, default=40)
    p.add_argument("--days", type=int, default=14)
    p.add_argument("--from", dest="start", default="2026-11-02", help="first day of the data (YYYY-MM-DD)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--ggen", help="the generator (default $BIN/ggen, the repository's bin/ggen, or PATH)")
    p.add_argument("--data", help="segments (ggen output, NDJSON or CSV) instead of running ggen")
    p.add_argument("--roster", help="roster CSV for --data")
    p.add_argument("--org-name", default="gpulse Fake Org")
    p.add_argument("--client-id", default="gpulse-test-client")
    p.add_argument("--client-secret", default="gpulse-test-secret")
    p.add_argument("--token-ttl", type=int, default=86400, help="token lifetime, seconds (default 86400)")
    p.add_argument("--token-grace", type=float, default=0.0,
                   help="a token is still accepted this long after expires_in (counted as late; default 0)")
    p.add_argument("--job-polls", type=int, default=2,
                   help="status polls before a job is FULFILLED (QUEUED, then PENDING; default 2)")
    p.add_argument("--fault", action="append", default=[], help="a fault spec (JSON object or list)")
    p.add_argument("--clock", help="the fake's time when it starts (RFC 3339; default now): state changes "
                                   "happen as this clock passes them")
    p.add_argument("--speed", type=float, help="the clock runs this many times faster than real time (default 1)")
    p.add_argument("--heartbeat", type=float, default=30.0, help="WebSocket heartbeat period, seconds (30)")
    p.add_argument("--channel-ttl", type=float, default=CHANNEL_TTL_S,
                   help="notification channel lifetime, seconds (86400)")
    p.add_argument("--verbose", action="store_true", help="access log on stderr")
    args = p.parse_args(argv)
    if args.roster and not args.data:
        p.error("--roster goes with --data")
    if args.speed is not None and args.speed <= 0 or args.heartbeat <= 0 or args.channel_ttl <= 0:
        p.error("--speed, --heartbeat and --channel-ttl must be positive")
    if args.clock:
        try:
            fg_data.parse_time_ms(args.clock)
        except ValueError as e:
            p.error("--clock: %s" % e)
    if args.token_grace < 0:
        p.error("--token-grace must not be negative")
    if args.token_ttl < 1 or args.job_polls < 0 or args.agents < 1 or args.days < 1:
        p.error("--token-ttl, --agents and --days must be positive, --job-polls not negative")
    faults = []
    for spec in args.fault:
        try:
            faults += fg_faults.parse_faults(json.loads(spec))
        except (ValueError, fg_faults.FaultError) as e:
            p.error("--fault %s: %s" % (spec, e))
    return args, faults


def load_org(args):
    if args.data:
        return fg_data.load_files(args.data, args.roster, args.org_name)
    return fg_data.load_ggen(fg_data.find_ggen(args.ggen), args.agents, args.days, args.start, args.seed,
                             args.org_name)


def write_port_file(path, port):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv=None):
    args, faults = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        org = load_org(args)
    except (fg_data.DataError, OSError) as e:
        sys.stderr.write("fake-genesys: %s\n" % e)
        return 1
    try:
        server = Server(("127.0.0.1", args.port), Handler)
    except OSError as e:
        sys.stderr.write("fake-genesys: cannot listen on 127.0.0.1:%d: %s\n" % (args.port, e.strerror or e))
        return 1
    server.state = State(org, args, faults)
    server.state.port = server.server_address[1]
    if args.clock or args.speed:
        start = fg_data.parse_time_ms(args.clock) if args.clock else int(time.time() * 1000)
        server.state.clock = fg_stream.Clock(start, args.speed or 1.0)


    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    url = "http://127.0.0.1:%d" % server.state.port
    if args.port_file:
        write_port_file(args.port_file, server.state.port)
    sys.stdout.write(url + "\n")
    sys.stdout.flush()
    if args.verbose:
        sys.stderr.write("fake-genesys: %d users, %d segments (%d duplicates dropped) on %s\n"
                         % (len(org.users), org.segment_count(), org.duplicates_dropped, url))
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
