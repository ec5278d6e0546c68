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
# the same value, the same exit status from the flag, GENESYSCLOUD_REGION
# and a profile: usage (2), the list of known regions, no request (the
# fake's log stays empty)
fake_post /_fake/reset
for bad in mars-north-1 mypurecloud.example https://api.example.com/ eu-west-1.example.com; do
    printf '[bad]\nclient_id = gpulse-test-client\nclient_secret = %s\nregion = %s\n' "$SECRET" "$bad" > bad.profiles
    chmod 600 bad.profiles
    for how in flag env profile; do
        case $how in
            flag) gf token --region "$bad" > /dev/null 2> "$how.err" ;;
            env) GENESYSCLOUD_REGION=$bad gf token > /dev/null 2> "$how.err" ;;
            profile) gf --profile bad --profile-file bad.profiles token > /dev/null 2> "$how.err" ;;
        esac && fail "$how: region $bad accepted"
        status=$?
        [ "$status" = 2 ] || fail "$how: region $bad: exit status $status, want 2: $(cat "$how.err")"
        head -n 1 "$how.err" | grep -q "^gfetch: unknown region '$bad'.*; known regions: us-east-1, .*eu-west-1" ||
            fail "$how: $bad: $(cat "$how.err")"
        grep -q "$SECRET" "$how.err" && fail "$how: the secret in the message"
    done
    grep -q "(from GENESYSCLOUD_REGION)" env.err || fail "env: where from: $(cat env.err)"
    grep -q "(from profile \[bad\] of bad.profiles)" profile.err || fail "profile: where from: $(cat profile.err)"
done
# the refusal lists the one table, as gfetch(1)'s REGIONS shows it
sed -n 's/.*known regions: \(.*\), their domains.*/\1/p' flag.err | tr -d ' ' | tr , '\n' > listed.txt
awk '/^\.SH REGIONS/ {on = 1} /^\.SH ENVIRONMENT/ {on = 0} on && /^[a-z][a-z]\\-/ {print $1}' \
    "$TESTS_DIR/../man/gfetch.1" | sed 's/\\-/-/g' > manpage.txt
[ -s listed.txt ] && cmp -s listed.txt manpage.txt || fail "regions listed: $(cat listed.txt); gfetch(1): $(cat manpage.txt)"
fake_log > region.json
py 'assert json.load(open("region.json")) == [], "a request was sent"' || fail "refused regions sent requests"
# what people paste is taken from the flag, the environment and a profile
# (the URLs point at the fake, so the region is checked and nothing leaves)
for good in mypurecloud.ie api.mypurecloud.ie https://api.mypurecloud.ie/ eu-west-1 EU_WEST_1; do
    printf '[good]\nclient_id = gpulse-test-client\nclient_secret = %s\nregion = %s\napi_url = %s\n' \
        "$SECRET" "$good" "$FAKE" > good.profiles
    chmod 600 good.profiles
    gf --region "$good" token > /dev/null 2> good.err || fail "--region $good refused: $(cat good.err)"
    GENESYSCLOUD_REGION=$good gf token > /dev/null 2> good.err ||
        fail "GENESYSCLOUD_REGION=$good refused: $(cat good.err)"
    gfetch --profile good --profile-file good.profiles --login-url "$FAKE" token > /dev/null 2> good.err ||
        fail "region = $good in a profile refused: $(cat good.err)"
done
echo ok
