"""Fault switches of the fake Genesys Cloud.

A fault spec is a JSON object:
  {"fault": NAME, "path": SUBSTRING, "nth": [1, 3], "every": N, "after": N,
   "count": N, ...parameters}
It counts the requests it applies to (its own counter, from 1): those whose
request target (path and query string) contains "path" -- without "path",
every request under /api/ -- and that are of a kind the fault can affect.
It fires on the listed "nth" requests, or on every N-th ("every"), or else on
every request after the first "after" (default 0); "count" caps how many
times it fires in all (expire_token: 1 unless nth/every is given).
short_pages is a mode, not an event: it fires on every request it applies to
(so page numbers stay consistent) and ignores nth/every/after/count.
"""

import json

# name -> (kinds of request it applies to: None for all, "api" for those under
# /api/ even when "path" says otherwise; parameters with their defaults)
FAULTS = {
    "429": (None, {"retry_after": 1}),
    "5xx": (None, {"status": 503, "body": None}),
    "slow": (None, {"delay": 1.0}),
    "expire_token": ("api", {}),
    "short_pages": ({"details_query", "job_results", "users"}, {"size": None}),
    "midnight_duplicates": ({"details_query", "job_results"}, {}),
    "malformed_json": (None, {}),
    "reset": (None, {"fraction": 0.5}),
    "job_failed": ({"job_status"}, {"message": "The query failed: the fake Genesys Cloud was told to fail it"}),
    "job_expired": ({"job_status"}, {"message": "The results of this query have expired"}),
    # hostile answers, instead of the endpoint's
    "answer": (None, {"status": 200, "body": "", "content_type": "application/json", "location": None}),
    "oversized": (None, {"bytes": 1 << 20}),
    # a delivery: the endpoint's own answer, chunked, maybe cut short
    "chunked": (None, {"size": 7, "truncate": False}),
    "reject_topic": ({"subscriptions"}, {"topic": "", "permissions": ["analytics:userObservation:view"]}),
}

SELECTORS = {"fault", "path", "nth", "every", "after", "count"}


class FaultError(ValueError):
    pass


def _int(spec, key, minimum):
    v = spec.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise FaultError("fault %s: %s must be an integer >= %d" % (spec.get("fault"), key, minimum))
    return v


class Fault:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise FaultError("a fault spec must be a JSON object")
        name = spec.get("fault")
        if name not in FAULTS:
            raise FaultError("unknown fault %s; known: %s" % (json.dumps(name), ", ".join(FAULTS)))
        self.name = name
        self.kinds, defaults = FAULTS[name]
        unknown = set(spec) - SELECTORS - set(defaults)
        if unknown:
            raise FaultError("fault %s: unknown key(s) %s" % (name, ", ".join(sorted(unknown))))
        self.path = spec.get("path")
        if self.path is not None and not isinstance(self.path, str):
            raise FaultError("fault %s: path must be a string" % name)
        nth = spec.get("nth")
        if nth is not None and (not isinstance(nth, list) or
                                not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in nth)):
            raise FaultError("fault %s: nth must be a list of 1-based request numbers" % name)
        self.nth = set(nth) if nth is not None else None
        self.every = _int(spec, "every", 1)
        self.after = _int(spec, "after", 0) or 0
        self.count = _int(spec, "count", 0)
        if self.count is None and name == "expire_token" and self.nth is None and self.every is None:
            self.count = 1
        self.params = dict(defaults)
        for key in defaults:
            if key in spec:
                self.params[key] = spec[key]
        self._check_params()
        self.spec = spec
        self.seen = 0       # requests it applied to
        self.fired = 0      # times it fired

    def _check_params(self):
        p = self.params
        number = (int, float)
        if self.name == "429" and p["retry_after"] is not None and not isinstance(p["retry_after"], str) and (
                isinstance(p["retry_after"], bool) or not isinstance(p["retry_after"], number)
                or p["retry_after"] < 0):
            raise FaultError("fault 429: retry_after must be a number of seconds >= 0, a string "
                             "(an HTTP date, sent as is) or null")
        if self.name == "answer" and (not isinstance(p["status"], int) or isinstance(p["status"], bool)
                                      or not 100 <= p["status"] <= 599 or not isinstance(p["body"], str)
                                      or not isinstance(p["content_type"], str)
                                      or not (p["location"] is None or isinstance(p["location"], str))):
            raise FaultError("fault answer: status 100-599, body and content_type strings, location a string")
        if self.name == "oversized" and (isinstance(p["bytes"], bool) or not isinstance(p["bytes"], int)
                                         or p["bytes"] < 16):
            raise FaultError("fault oversized: bytes must be an integer >= 16")
        if self.name == "chunked" and (isinstance(p["size"], bool) or not isinstance(p["size"], int)
                                       or p["size"] < 1 or not isinstance(p["truncate"], bool)):
            raise FaultError("fault chunked: size an integer >= 1, truncate true or false")
        if self.name == "5xx" and p["status"] not in (500, 502, 503, 504):
            raise FaultError("fault 5xx: status must be 500, 502, 503 or 504")
        if self.name == "5xx" and p["body"] is not None and not isinstance(p["body"], str):
            raise FaultError("fault 5xx: body must be a string")
        if self.name == "slow" and (isinstance(p["delay"], bool) or not isinstance(p["delay"], number)
                                    or p["delay"] < 0):
            raise FaultError("fault slow: delay must be a number of seconds >= 0")
        if self.name == "short_pages" and p["size"] is not None and (
                isinstance(p["size"], bool) or not isinstance(p["size"], int) or p["size"] < 1):
            raise FaultError("fault short_pages: size must be an integer >= 1")
        if self.name == "reset" and (isinstance(p["fraction"], bool) or not isinstance(p["fraction"], number)
                                     or not 0 <= p["fraction"] < 1):
            raise FaultError("fault reset: fraction must be a number in [0, 1)")
        if self.name in ("job_failed", "job_expired") and not isinstance(p["message"], str):
            raise FaultError("fault %s: message must be a string" % self.name)

    def applies(self, target, kind):
        if self.kinds == "api" and not target.startswith("/api/"):
            return False
        if isinstance(self.kinds, set) and kind not in self.kinds:
            return False
        if self.path is None:
            return target.startswith("/api/")
        return self.path in target

    def fire(self, target, kind):
        """Count the request if the fault applies to it; say if it fires."""
        if not self.applies(target, kind):
            return False
        self.seen += 1
        if self.name == "short_pages":
            self.fired += 1
            return True
        if self.count is not None and self.fired >= self.count:
            return False
        n = self.seen
        if self.nth is not None:
            hit = n in self.nth
        elif self.every is not None:
            hit = n % self.every == 0
        else:
            hit = n > self.after
        if hit:
            self.fired += 1
        return hit

    def describe(self):
        d = dict(self.spec)
        d["seen"] = self.seen
        d["fired"] = self.fired
        return d


def parse_faults(value):
    """A fault spec or a list of them (JSON value) to Fault objects."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise FaultError("faults must be a JSON list of fault specs")
    return [Fault(spec) for spec in value]
