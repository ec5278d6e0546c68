# The fake Genesys Cloud: start-up line, the OAuth client-credentials flow,
# bearer checks, token expiry, tokens/me and users/me, and that the request
# log never holds a credential.  Uses curl, as a client other than gfetch.
set -eu
. "$TESTS_DIR/fake-genesys/lib.sh"
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv" --token-ttl 60

# exactly one line on stdout: the URL, with the port of the port file
[ "$(wc -l < fake.url)" -eq 1 ] || fail "stdout has $(wc -l < fake.url) lines"
[ "$(cat fake.url)" = "http://127.0.0.1:$FAKE_PORT" ] || fail "stdout: $(cat fake.url)"
case $FAKE_PORT in *[!0-9]*|'') fail "port file: $FAKE_PORT";; esac

# status CODE BODYFILE -- curl ARGS...: run curl, check the HTTP status.
# A failure names the method and URL only: the arguments carry the client
# secret or a bearer token, and a token body holds a token, so neither is
# printed (secrets never reach test output).
status() {
    want=$1 out=$2; shift 2
    got=$(curl -s -o "$out" -w '%{http_code}' "$@")
    [ "$got" = "$want" ] || fail "$(request_name "$@"): HTTP $got, expected $want"
}
request_name() {
    method=GET url=""
    while [ $# -gt 0 ]; do
        case $1 in
            -X) method=$2; shift ;;
            -d) method=POST; shift ;;
            -u | -H) shift ;;
            *) url=$1 ;;
        esac
        shift
    done
    echo "$method $url"
}

status 200 tok.json -u "$FAKE_ID:$FAKE_SECRET" -d grant_type=client_credentials "$FAKE_URL/oauth/token"
token=$(python3 -c 'import json,sys; print(json.load(open("tok.json"))["access_token"])')
python3 - <<'EOF'
import json
t = json.load(open("tok.json"))
assert t["token_type"] == "bearer" and t["expires_in"] == 60, (t["token_type"], t["expires_in"])
assert len(t["access_token"]) >= 20, "access_token shorter than 20 characters"
EOF

# wrong secret: 401 invalid_client; unknown client: 400 invalid_client
status 401 bad.json -u "$FAKE_ID:wrong" -d grant_type=client_credentials "$FAKE_URL/oauth/token"
grep -q '"error":"invalid_client"' bad.json || fail "wrong secret: $(cat bad.json)"
status 400 bad.json -u "nobody:$FAKE_SECRET" -d grant_type=client_credentials "$FAKE_URL/oauth/token"
grep -q '"error":"invalid_client"' bad.json || fail "unknown client: $(cat bad.json)"
status 401 bad.json -d grant_type=client_credentials "$FAKE_URL/oauth/token"
status 400 bad.json -u "$FAKE_ID:$FAKE_SECRET" -d grant_type=password "$FAKE_URL/oauth/token"
grep -q unsupported_grant_type bad.json || fail "grant type: $(cat bad.json)"
# other credentials work when the fake is told them
fake_stop
fake_start --data "$FAKE_DIR/sample.ndjson" --client-id other-id --client-secret other-secret --token-ttl 60
status 200 tok2.json -u "other-id:other-secret" -d grant_type=client_credentials "$FAKE_URL/oauth/token"
status 400 bad.json -u "$FAKE_ID:$FAKE_SECRET" -d grant_type=client_credentials "$FAKE_URL/oauth/token"
fake_stop
fake_start --data "$FAKE_DIR/sample.ndjson" --roster "$FAKE_DIR/sample-roster.csv" --token-ttl 60
# token time stands still from here on (it moves only when told, below)
curl -s -X POST -d '{"freeze": true}' "$FAKE_URL/_fake/tokens" > adv.json
grep -q '"frozen": *true' adv.json || fail "token time: $(cat adv.json)"
status 200 tok.json -u "$FAKE_ID:$FAKE_SECRET" -d grant_type=client_credentials "$FAKE_URL/oauth/token"
token=$(python3 -c 'import json,sys; print(json.load(open("tok.json"))["access_token"])')

