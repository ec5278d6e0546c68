# Fault injection: every tool run with the Nth read, write, close, malloc or
# realloc failing (tests/fault/failnth.c, LD_PRELOAD), for a range of N.
# Each run must end in exit 1 with a message, or in exit 0 with exactly the
# clean run's output (standard output and the rejects file) -- never exit 0
# with different output, never a crash.
set -eu
cc -shared -fPIC -O1 -o failnth.so "$TESTS_DIR/fault/failnth.c" -ldl
shim=$PWD/failnth.so

# Sanitizer builds: gcc's ASan runtime is a shared library and must let the
# shim come first; what a failure path leaves allocated is not the point
# here; an ASan or UBSan report must not pass for "exit 1 with a message".
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0:allocator_may_return_null=1:exitcode=86"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=87"
export ASAN_OPTIONS UBSAN_OPTIONS

cat > in.ndjson <<'NDJSON'
{"user_id":"a","routing_status":"IDLE","start":"2026-11-02T09:00:00Z","end":"2026-11-02T09:30:00Z"}
{"user_id":"a","presence":"ON_QUEUE","start":"2026-11-02T09:00:00Z","end":"2026-11-02T10:00:00Z"}
{"user_id":"a","routing_status":"INTERACTING","start":"2026-11-02T09:30:00Z","end":"2026-11-02T10:00:00Z"}
{"user_id":"a","routing_status":"IDLE","start":"bad"}
{"user_id":"b","routing_status":"IDLE","start":"2026-11-02T09:00:00Z"}
{"user_id":"b","routing_status":"INTERACTING","start":"2026-11-02T09:20:00Z"}
{"user_id":"b","routing_status":"OFF_QUEUE","start":"2026-11-02T11:00:00Z"}
NDJSON
goccupy --rejects /dev/null in.ndjson > occ.ndjson 2> /dev/null
cp "$TESTS_DIR/fixtures/genesys/details-page1.json" page.json

# name|calls to fail|command (one tool, run by sh -c with exec; writes
# stdout, maybe the file rej).  gfetch's mallocs are left out: libjq 1.6
# itself dereferences a failed malloc while compiling a program (a crash
# inside jq_parse, seen here at the 2059th malloc); the allocations it
# checks do reach gfetch's handler ("out of memory (in jq)", exit 1).
all='read write close malloc realloc'
cases="gdedupe|$all|gdedupe --rejects rej in.ndjson
gsort|$all|gsort --rejects rej in.ndjson
gshift|$all|gshift --rejects rej in.ndjson
gshift-spill|$all|gshift -S 1 --rejects rej in.ndjson
goccupy|$all|goccupy --csv --rejects rej in.ndjson
gbucket|$all|gbucket occ.ndjson
gfetch|read write close|gfetch map details page.json --csv"

echo "$cases" | while IFS='|' read -r name calls cmd; do
    rm -f rej; : > rej
    sh -c "$cmd" > clean.out 2> clean.err || { echo "$name: the clean run failed: $(cat clean.err)"; exit 1; }
    cp rej clean.rej
    for call in $calls; do
        rm -f count
        sh -c "GPULSE_FAIL=$call GPULSE_FAIL_NTH=0 GPULSE_FAIL_COUNT=$PWD/count LD_PRELOAD=$shim exec $cmd" > /dev/null 2>&1 || true
        total=$(cat count 2>/dev/null || echo 0)
        # every N up to 8, then four spread up to the last call
        ns=$(awk -v t="$total" 'BEGIN { for (n = 1; n <= t && n <= 8; n++) print n;
                                         if (t > 8) for (k = 1; k <= 4; k++) print int(8 + (t - 8) * k / 4) }' | sort -un)
        for n in $ns; do
            rm -f rej; : > rej
            status=0
            # the shim is preloaded into the tool only (exec), not the shell
            sh -c "GPULSE_FAIL=$call GPULSE_FAIL_NTH=$n LD_PRELOAD=$shim exec $cmd" > got.out 2> got.err || status=$?
            what="$name, $call #$n of $total"
            case $status in
                0)
                    cmp -s got.out clean.out || { echo "FAIL $what: exit 0 with different output"; exit 1; }
                    cmp -s rej clean.rej || { echo "FAIL $what: exit 0 with a different rejects file"; exit 1; } ;;
                1)
                    [ -s got.err ] || { echo "FAIL $what: exit 1 without a message"; exit 1; } ;;
                *)
                    echo "FAIL $what: exit $status"; head -5 got.err; exit 1 ;;
            esac
        done
    done
    echo "$name: ok"
done
echo ok
