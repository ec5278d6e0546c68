"""The synthetic organisation the fake Genesys Cloud serves.

Segments come from the benchmark generator ggen (run as a subprocess) or from
a saved file of its output (NDJSON or CSV, gpulse(7), SEGMENT RECORDS); users from
its roster CSV (section 2.4).  Everything is loaded once at start-up and then
only read, so request threads share it without locks.

Times are integers: milliseconds since the epoch, UTC.
"""

import bisect
import csv
import datetime
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

UTC = datetime.timezone.utc

ROUTING_STATUSES = ["OFF_QUEUE", "IDLE", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING"]
SYSTEM_PRESENCES = ["AVAILABLE", "AWAY", "BUSY", "OFFLINE", "IDLE", "ON_QUEUE",
                    "MEAL", "TRAINING", "MEETING", "BREAK"]


class DataError(Exception):
    """The data given to the fake cannot be used (bad file, ggen failed)."""


def parse_time_ms(text):
    """RFC 3339 / ISO-8601 date-time to epoch milliseconds (naive means UTC)."""
    if not isinstance(text, str) or "T" not in text:
        raise ValueError("not a date-time: %r" % (text,))
    dt = datetime.datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    delta = dt - datetime.datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def format_time_ms(ms):
    """Epoch milliseconds to the API's form: 2026-11-02T13:00:00.000Z."""
    dt = datetime.datetime(1970, 1, 1, tzinfo=UTC) + datetime.timedelta(milliseconds=ms)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def camel_case(status):
    """ON_QUEUE -> onQueue: the spelling request filters use."""
    words = status.lower().split("_")
    return words[0] + "".join(w.capitalize() for w in words[1:])


def organization_presence_id(system_presence):
    """A fixed organisation-presence id per system presence (the default
    presence definitions of an org)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "gpulse-fake/presence/" + system_presence))


class Timeline:
    """One user's segments on one timeline (routing or presence), sorted by
    start, with what is needed to find those overlapping a window fast."""

    def __init__(self, segments):
        segments.sort(key=lambda s: (s[0], s[1]))
        self.segments = segments            # (start_ms, end_ms, status)
        self.starts = [s[0] for s in segments]
        # Running maximum of the ends: everything before the first index
        # whose running end exceeds t ends at or before t.
        self.end_max = []
        top = None
        for s in segments:
            top = s[1] if top is None or s[1] > top else top
            self.end_max.append(top)

    def overlapping(self, lo, hi):
        """Segments with start < hi and end > lo, in start order."""
        first = bisect.bisect_right(self.end_max, lo)
        last = bisect.bisect_left(self.starts, hi)
        return [s for s in self.segments[first:last] if s[1] > lo]


class User:
    def __init__(self, user_id):
        self.id = user_id
        self.name = ""
        self.roles = []
        self.tz = ""
        self.hire_date = ""
        self.routing = Timeline([])
        self.presence = Timeline([])


class Org:
    """Users (roster order, then users only the data knows) and segments."""

    def __init__(self, name, org_id):
        self.name = name
        self.id = org_id
        self.users = {}          # user_id -> User, insertion ordered
        self.first_ms = None     # earliest start in the data
        self.last_ms = None      # latest end in the data
        self.duplicates_dropped = 0

    def user(self, user_id):
        u = self.users.get(user_id)
        if u is None:
            u = self.users[user_id] = User(user_id)
        return u

    def user_ids_sorted(self):
        return sorted(self.users)

    def segment_count(self):
        return sum(len(u.routing.segments) + len(u.presence.segments) for u in self.users.values())


def _read_roster(org, text, source):
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "user_id" not in reader.fieldnames:
        raise DataError("%s: roster has no user_id column" % source)
    for row in reader:
        uid = (row.get("user_id") or "").strip()
        if not uid:
            continue
        u = org.user(uid)
        u.name = u.name or (row.get("name") or "").strip()
        u.tz = u.tz or (row.get("tz") or "").strip()
        u.hire_date = u.hire_date or (row.get("hire_date") or "").strip()
        for role in (row.get("role") or "").split("+"):
            role = role.strip()
            if role and role not in u.roles:
                u.roles.append(role)


def _records(text, source):
    """Yield (line_number, dict) from NDJSON or CSV (detected by the first
    non-blank byte, as the tools do)."""
    stripped = text.lstrip()
    if not stripped:
        return
    if stripped[0] == "{":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                raise DataError("%s:%d: not JSON: %s" % (source, n, e))
            if not isinstance(rec, dict):
                raise DataError("%s:%d: not a JSON object" % (source, n))
            yield n, rec
    else:
        reader = csv.DictReader(io.StringIO(text))
        for n, row in enumerate(reader, 2):
            yield n, {k: v for k, v in row.items() if k is not None and v not in (None, "")}


def _read_segments(org, text, source):
    # (user, timeline) -> list of (start, end-or-None, status); point events
    # (no end) are closed once the whole timeline is known.
    timelines = {}
    seen = set()
    for n, rec in _records(text, source):
        uid = rec.get("user_id") or rec.get("userId")
        if not isinstance(uid, str) or not uid:
            raise DataError("%s:%d: no user_id" % (source, n))
        if rec.get("routing_status"):
            kind, status = "routing", str(rec["routing_status"]).upper()
        elif rec.get("presence"):
            kind, status = "presence", str(rec["presence"]).upper()
        else:
            raise DataError("%s:%d: neither routing_status nor presence" % (source, n))
        try:
            start = parse_time_ms(rec.get("start"))
            end = parse_time_ms(rec["end"]) if rec.get("end") else None
        except (ValueError, TypeError) as e:
            raise DataError("%s:%d: bad time: %s" % (source, n, e))
        key = (uid, kind, start, status)
        if key in seen:                      # ggen repeats day-boundary segments
            org.duplicates_dropped += 1
            continue
        seen.add(key)
        timelines.setdefault((uid, kind), []).append((start, end, status))

    last = None
    for segs in timelines.values():
        for s, e, _ in segs:
            v = e if e is not None else s
            last = v if last is None or v > last else last
    for (uid, kind), segs in timelines.items():
        segs.sort(key=lambda s: s[0])
        closed = []
        for i, (s, e, status) in enumerate(segs):
            if e is None:
                e = segs[i + 1][0] if i + 1 < len(segs) else last
            if e > s:
                closed.append((s, e, status))
        u = org.user(uid)
        setattr(u, kind, Timeline(closed))
        if closed:
            first = min(c[0] for c in closed)
            org.first_ms = first if org.first_ms is None or first < org.first_ms else org.first_ms
            end_max = max(c[1] for c in closed)
            org.last_ms = end_max if org.last_ms is None or end_max > org.last_ms else org.last_ms


def _finish_users(org):
    for u in org.users.values():
        if not u.name:
            u.name = "Agent " + u.id[:8]


def load_files(data_path, roster_path, org_name):
    org = Org(org_name, str(uuid.uuid5(uuid.NAMESPACE_URL, "gpulse-fake/org/" + org_name)))
    if roster_path:
        with open(roster_path, encoding="utf-8") as f:
            _read_roster(org, f.read(), roster_path)
    with open(data_path, encoding="utf-8") as f:
        _read_segments(org, f.read(), data_path)
    _finish_users(org)
    return org


def find_ggen(explicit):
    """--ggen PATH, else $BIN/ggen, else the repository's bin/ggen, else PATH."""
    if explicit:
        return explicit
    candidates = []
    if os.environ.get("BIN"):
        candidates.append(os.path.join(os.environ["BIN"], "ggen"))
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.append(os.path.join(here, "..", "..", "bin", "ggen"))
    for c in candidates:
        if os.access(c, os.X_OK):
            return c
    found = shutil.which("ggen")
    if found:
        return found
    raise DataError("cannot find ggen (set BIN, pass --ggen PATH, or give --data FILE)")


def load_ggen(ggen, agents, days, start_date, seed, org_name):
    """Run ggen and load its segments and roster."""
    with tempfile.TemporaryDirectory(prefix="fake-genesys.") as tmp:
        roster = os.path.join(tmp, "roster.csv")
        argv = [ggen, "--agents", str(agents), "--days", str(days), "--from", start_date,
                "--seed", str(seed), "--roster", roster]
        try:
            proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        except OSError as e:
            raise DataError("cannot run %s: %s" % (ggen, e))
        if proc.returncode != 0:
            raise DataError("%s exited %d: %s" % (" ".join(argv), proc.returncode,
                                                   proc.stderr.decode(errors="replace").strip()))
        org = Org(org_name, str(uuid.uuid5(uuid.NAMESPACE_URL, "gpulse-fake/org/%s/%s" % (org_name, seed))))
        if os.path.exists(roster):
            with open(roster, encoding="utf-8") as f:
                _read_roster(org, f.read(), "ggen roster")
        _read_segments(org, proc.stdout.decode("utf-8"), "ggen output")
    _finish_users(org)
    return org


if __name__ == "__main__":
    # Quick look at what a data file or ggen run gives: python3 fg_data.py FILE [ROSTER]
    o = load_files(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None, "check")
    print(len(o.users), "users", o.segment_count(), "segments", o.duplicates_dropped, "duplicates dropped",
          format_time_ms(o.first_ms) if o.first_ms is not None else "-",
          format_time_ms(o.last_ms) if o.last_ms is not None else "-")
