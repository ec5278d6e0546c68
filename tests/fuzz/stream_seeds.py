"""Seeds for fuzz-stream: the messages the fake Genesys Cloud's WebSocket
side sends (tests/fake-genesys/fg_stream.py builds each one here), for the
users fuzz_stream.c follows, one message per file in the directory given.

    /usr/bin/python3 tests/fuzz/stream_seeds.py DIR
"""

import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "fake-genesys"))
import fg_data    # noqa: E402
import fg_stream  # noqa: E402

START = 1793620800000  # 2026-11-02T12:00:00Z


class Timeline:
    """One user's segments (start, end, status), as fg_stream.state_at reads them."""

    def __init__(self, *segments):
        self.segments = list(segments)
        self.starts = [s[0] for s in self.segments]


class User:
    def __init__(self, routing, presence):
        self.routing, self.presence = routing, presence


class Org:
    def __init__(self, users):
        self.users = users


class State:
    def __init__(self, users):
        self.org = Org(users)


class Hub:
    """Enough of fg_stream.Hub for its message builders."""
    user_message = fg_stream.Hub.user_message

    def __init__(self, users):
        self.state = State(users)


def main():
    out = sys.argv[1]
    hour = 3600 * 1000
    users = {u: User(Timeline((START, START + hour, "IDLE")), Timeline((START, START + hour, "ON_QUEUE")))
             for u in ("u-1", "u-2", "7a1c0e2d-5b7e-4f3a-9c41-2d8e6f0a1b3c")}
    hub = Hub(users)
    messages = []
    for i, status in enumerate(fg_data.ROUTING_STATUSES):
        messages.append(hub.user_message("u-1", "routingStatus", status, START + i, "routingStatus"))
    for status in ("AVAILABLE", "ON_QUEUE", "BUSY", "AWAY", "BREAK", "MEAL", "OFFLINE"):
        messages.append(hub.user_message("u-2", "presence", status, START + 5, "presence"))
    messages.append(hub.user_message("7a1c0e2d-5b7e-4f3a-9c41-2d8e6f0a1b3c", "routingStatus", "INTERACTING",
                                     START + 10, "activity"))
    messages.append(hub.user_message("u-1", "presence", "BREAK", START + 20, "activity"))
    messages.append(hub.user_message("u-9", "routingStatus", "IDLE", START, "routingStatus"))  # not followed
    messages.append(fg_stream.Hub.metadata("WebSocket Heartbeat"))
    messages.append(fg_stream.Hub.metadata("pong"))
    for name in ("socket_closing", "no_longer_subscribed", "subscription_changed", "token_revoked"):
        messages.append(fg_stream.Hub.system(name, name))
    body = {"results": [{"mediaType": "voice", "data": [{"metric": "oWaiting", "count": 0},
                                                         {"metric": "oInteracting", "count": 3}]}]}
    messages.append(json.dumps({"topicName": "v2.analytics.queues.q-1.observations", "eventBody": body},
                               separators=(",", ":")))
    for i, m in enumerate(messages):
        with open(os.path.join(out, "fake-%02d" % i), "w") as f:
            f.write(m)


main()
