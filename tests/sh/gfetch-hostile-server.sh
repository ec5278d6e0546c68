# gfetch against a hostile server (the fake's fault switches): malformed
# pages, an empty 204, truncated and chunked bodies, an oversized body,
# Retry-After as an HTTP date, endless 429 and 401, a redirect.  Every run
# ends either with the clean run's output, exit 0, or with exit 1 and a
# message naming the problem; never with part of the data and exit 0; no
# secret reaches stderr.
set -eu
. "$TESTS_DIR/sh/lib/gfetch-fake.sh"
start_fake --agents 5 --days 1 --from 2026-11-02 --seed 33
W="--from 2026-11-02 --to 2026-11-03"
gf details $W --page-size 2 > clean.ndjson
[ -s clean.ndjson ] || fail "the clean run wrote nothing"

faults() { fake_post /_fake/reset > /dev/null; fake_post /_fake/faults "$1" > /dev/null; }
# answer_fault SPEC BODY: SPEC (a JSON object) as an "answer" fault with BODY
answer_fault() { faults "$(py 'print(json.dumps([dict(json.loads(sys.argv[1]), fault="answer", body=sys.argv[2])]))' "$1" "$2")"; }
# must_fail NAME PATTERN ARGS...: exit 1, the pattern on stderr, no secret
must_fail() {
    name=$1 pattern=$2; shift 2
    if gf "$@" > "$name.out" 2> "$name.err"; then fail "$name: exit 0 with $(wc -l < "$name.out") records"; fi
    grep -q -- "$pattern" "$name.err" || fail "$name: message: $(cat "$name.err")"
    if grep -q "$SECRET" "$name.err"; then fail "$name: the secret leaked"; fi
    return 0
}
# must_match NAME ARGS...: exit 0 and the clean output
must_match() {
    name=$1; shift
    gf "$@" > "$name.out" 2> "$name.err" || fail "$name: exit $?: $(cat "$name.err")"
    cmp -s "$name.out" clean.ndjson || fail "$name: the output differs from the clean run's"
}

# page 2 is malformed once: retried as a server fault, the data complete
for body in '[1,2,3]' '{"userDetails":"oops"}' '{"userDetails":[1]}'; do
    answer_fault '{"path": "details/query", "nth": [2]}' "$body"
    must_match "malformed-once" details $W --page-size 2
    # malformed for good: an error, never the first page presented as all
    answer_fault '{"path": "details/query", "after": 1}' "$body"
    must_fail malformed "page 2: .*HTTP 200 with a malformed answer" details $W --page-size 2 --max-retries 1
done
# an empty 204 where page 2 belongs
faults '[{"fault": "answer", "path": "details/query", "after": 1, "status": 204}]'
must_fail empty204 "page 2: .*HTTP 204 with an empty body where the answer is a page" details $W --page-size 2 --max-retries 1
faults '[{"fault": "answer", "path": "details/query", "nth": [2], "status": 204}]'
must_match empty204-once details $W --page-size 2

# chunked bodies: whole, they read as usual; cut short, they are retried
faults '[{"fault": "chunked", "path": "details/query", "size": 5}]'
must_match chunked details $W --page-size 2
faults '[{"fault": "chunked", "path": "details/query", "nth": [1, 3], "truncate": true}]'
must_match chunked-truncated-once details $W --page-size 2
faults '[{"fault": "chunked", "path": "details/query", "truncate": true}]'
must_fail chunked-truncated "gave up after 1 retries" details $W --page-size 2 --max-retries 1

# an oversized body: past --max-body, a clear error and no retry
faults '[{"fault": "oversized", "path": "details/query", "bytes": 300000}]'
must_fail oversized "the answer is larger than 262144 bytes (--max-body raises the limit)" details $W --max-body 256K
[ "$(fake_log | py 'print(len([e for e in json.load(sys.stdin) if "details" in e["path"]]))')" -eq 1 ] ||
    fail "an oversized answer was retried"
faults '[{"fault": "oversized", "path": "details/query", "bytes": 300000}]'
gf details $W --max-body 1M > big.out 2> big.err || fail "--max-body 1M: $(cat big.err)"

# Retry-After as an HTTP date a minute ahead: honoured (the wait passes --max-wait 1s)
when=$(python3 -c 'import email.utils, time; print(email.utils.formatdate(time.time() + 60, usegmt=True))')
faults "[{\"fault\": \"429\", \"path\": \"details/query\", \"nth\": [1], \"retry_after\": \"$when\"}]"
must_fail retry-date "HTTP 429 (rate limited, Retry-After [0-9.]* s); waiting [0-9.]* s more would pass --max-wait 1.0 s" \
    details $W --max-wait 1s
faults "[{\"fault\": \"429\", \"path\": \"details/query\", \"nth\": [1], \"retry_after\": \"$(python3 -c 'import email.utils, time; print(email.utils.formatdate(time.time() - 60, usegmt=True))')\"}]"
must_match retry-date-past details $W --page-size 2

# endless 429 and 401: bounded, then an error
faults '[{"fault": "429", "path": "details/query", "retry_after": 0}]'
must_fail endless-429 "gave up after 2 retries (--max-retries)" details $W --max-retries 2
faults '[{"fault": "answer", "path": "details/query", "status": 401, "body": "{\"message\":\"no\"}"}]'
must_fail endless-401 "HTTP 401: no (the token was refused again after a fresh login)" details $W

# a redirect is not followed (it could carry the token elsewhere)
faults '[{"fault": "answer", "path": "details/query", "status": 302, "location": "http://127.0.0.1:9/steal"}]'
must_fail redirect "HTTP 302" details $W
echo ok
