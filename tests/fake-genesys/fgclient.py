"""A tiny client of the fake Genesys Cloud for its tests (standard library).

    from fgclient import Fake
    fake = Fake()                    # URL from $FAKE_URL
    fake.login()
    status, body = fake.post("/api/v2/analytics/users/details/query", {...})
"""

import base64
import http.client
import json
import os
import urllib.parse


class Reply:
    def __init__(self, status, headers, data):
        self.status = status
        self.headers = headers          # lower-case names
        self.data = data

    def json(self):
        return json.loads(self.data) if self.data else None


class Fake:
    def __init__(self, url=None, client_id="gpulse-test-client", secret="gpulse-test-secret"):
        url = url or os.environ["FAKE_URL"]
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.client_id, self.secret = client_id, secret
        self.token = None

    def raw(self, method, target, body=None, headers=None, timeout=30):
        """One request on a fresh connection: Reply (raises on a broken
        connection or an incomplete body)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, target, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            conn.close()

    def token_request(self, client_id=None, secret=None, form="grant_type=client_credentials"):
        cred = "%s:%s" % (client_id or self.client_id, secret if secret is not None else self.secret)
        headers = {"Authorization": "Basic " + base64.b64encode(cred.encode()).decode(),
                   "Content-Type": "application/x-www-form-urlencoded"}
        return self.raw("POST", "/oauth/token", form.encode(), headers)

    def login(self):
        r = self.token_request()
        assert r.status == 200, (r.status, r.data)
        self.token = r.json()["access_token"]
        return self.token

    def call(self, method, target, body=None, token=None):
        headers = {}
        tok = token if token is not None else self.token
        if tok:
            headers["Authorization"] = "Bearer " + tok
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return self.raw(method, target, data, headers)

    def get(self, target, **kw):
        r = self.call("GET", target, **kw)
        return r.status, r.json()

    def post(self, target, body, **kw):
        r = self.call("POST", target, body, **kw)
        return r.status, r.json()

    # control
    def log(self):
        return self.raw("GET", "/_fake/log").json()

    def reset(self):
        assert self.raw("POST", "/_fake/reset").status == 200

    def faults(self, specs):
        r = self.raw("POST", "/_fake/faults", json.dumps(specs).encode(), {"Content-Type": "application/json"})
        assert r.status == 200, (r.status, r.data)
        return r.json()


# The three users of tests/fake-genesys/sample.ndjson.
A = "aaaaaaaa-0000-4000-8000-000000000001"
B = "bbbbbbbb-0000-4000-8000-000000000002"
C = "cccccccc-0000-4000-8000-000000000003"

DETAILS = "/api/v2/analytics/users/details/query"
JOBS = "/api/v2/analytics/users/details/jobs"
AGGREGATES = "/api/v2/analytics/users/aggregates/query"


def user_filter(ids):
    return [{"type": "or", "predicates": [{"type": "dimension", "dimension": "userId", "operator": "matches",
                                           "value": i} for i in ids]}]


def expect(cond, what):
    if not cond:
        raise AssertionError(what)
