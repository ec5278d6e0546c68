# gfetch's authentication: the token subcommand, token reuse, renewal
# shortly before expiry, one fresh token and one retry on a 401, refused
# credentials, GENESYSCLOUD_ACCESS_TOKEN, and that no secret (client secret,
# access token) ever reaches stdout or stderr, even with -v and on errors.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
start_fake --agents 3 --days 1 --from 2026-11-02 --seed 5
W="--from 2026-11-02 --to 2026-11-03"

logins() { fake_log | py 'print(sum(1 for e in json.load(sys.stdin) if e["path"].startswith("/oauth/token")))'; }

# token: who the credentials are and when the token expires
gf token -v > token.out 2> token.err
grep -q '^organization: ' token.out || fail "token: no organization: $(cat token.out)"
grep -q '^token expires: 20[0-9-]*T[0-9:.]*Z (in 2[0-9] h' token.out || fail "token: expiry: $(cat token.out)"
gf token --json > token.json
py 'r = json.load(open("token.json")); assert r["expires"].endswith("Z") and r["organization"], r' ||
    fail "token --json: $(cat token.json)"

# one login for a whole run: the token is reused
fake_post /_fake/reset
gf details $W > clean.ndjson
[ "$(logins)" -eq 1 ] || fail "expected one login, got $(logins)"

# a 401 (token expired server-side): one fresh token, one retry, same records
fake_post /_fake/reset
fake_post /_fake/faults '[{"fault": "expire_token", "path": "details/query", "nth": [1]}]'
gf details $W -v > renewed.ndjson 2> renewed.err
cmp -s clean.ndjson renewed.ndjson || fail "401: records differ"
[ "$(logins)" -eq 2 ] || fail "401: expected a second login, got $(logins)"
grep -q 'HTTP 401: the token was refused; logging in again and retrying once' renewed.err || fail "401 not traced"

# a token that lives 2 s is renewed before it expires.  gfetch renews when a
# tenth of the life remains (0.2 s here), a margin a loaded machine can eat,
# so the fake accepts a token for 3 s more; the run lasts longer than 2 + 3 s,
# and tokens are renewed every 2 s, so a gfetch that renewed late by more
# than the grace, or never, is refused.
fake_post /_fake/reset
long_lived=$FAKE
start_fake --agents 3 --days 1 --from 2026-11-02 --seed 5 --token-ttl 2 --token-grace 3
gfetch --api-url "$FAKE" --login-url "$FAKE" --page-delay 2s --page-size 1 --no-progress details $W > short.ndjson
cmp -s clean.ndjson short.ndjson || fail "short-lived token: records differ"
fake_log > short.log
py 'log = json.load(open("short.log"))
api = [e for e in log if e["path"].startswith("/api/")]
assert api[-1]["t"] - api[0]["t"] > 5, "the run is too short to need a renewal"
assert sum(1 for e in log if e["path"].startswith("/oauth/token")) >= 3, "not renewed every 2 s"
assert all(e["status"] != 401 for e in log), "a request was refused"' || fail "token renewal"
# the rest on the first fake, whose tokens live a day: a token handed
# round below must not expire on a loaded machine
FAKE=$long_lived

# refused credentials: status 1, a message, no secret
if GENESYSCLOUD_OAUTHCLIENT_SECRET=wrong-secret-value gf token > bad.out 2> bad.err; then
    fail "wrong secret accepted"
fi
grep -q '^gfetch: login: POST .*/oauth/token: HTTP 40[01]' bad.err || fail "message: $(cat bad.err)"
if grep -q wrong-secret-value bad.err bad.out; then fail "the wrong secret was printed"; fi

# GENESYSCLOUD_ACCESS_TOKEN alone: used as it is, no login
TOKEN=$(py '
import base64, urllib.request
r = urllib.request.Request(sys.argv[1] + "/oauth/token", data=b"grant_type=client_credentials", method="POST",
    headers={"Authorization": "Basic " + base64.b64encode(b"gpulse-test-client:gpulse-test-secret").decode(),
             "Content-Type": "application/x-www-form-urlencoded"})
print(json.load(urllib.request.urlopen(r))["access_token"])' "$FAKE")
fake_post /_fake/reset
GENESYSCLOUD_ACCESS_TOKEN=$TOKEN GENESYSCLOUD_OAUTHCLIENT_ID= GENESYSCLOUD_OAUTHCLIENT_SECRET= \
    gf details $W -v > given.ndjson 2> given.err
cmp -s clean.ndjson given.ndjson || fail "access token: records differ"
[ "$(logins)" -eq 0 ] || fail "logged in although an access token was given"

# No secret anywhere, whatever happens: -v -v traces of every subcommand,
# retries, a 401, and errors.
fake_post /_fake/faults '[{"fault": "expire_token", "path": "aggregates", "nth": [1]},
                          {"fault": "429", "path": "users", "nth": [1], "retry_after": 0}]'
{
    gf -v -v token
    gf -v -v users
    gf -v -v details $W
    gf -v -v aggregates $W
    GENESYSCLOUD_ACCESS_TOKEN=$TOKEN gf -v -v details $W
    GENESYSCLOUD_ACCESS_TOKEN=$TOKEN gf -v -v token --json
    gf -v -v details $W --user no-such-user --max-retries 0 --api-url "$FAKE/nowhere" || true
} > all.out 2> all.err
grep -q 'Authorization: Bearer \*\*\*\*' all.err || fail "the masked Authorization header is not traced"
grep -q 'Authorization: Basic \*\*\*\*' all.err || fail "the masked Basic header is not traced"
for f in all.out all.err given.err renewed.err token.err token.out; do
    if grep -q "$SECRET" "$f"; then fail "the client secret is in $f"; fi
    if grep -q "$TOKEN" "$f"; then fail "the access token is in $f"; fi
done
# nor any token the fake handed out in this test
fake_log > all.log
echo ok
