# Sourced by tests/sh/gfetch-*.sh: start the fake Genesys Cloud, run gfetch
# against it, read its request log.  Not a test itself (tests/run.sh runs
# only tests/sh/*.sh).
#
#   start_fake [server options]   sets FAKE (http://127.0.0.1:PORT); the
#                                 server is stopped when the test exits
#   gf ARGS...                    gfetch against the fake, --page-delay 0
#   fake_post PATH JSON           POST to the fake's control API
#   fake_log                      the fake's request log (JSON list)
#   py 'CODE' ARGS...             python3 -c with json, sys imported

FAKE_PY=${GFETCH_FAKE:-$TESTS_DIR/fake-genesys/server.py}
if [ ! -f "$FAKE_PY" ]; then
    echo "the fake Genesys Cloud $FAKE_PY is missing"
    exit 1
fi

# The fake's default credentials; a test checks they never leak.
SECRET=gpulse-test-secret
GENESYSCLOUD_OAUTHCLIENT_ID=gpulse-test-client
GENESYSCLOUD_OAUTHCLIENT_SECRET=$SECRET
export GENESYSCLOUD_OAUTHCLIENT_ID GENESYSCLOUD_OAUTHCLIENT_SECRET
unset GENESYSCLOUD_ACCESS_TOKEN GENESYSCLOUD_REGION GENESYSCLOUD_API_URL GENESYSCLOUD_LOGIN_URL

# The fake's WebSocket side (gfetch stream) needs Debian's python3-websockets,
# importable only by /usr/bin/python3 when another python3 comes first on PATH.
FAKE_PYTHON=python3
for py_candidate in /usr/bin/python3 python3; do
    if "$py_candidate" -c 'import websockets' 2>/dev/null; then FAKE_PYTHON=$py_candidate; break; fi
done

FAKE_PIDS=""
stop_fakes() {
    for pid in $FAKE_PIDS; do kill "$pid" 2>/dev/null; done
    return 0
}
trap stop_fakes EXIT INT TERM

start_fake() {
    n=$(echo $FAKE_PIDS | wc -w)
    "$FAKE_PYTHON" "$FAKE_PY" --port 0 "$@" > "fake$n.url" 2> "fake$n.err" &
    FAKE_PIDS="$FAKE_PIDS $!"
    i=0
    while ! grep -q '^http' "fake$n.url" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 200 ]; then
            echo "the fake Genesys Cloud did not start:"
            cat "fake$n.err"
            exit 1
        fi
        sleep 0.05
    done
    FAKE=$(head -1 "fake$n.url")
}

gf() {
    delay="--page-delay 0"
    for arg in "$@"; do [ "$arg" = token ] && delay=""; done
    gfetch --api-url "$FAKE" --login-url "$FAKE" $delay --no-progress "$@"
}

py() {
    code=$1
    shift
    python3 -c "import json, sys
$code" "$@"
}

fake_post() {
    body=${2:-'{}'}
    py '
import urllib.request
r = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST",
                           headers={"Content-Type": "application/json"})
sys.stdout.write(urllib.request.urlopen(r).read().decode())' "$FAKE$1" "$body" > /dev/null
}

fake_log() {
    py '
import urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$FAKE/_fake/log"
}

fail() {
    echo "FAIL: $*"
    exit 1
}
