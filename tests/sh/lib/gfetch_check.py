#!/usr/bin/env python3
"""Checks the gfetch shell tests share (python3 standard library only).

  records FILE FROM TO [whole]  every line a well-formed segment record
                                (gpulse(7)), times UTC with ms, inside
                                the window (cut unless 'whole'), canonical
                                order, no duplicate (user, timeline, start,
                                status); prints the count
  sums FILE                     seconds per (org, user, field, status):
                                secs when present, else end - start
  clip FILE FROM TO             the records cut to the window (what gfetch
                                does without --whole), sorted
  requests LOG PATH             the logged requests whose path contains PATH,
                                one JSON object per line
"""
import json
import re
import sys
from datetime import datetime, timezone

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ROUTING = {"OFF_QUEUE", "IDLE", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING"}


def ms(text):
    if len(text) == 10:
        text += "T00:00:00.000Z"
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def fmt(t):
    d = datetime.fromtimestamp(t / 1000, timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t % 1000)


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def die(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def records(path, start, end, whole=False):
    lo, hi = ms(start), ms(end)
    prev = None
    seen = set()
    recs = load(path)
    for i, r in enumerate(recs, 1):
        where = "%s:%d: " % (path, i)
        if not isinstance(r.get("user_id"), str) or not r["user_id"]:
            die(where + "no user_id")
        kinds = [k for k in ("routing_status", "presence") if k in r]
        if len(kinds) != 1:
            die(where + "needs exactly one of routing_status, presence")
        status = r[kinds[0]]
        if status != status.upper() or " " in status:
            die(where + "status not SCREAMING_SNAKE_CASE: " + status)
        if kinds[0] == "routing_status" and status not in ROUTING:
            die(where + "unknown routing status " + status)
        for k in ("start", "end"):
            if k in r and not TIME.match(r[k]):
                die(where + "%s not UTC with milliseconds: %s" % (k, r[k]))
        s = ms(r["start"])
        e = ms(r["end"]) if "end" in r else None
        if e is not None and e < s:
            die(where + "end before start")
        if e is not None and (e <= lo and not (s == e == lo)) or s >= hi:
            die(where + "outside the window")
        if not whole and (s < lo or (e is not None and e > hi)):
            die(where + "not cut to the window")
        key = (r.get("org", ""), r["user_id"], s)
        if prev is not None and key < prev:
            die(where + "not in canonical order (org, user_id, start)")
        prev = key
        dup = (r.get("org", ""), r["user_id"], kinds[0], s, status)
        if dup in seen:
            die(where + "duplicate record")
        seen.add(dup)
    print(len(recs))


def sums(path):
    total = {}
    for r in load(path):
        field = "routing_status" if "routing_status" in r else "presence"
        if "secs" in r:
            secs = float(r["secs"])
        elif "end" in r:
            secs = (ms(r["end"]) - ms(r["start"])) / 1000
        else:
            continue
        key = (r.get("org", ""), r["user_id"], field, r[field])
        total[key] = total.get(key, 0) + secs
    for key in sorted(total):
        print("%s %s %s %s %.3f" % (key + (total[key],)))


def clip(path, start, end):
    lo, hi = ms(start), ms(end)
    out = []
    for r in load(path):
        s = max(ms(r["start"]), lo)
        r["start"] = fmt(s)
        if "end" in r:
            r["end"] = fmt(min(ms(r["end"]), hi))
        out.append(json.dumps(r, sort_keys=True))
    for line in sorted(out):
        print(line)


def requests(path, part):
    for entry in json.load(open(path)):
        if part in entry.get("path", ""):
            print(json.dumps(entry, sort_keys=True))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "records":
        records(args[0], args[1], args[2], len(args) > 3 and args[3] == "whole")
    elif cmd == "sums":
        sums(args[0])
    elif cmd == "clip":
        clip(args[0], args[1], args[2])
    elif cmd == "requests":
        requests(args[0], args[1])
    else:
        die("unknown check " + cmd)