# the API wants a live bearer token
status 401 e.json "$FAKE_URL/api/v2/users"
grep -q '"status":401' e.json || fail "no token: $(cat e.json)"
status 401 e.json -H "Authorization: Bearer not-a-token" "$FAKE_URL/api/v2/users"
grep -q '"code":"bad.credentials"' e.json || fail "bad token: $(cat e.json)"
status 200 users.json -H "Authorization: Bearer $token" "$FAKE_URL/api/v2/users"

# tokens/me says who the credentials are; users/me refuses client credentials
status 200 me.json -H "Authorization: Bearer $token" "$FAKE_URL/api/v2/tokens/me"
python3 - <<'EOF'
import json
me = json.load(open("me.json"))
assert me["authorizedGrantType"] == "CLIENT-CREDENTIALS", me
assert me["OAuthClient"]["id"] == "gpulse-test-client", me
assert me["organization"]["name"] == "gpulse Fake Org" and me["organization"]["id"], me
assert me["homeOrganization"] == me["organization"], me
EOF
status 400 e.json -H "Authorization: Bearer $token" "$FAKE_URL/api/v2/users/me"
grep -q 'requires a user context' e.json || fail "users/me: $(cat e.json)"

# unknown path 404, wrong method 405, both ErrorBody
status 404 e.json -H "Authorization: Bearer $token" "$FAKE_URL/api/v2/nothing"
grep -q '"code":"not.found"' e.json || fail "404: $(cat e.json)"
status 405 e.json -X DELETE -H "Authorization: Bearer $token" "$FAKE_URL/api/v2/users"

# the token expires after --token-ttl seconds of the fake's token time
# (frozen above, so a loaded machine cannot expire it early): live at
# 59.5 s, refused at 60 s; a fresh one works
curl -s -X POST -d '{"advance": 59.5}' "$FAKE_URL/_fake/tokens" > adv.json
grep -q '"offset": *59.5' adv.json || fail "token time: $(cat adv.json)"
status 200 users.json -H "Authorization: Bearer $token" "$FAKE_URL/api/v2/users"
curl -s -X POST -d '{"advance": 0.5}' "$FAKE_URL/_fake/tokens" > adv.json
status 401 e.json -H "Authorization: Bearer $token" "$FAKE_URL/api/v2/users"
status 200 tok.json -u "$FAKE_ID:$FAKE_SECRET" -d grant_type=client_credentials "$FAKE_URL/oauth/token"
token2=$(python3 -c 'import json,sys; print(json.load(open("tok.json"))["access_token"])')
[ "$token2" != "$token" ] || fail "the fresh token is the old one"
status 200 users.json -H "Authorization: Bearer $token2" "$FAKE_URL/api/v2/users"

# the log: every API request with its status, and no credential anywhere
curl -s "$FAKE_URL/_fake/log" > log.json
for secret in "$FAKE_SECRET" "$token" "$token2" "$(printf '%s' "$FAKE_ID:$FAKE_SECRET" | base64)"; do
    if grep -q -F -- "$secret" log.json; then fail "the log holds a credential"; fi
done
python3 - <<'EOF'
import json
log = json.load(open("log.json"))
got = [(e["method"], e["path"], e["status"]) for e in log]
want = [("POST", "/oauth/token", 200), ("GET", "/api/v2/users", 401), ("GET", "/api/v2/users", 401),
        ("GET", "/api/v2/users", 200), ("GET", "/api/v2/tokens/me", 200), ("GET", "/api/v2/users/me", 400),
        ("GET", "/api/v2/nothing", 404), ("DELETE", "/api/v2/users", 405), ("GET", "/api/v2/users", 200),
        ("GET", "/api/v2/users", 401),
        ("POST", "/oauth/token", 200), ("GET", "/api/v2/users", 200)]
assert got == want, got
for e in log:
    assert isinstance(e["t"], float) and e["body"] is None, e
    assert set(e) >= {"t", "method", "path", "status", "body"}, e
EOF
# reset empties the log
fake_reset
[ "$(curl -s "$FAKE_URL/_fake/log")" = "[]" ] || fail "log not empty after reset"
