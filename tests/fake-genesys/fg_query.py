"""Analytics queries of the fake Genesys Cloud: request validation against
the request schemas in schema.json, the user details query and the user aggregates query.

Validation answers like the API: an ApiError(400, message) that the server
turns into an ErrorBody {"message", "code": "bad.request", "status": 400}.
"""

import bisect
import datetime
import functools
import json
import os
import re
import zoneinfo

import fg_data
from fg_data import format_time_ms

DAY_MS = 86400 * 1000
MAX_USER_PREDICATES = 100
MAX_DAYS_WITHOUT_USERS = 7
MAX_DAYS_WITH_USERS = 31
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
MAX_AGGREGATE_INTERVALS = 20000

# Request filters spell statuses in camelCase (responses: SCREAMING_SNAKE_CASE).
FILTER_VALUES = {
    "routingStatus": {fg_data.camel_case(s) for s in fg_data.ROUTING_STATUSES},
    "systemPresence": {fg_data.camel_case(s) for s in fg_data.SYSTEM_PRESENCES},
}


class ApiError(Exception):
    def __init__(self, status, message, code=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or {400: "bad.request", 401: "bad.credentials", 404: "not.found",
                             405: "method.not.allowed"}.get(status, "error")


def bad_request(message):
    return ApiError(400, message)


# --- schema validation ----------------------------------------------------

class Schema:
    """Checks a JSON value against a definition of schema.json: property
    types, enums (x-item-enum for list items), required properties, and no
    property the definition does not have."""

    def __init__(self, path=None):
        path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema.json")
        with open(path, encoding="utf-8") as f:
            self.defs = json.load(f)["definitions"]

    def check(self, value, typename, where):
        if typename == "str":
            if not isinstance(value, str):
                raise bad_request("%s must be a string" % where)
        elif typename == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise bad_request("%s must be an integer" % where)
        elif typename == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise bad_request("%s must be a number" % where)
        elif typename == "bool":
            if not isinstance(value, bool):
                raise bad_request("%s must be true or false" % where)
        elif typename == "datetime":
            if not isinstance(value, str):
                raise bad_request("%s must be an ISO-8601 date-time string" % where)
        elif typename.startswith("list["):
            if not isinstance(value, list):
                raise bad_request("%s must be an array" % where)
            for i, item in enumerate(value):
                self.check(item, typename[5:-1], "%s[%d]" % (where, i))
        elif typename.startswith("dict("):
            if not isinstance(value, dict):
                raise bad_request("%s must be an object" % where)
        else:
            self.check_object(value, typename, where)

    def check_object(self, value, name, where):
        definition = self.defs[name]
        if not isinstance(value, dict):
            raise bad_request("%s must be an object (%s)" % (where or "body", name))
        props = definition["properties"]
        for key in value:
            if key not in props:
                raise bad_request('Unrecognized field "%s" in %s (%s)' % (key, where or "body", name))
        for key in definition["required"]:
            if value.get(key) is None:
                raise bad_request("%s is required (%s)" % (_join(where, key), name))
        for key, item in value.items():
            if item is None:
                continue
            spec = props[key]
            here = _join(where, key)
            self.check(item, spec["type"], here)
            if "enum" in spec and item not in spec["enum"]:
                raise bad_request("%s: invalid value %s; expected one of %s"
                                  % (here, json.dumps(item), ", ".join(spec["enum"])))
            if "x-item-enum" in spec:
                for i, v in enumerate(item):
                    if v not in spec["x-item-enum"]:
                        raise bad_request("%s[%d]: invalid value %s; expected one of %s"
                                          % (here, i, json.dumps(v), ", ".join(spec["x-item-enum"])))


def _join(where, key):
    return "%s.%s" % (where, key) if where else key


SCHEMA = None


def schema():
    global SCHEMA
    if SCHEMA is None:
        SCHEMA = Schema()
    return SCHEMA


# --- intervals, periods, time zones ----------------------------------------

def parse_interval(text, where="interval"):
    """"START/END" (ISO-8601 date-times, offset or Z; none means UTC) to
    (start_ms, end_ms)."""
    parts = text.split("/") if isinstance(text, str) else []
    if len(parts) != 2:
        raise bad_request("%s: malformed interval %s: expected START/END as ISO-8601 date-times, "
                          "e.g. 2026-11-02T00:00:00.000Z/2026-11-09T00:00:00.000Z" % (where, json.dumps(text)))
    try:
        lo, hi = fg_data.parse_time_ms(parts[0]), fg_data.parse_time_ms(parts[1])
    except ValueError:
        raise bad_request("%s: malformed interval %s: expected START/END as ISO-8601 date-times"
                          % (where, json.dumps(text)))
    if lo >= hi:
        raise bad_request("%s: the interval's start must be before its end: %s" % (where, text))
    return lo, hi


PERIOD_RE = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_period(text, where="granularity"):
    """ISO-8601 period to (years, months, days, milliseconds): the calendar
    part is added in local wall time, the clock part as elapsed time."""
    m = PERIOD_RE.match(text) if isinstance(text, str) else None
    if not m or text in ("P", "PT") or text.endswith("T"):
        raise bad_request("%s: invalid ISO-8601 period %s (e.g. P1D, PT1H, PT30M, P7D)"
                          % (where, json.dumps(text)))
    y, mo, w, d, h, mi, s = m.groups()
    years, months = int(y or 0), int(mo or 0)
    days = int(w or 0) * 7 + int(d or 0)
    ms = (int(h or 0) * 3600 + int(mi or 0) * 60) * 1000 + round(float(s or 0) * 1000)
    if years == months == days == ms == 0:
        raise bad_request("%s: the period %s is empty" % (where, text))
    return years, months, days, ms


def parse_time_zone(name, where="timeZone"):
    if not isinstance(name, str) or not name:
        raise bad_request("%s must be an IANA time zone name such as UTC or Europe/London" % where)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise bad_request("%s: unknown time zone %s" % (where, json.dumps(name)))


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _to_ms(aware):
    delta = aware - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _add_calendar(naive, years, months, days):
    month_index = naive.month - 1 + months + 12 * years
    year, month = naive.year + month_index // 12, month_index % 12 + 1
    last_day = [31, 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28,
                31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    moved = naive.replace(year=year, month=month, day=min(naive.day, last_day))
    return moved + datetime.timedelta(days=days)


def bucket_bounds(lo, hi, period, tz):
    """Boundaries lo = b0 < b1 < ... < bn = hi of the intervals a granularity
    cuts [lo, hi) into: b_k = lo + k * period, the calendar part counted in
    the time zone's wall time (a P1D interval is 23 or 25 hours across a
    DST change), the last interval cut at hi."""
    if period is None:
        return [lo, hi]
    years, months, days, ms = period
    start_local = (EPOCH + datetime.timedelta(milliseconds=lo)).astimezone(tz).replace(tzinfo=None)
    bounds = [lo]
    k = 1
    while True:
        local = _add_calendar(start_local, k * years, k * months, k * days)
        at = _to_ms(local.replace(tzinfo=tz)) + k * ms
        if at >= hi:
            break
        if at > bounds[-1]:
            bounds.append(at)
        if len(bounds) > MAX_AGGREGATE_INTERVALS:
            raise bad_request("granularity: the interval would have more than %d intervals"
                              % MAX_AGGREGATE_INTERVALS)
        k += 1
    bounds.append(hi)
    return bounds


# --- filters ---------------------------------------------------------------

def _predicates(filt):
    for p in filt.get("predicates") or []:
        yield p
    for c in filt.get("clauses") or []:
        for p in c.get("predicates") or []:
            yield p


def count_user_predicates(filters):
    return sum(1 for f in filters or [] for p in _predicates(f) if p.get("dimension") == "userId")


def check_filter_values(filters, where):
    """Status values in filters must be the camelCase request spelling."""
    for i, f in enumerate(filters or []):
        for p in _predicates(f):
            allowed = FILTER_VALUES.get(p.get("dimension"))
            value = p.get("value")
            if allowed is not None and value is not None and value not in allowed:
                raise bad_request("%s[%d]: invalid %s value %s; request filters use camelCase: %s"
                                  % (where, i, p["dimension"], json.dumps(value), ", ".join(sorted(allowed))))
            if p.get("dimension") is None and p.get("type", "dimension") == "dimension" and value is not None:
                raise bad_request("%s[%d]: a dimension predicate needs a dimension" % (where, i))


def _predicate_matches(p, dims):
    if p.get("type") in ("property", "metric"):
        return True
    dim = p.get("dimension")
    op = p.get("operator") or "matches"
    if op == "exists":
        return dim in dims
    if op == "notExists":
        return dim not in dims
    return dims.get(dim) == p.get("value")


def _clause_matches(c, dims):
    results = [_predicate_matches(p, dims) for p in c.get("predicates") or []]
    if not results:
        return True
    return all(results) if c.get("type") == "and" else any(results)


def filter_matches(f, dims):
    results = [_predicate_matches(p, dims) for p in f.get("predicates") or []]
    results += [_clause_matches(c, dims) for c in f.get("clauses") or []]
    if not results:
        return True
    return all(results) if f.get("type") == "and" else any(results)


def filters_match(filters, dims):
    """A list of filters is ANDed, like the API's userFilters list."""
    return all(filter_matches(f, dims) for f in filters or [])


# --- details ---------------------------------------------------------------

def validate_details(body, definition):
    """UserDetailsQuery / AsyncUserDetailsQuery: returns (lo, hi)."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object (%s)" % definition)
    schema().check_object(body, definition, "")
    lo, hi = parse_interval(body["interval"])
    n = count_user_predicates(body.get("userFilters"))
    if n > MAX_USER_PREDICATES:
        raise bad_request("userFilters: %d userId predicates; at most %d are allowed in one query"
                          % (n, MAX_USER_PREDICATES))
    check_filter_values(body.get("routingStatusFilters"), "routingStatusFilters")
    check_filter_values(body.get("presenceFilters"), "presenceFilters")
    limit_days = MAX_DAYS_WITH_USERS if n > 0 else MAX_DAYS_WITHOUT_USERS
    if hi - lo > limit_days * DAY_MS:
        raise bad_request("interval: %s is longer than %d days; the limit is %d days without user "
                          "filters and %d days with them" % (body["interval"], limit_days,
                                                            MAX_DAYS_WITHOUT_USERS, MAX_DAYS_WITH_USERS))
    paging = body.get("paging")
    if paging is not None:
        if not 1 <= paging["pageSize"] <= MAX_PAGE_SIZE:
            raise bad_request("paging.pageSize: %d is out of range; it must be 1 to %d"
                              % (paging["pageSize"], MAX_PAGE_SIZE))
        if paging["pageNumber"] < 1:
            raise bad_request("paging.pageNumber: %d is out of range; pages are numbered from 1"
                              % paging["pageNumber"])
    return lo, hi


def _spans_midnight_or_edge(seg, lo, hi):
    s, e = seg[0], seg[1]
    return s < lo or e > hi or s // DAY_MS != (e - 1) // DAY_MS


format_time_cached = functools.lru_cache(maxsize=1 << 18)(format_time_ms)


def _records(segments, make, duplicate, lo, hi, now=None):
    out = []
    for seg in segments:
        rec = make(seg)
        if now is not None and seg[1] > now:
            del rec["endTime"]          # still going on: the API gives no end yet
        out.append(rec)
        if duplicate and _spans_midnight_or_edge(seg, lo, hi):
            out.append(dict(rec))
    return out


def _routing_record(seg):
    return {"startTime": format_time_cached(seg[0]), "endTime": format_time_cached(seg[1]),
            "routingStatus": seg[2]}


def _presence_record(seg):
    return {"startTime": format_time_cached(seg[0]), "endTime": format_time_cached(seg[1]),
            "systemPresence": seg[2], "organizationPresenceId": fg_data.organization_presence_id(seg[2])}


def details_hits(org, body, lo, hi, now=None):
    """The users of a details query that have records: [(user, routing
    segments, presence segments)], in user-id order.  Records are the whole
    segments overlapping [lo, hi), not cut.  With the fake's clock (NOW),
    nothing that starts later exists yet."""
    if now is not None:
        hi = min(hi, now + 1)
    hits = []
    rs_filters = body.get("routingStatusFilters")
    pr_filters = body.get("presenceFilters")
    for uid in org.user_ids_sorted():
        if not filters_match(body.get("userFilters"), {"userId": uid}):
            continue
        u = org.users[uid]
        routing = u.routing.overlapping(lo, hi)
        presence = u.presence.overlapping(lo, hi)
        if rs_filters:
            routing = [s for s in routing
                       if filters_match(rs_filters, {"routingStatus": fg_data.camel_case(s[2])})]
        if pr_filters:
            presence = [s for s in presence
                        if filters_match(pr_filters, {"systemPresence": fg_data.camel_case(s[2]),
                                                      "organizationPresenceId":
                                                          fg_data.organization_presence_id(s[2])})]
        if routing or presence:
            hits.append((uid, routing, presence))
    return hits


def user_detail(hit, lo, hi, order, duplicates, now=None):
    uid, routing, presence = hit
    if order == "desc":
        routing, presence = routing[::-1], presence[::-1]
    detail = {"userId": uid}
    if presence:
        detail["primaryPresence"] = _records(presence, _presence_record, duplicates, lo, hi, now)
    if routing:
        detail["routingStatus"] = _records(routing, _routing_record, duplicates, lo, hi, now)
    return detail


def approximate_total(n):
    """totalHits is approximate in the real API; the fake's is ~10% low so a
    client that trusts it to stop paging loses data (and a test sees it)."""
    return n if n <= 1 else n - max(1, n // 10)


# --- aggregates ------------------------------------------------------------

METRIC_TIMELINE = {"tAgentRoutingStatus": "routing", "tSystemPresence": "presence",
                   "tOrganizationPresence": "presence"}


def validate_aggregates(body):
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object (UserAggregationQuery)")
    schema().check_object(body, "UserAggregationQuery", "")
    lo, hi = parse_interval(body["interval"])
    if not body["metrics"]:
        raise bad_request("metrics: at least one metric is required")
    filt = body.get("filter")
    n = count_user_predicates([filt] if filt else [])
    if n > MAX_USER_PREDICATES:
        raise bad_request("filter: %d userId predicates; at most %d are allowed in one query"
                          % (n, MAX_USER_PREDICATES))
    tz = parse_time_zone(body["timeZone"]) if body.get("timeZone") is not None else zoneinfo.ZoneInfo("UTC")
    period = parse_period(body["granularity"]) if body.get("granularity") is not None else None
    bounds = bucket_bounds(lo, hi, period, tz)
    return lo, hi, bounds


def _qualifier(metric, status):
    return fg_data.organization_presence_id(status) if metric == "tOrganizationPresence" else status


def _add_segments(sums, metric, segments, bounds):
    """Add each segment's milliseconds to the intervals it overlaps."""
    lo, hi = bounds[0], bounds[-1]
    for seg in segments:
        s, e = max(seg[0], lo), min(seg[1], hi)
        i = bisect.bisect_right(bounds, s) - 1
        key_q = _qualifier(metric, seg[2])
        while i < len(bounds) - 1 and bounds[i] < e:
            overlap = min(e, bounds[i + 1]) - max(s, bounds[i])
            if overlap > 0:
                cell = sums.setdefault(i, {}).setdefault((metric, key_q), [0, 0])
                cell[0] += overlap
                cell[1] += 1
            i += 1


def _group_data(sums, bounds):
    data = []
    for i in sorted(sums):
        interval = "%s/%s" % (format_time_ms(bounds[i]), format_time_ms(bounds[i + 1]))
        metrics = [{"metric": m, "qualifier": q, "stats": {"sum": total, "count": count}}
                   for (m, q), (total, count) in sorted(sums[i].items())]
        data.append({"interval": interval, "metrics": metrics})
    return data


def aggregates(org, body, lo, hi, bounds):
    filt = body.get("filter")
    metrics = list(dict.fromkeys(body["metrics"]))
    by_user = "userId" in (body.get("groupBy") or [])
    groups = []                       # (group dict, sums)
    total = {}
    for uid in org.user_ids_sorted():
        if filt and not filter_matches(filt, {"userId": uid}):
            continue
        u = org.users[uid]
        sums = {} if by_user else total
        for metric in metrics:
            timeline = getattr(u, METRIC_TIMELINE[metric])
            _add_segments(sums, metric, timeline.overlapping(lo, hi), bounds)
        if by_user and sums:
            groups.append(({"userId": uid}, sums))
    if not by_user and total:
        groups.append(({}, total))
    response = {}                     # no data: the API answers {}
    if groups:
        response["results"] = [{"group": g, "data": _group_data(s, bounds)} for g, s in groups]
    if "tOrganizationPresence" in metrics:
        response["systemToOrganizationMappings"] = {
            p: [fg_data.organization_presence_id(p)] for p in fg_data.SYSTEM_PRESENCES}
    return response
