# Shell helpers for tests of (and with) the fake Genesys Cloud.  Source it:
#
#   . "$TESTS_DIR/fake-genesys/lib.sh"
#   fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv"
#   curl -s "$FAKE_URL/_fake/log"
#
# fake_start runs the server on a free port (--port 0), waits until it has
# written its port file, sets FAKE_URL, FAKE_PORT and FAKE_PID, and installs
# a trap that stops it however the test ends.  PYTHONPATH is set so that
# python3 snippets can `import fgclient`.

FAKE_DIR=$TESTS_DIR/fake-genesys
PYTHONPATH=$FAKE_DIR${PYTHONPATH:+:$PYTHONPATH}
PYTHONDONTWRITEBYTECODE=1
export FAKE_DIR PYTHONPATH PYTHONDONTWRITEBYTECODE
FAKE_PID=
FAKE_ID=gpulse-test-client
# The fake's WebSocket side needs Debian's python3-websockets, importable
# only by Debian's own /usr/bin/python3 (a python3 earlier on PATH, such as
# pyenv's, may lack it).  FAKE_PYTHON is the interpreter that has it, else
# python3 (REST only); FAKE_WS=1 when the WebSocket side is there.
FAKE_PYTHON=python3
FAKE_WS=0
for py in /usr/bin/python3 python3; do
    if "$py" -c 'import websockets' 2>/dev/null; then FAKE_PYTHON=$py; FAKE_WS=1; break; fi
done
export FAKE_PYTHON FAKE_WS
FAKE_SECRET=gpulse-test-secret

fake_stop() {
    if [ -n "$FAKE_PID" ]; then
        kill "$FAKE_PID" 2>/dev/null
        wait "$FAKE_PID" 2>/dev/null
        FAKE_PID=
    fi
}

fake_start() {
    rm -f fake.port
    "$FAKE_PYTHON" "$FAKE_DIR/server.py" --port 0 --port-file fake.port "$@" > fake.url 2> fake.err &
    FAKE_PID=$!
    trap 'fake_stop' EXIT
    trap 'fake_stop; exit 1' INT TERM HUP
    tries=0
    while [ ! -s fake.port ]; do
        if ! kill -0 "$FAKE_PID" 2>/dev/null; then
            echo "fake-genesys did not start:" >&2; cat fake.err >&2; FAKE_PID=; return 1
        fi
        tries=$((tries + 1))
        if [ "$tries" -gt 300 ]; then echo "fake-genesys: no port after 30 s" >&2; return 1; fi
        sleep 0.1
    done
    FAKE_PORT=$(cat fake.port)
    FAKE_URL=http://127.0.0.1:$FAKE_PORT
    export FAKE_URL FAKE_PORT
}

# fake_faults JSON: replace the active faults (a list of fault specs).
fake_faults() {
    curl -s -f -X POST -H 'Content-Type: application/json' --data "$1" "$FAKE_URL/_fake/faults" > /dev/null
}

# fake_reset: clear the request log and the faults.
fake_reset() {
    curl -s -f -X POST "$FAKE_URL/_fake/reset" > /dev/null
}

# fail MESSAGE: print and exit 1 (the trap stops the fake).
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
