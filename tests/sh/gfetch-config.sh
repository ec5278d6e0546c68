# gfetch's settings: a profile file with a section per org (and refused
# when others may read it), --org from the profile, the environment ignored
# with --profile, plain http refused except to loopback.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
start_fake --agents 2 --days 1 --from 2026-11-02 --seed 1
W="--from 2026-11-02 --to 2026-11-03"
gf details $W > env.ndjson

cat > profiles <<EOF2
# two orgs
[acme]
client_id = gpulse-test-client
client_secret = $SECRET
api_url = $FAKE
org = acme

[broken]
client_id = gpulse-test-client
client_secret = not-the-secret
api_url = $FAKE
EOF2
chmod 600 profiles
# the environment is not read with --profile: a wrong secret there is harmless
GENESYSCLOUD_OAUTHCLIENT_SECRET=wrong gfetch --profile acme --profile-file profiles --page-delay 0 \
    details $W > acme.ndjson
py '
env = [json.loads(l) for l in open("env.ndjson")]
acme = [json.loads(l) for l in open("acme.ndjson")]
assert all(r.pop("org") == "acme" for r in acme), "org from the profile"
assert env == acme' || fail "profile acme"
# --org beats the profile's label
GPULSE_PROFILES=$PWD/profiles gfetch --profile acme --org other --page-delay 0 details $W |
    py 'assert all(json.loads(l)["org"] == "other" for l in sys.stdin)' || fail "--org over the profile"
if gfetch --profile broken --profile-file profiles token > /dev/null 2> broken.err; then fail "broken profile logged in"; fi
grep -q 'not-the-secret' broken.err && fail "the profile's secret was printed"
if gfetch --profile nosuch --profile-file profiles token 2> nosuch.err; then fail "unknown profile accepted"; fi
grep -qx 'gfetch: profile file profiles has no section \[nosuch\]' nosuch.err || fail "$(cat nosuch.err)"

chmod 644 profiles
if gfetch --profile acme --profile-file profiles token > /dev/null 2> open.err; then
    fail "a world-readable profile file was used"
fi
grep -q "^gfetch: profile file profiles is readable or writable by others (mode 0644)" open.err || fail "$(cat open.err)"
grep -q "$SECRET" open.err && fail "secret in the message"

# plain http only to loopback; https is always verified
if gfetch token --api-url http://192.0.2.1 2> http.err; then fail "plain http to a remote host"; fi
grep -q 'plain http is allowed only to loopback' http.err || fail "$(cat http.err)"
if gfetch token --api-url "$FAKE" --login-url http://login.example.com 2> http2.err; then fail "plain http login"; fi
grep -q 'plain http is allowed only to loopback' http2.err || fail "$(cat http2.err)"
# GENESYSCLOUD_REGION as an AWS region: a usage of the region table, no request
# is needed to see it refused when unknown
if GENESYSCLOUD_REGION=mars-north-1 gfetch token 2> region.err; then fail "unknown region accepted"; fi
grep -q "unknown region 'mars-north-1'" region.err || fail "$(cat region.err)"
echo ok
