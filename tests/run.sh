#!/bin/sh
# gpulse test runner: unit tests, golden CLI tests, shell tests.
#
#   BIN=/path/to/bin sh tests/run.sh [PATTERN]
#
# Golden tests live one per folder in tests/golden/NAME/:
#   cmd      the command line (sh), run in a scratch copy of the folder with
#            the tools first on PATH
#   in       standard input (optional; /dev/null otherwise)
#   out      expected standard output
#   err      expected standard error (optional: absent means empty)
#   status   expected exit status (optional: absent means 0)
# Shell tests are tests/sh/*.sh: each is one test that passes when it exits 0
# (TESTS_BIN and the tools on PATH are set for it).
# Unit tests are $BIN/unit-*: one line "PASS name" or "FAIL name: why" each.
# The last line printed is "N passed, N failed".

set -u
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$(cd "$here/.." && pwd)/bin}
export BIN
PATH=$BIN:$PATH
export PATH LC_ALL=C TZ=UTC
pattern=${1:-}
passed=0
failed=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/gpulse-tests.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

pass() { passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "PASS $1"; return 0; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /' | head -40; return 0; }

matches() { [ -z "$pattern" ] && return 0; case "$1" in *$pattern*) return 0;; esac; return 1; }

# --- unit tests ---------------------------------------------------------
for u in "$BIN"/unit-*; do
    [ -x "$u" ] || continue
    uname=$(basename "$u")
    matches "$uname" || continue
    "$u" > "$scratch/unit.out" 2>&1
    rc=$?
    while IFS= read -r line; do
        case "$line" in
            PASS\ *) pass "$uname: ${line#PASS }";;
            FAIL\ *) fail "$uname: ${line#FAIL }";;
        esac
    done < "$scratch/unit.out"
    [ $rc -eq 0 ] || grep -q '^FAIL' "$scratch/unit.out" || fail "$uname: exited $rc" "$(tail -5 "$scratch/unit.out")"
done

# --- golden tests -------------------------------------------------------
for dir in "$here"/golden/*/; do
    [ -f "$dir/cmd" ] || continue
    name=golden/$(basename "$dir")
    matches "$name" || continue
    work=$scratch/case
    rm -rf "$work"; mkdir -p "$work"
    cp -R "$dir". "$work/"
    input=/dev/null; [ -f "$work/in" ] && input=$work/in
    (cd "$work" && sh ./cmd < "$input" > "$scratch/got.out" 2> "$scratch/got.err")
    status=$?
    want_status=0; [ -f "$dir/status" ] && want_status=$(cat "$dir/status")
    why=""
    if [ "$status" != "$want_status" ]; then why="exit status $status, expected $want_status"; fi
    if ! cmp -s "$scratch/got.out" "$dir/out"; then
        why="$why
stdout differs:
$(diff "$dir/out" "$scratch/got.out" | head -20)"
    fi
    want_err=/dev/null; [ -f "$dir/err" ] && want_err=$dir/err
    if ! cmp -s "$scratch/got.err" "$want_err"; then
        why="$why
stderr differs:
$(diff "$want_err" "$scratch/got.err" | head -20)"
    fi
    if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why"; fi
done

# --- shell tests --------------------------------------------------------
for t in "$here"/sh/*.sh; do
    [ -f "$t" ] || continue
    name=sh/$(basename "$t" .sh)
    matches "$name" || continue
    mkdir -p "$scratch/sh"
    if (cd "$scratch/sh" && TESTS_DIR=$here sh "$t") > "$scratch/sh.out" 2>&1; then
        pass "$name"
    else
        fail "$name" "$(tail -20 "$scratch/sh.out")"
    fi
    rm -rf "$scratch/sh"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
