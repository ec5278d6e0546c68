# Every example in the man pages and README runs, and prints what it shows.
#
# How a man page marks an example (inside .EX/.EE):
#   - a line that starts with "$ " is a command, run with bash -o pipefail
#     in a scratch copy of examples/ (tools on PATH, ../tests reachable), so
#     a failing stage anywhere in a pipeline fails the example;
#   - the lines after it, up to the next "$ " line or .EE, are its shown
#     output: exactly what the command writes on standard output and
#     standard error together, as a terminal shows them.  A command with
#     no lines after it shows no output, and only its exit status is
#     checked (its output goes to a file, or the page does not show it);
#   - roff escapes are undone before running and comparing: \e is a
#     backslash, \- a minus, \(aq a quote, \& nothing (the page writes \&
#     before an output line that starts with "." or "'").
# .EX blocks without a "$ " line (formats, messages) are not examples.
# README.md marks its examples the same way in ```console blocks (no
# escapes), run from a scratch directory that holds a copy of examples/.
# Examples of one page run in order in one directory, so a later example
# may read a file an earlier one wrote.
# Exit status 0 is expected: what --stats or --rejects say on stderr is
# part of the shown output.
set -u
top=$(cd "$TESTS_DIR/.." && pwd)
scratch=$(pwd)
failed=0
count=0
compared=0

# run_examples NAME DIR: the examples of $scratch/.examples ("C command"
# and "O output line" records), in DIR
run_examples() {
    rm -f "$scratch"/.ex.*
    awk -v dir="$scratch" '
        /^C/ {n++; f = sprintf("%s/.ex.%03d", dir, n); print substr($0, 2) > (f ".cmd"); close(f ".cmd"); next}
        /^O/ {f = sprintf("%s/.ex.%03d", dir, n); print substr($0, 2) >> (f ".want")}' "$scratch/.examples"
    for cmdfile in "$scratch"/.ex.*.cmd; do
        [ -f "$cmdfile" ] || continue
        count=$((count + 1))
        example=$(cat "$cmdfile")
        want=${cmdfile%.cmd}.want
        (cd "$2" && bash -o pipefail -c "$example" > "$scratch/.got" 2>&1 < /dev/null)
        status=$?
        if [ "$status" -ne 0 ]; then
            echo "FAIL $1: $example (exit status $status)"
            sed 's/^/    /' "$scratch/.got" | head -5
            failed=$((failed + 1))
        elif [ -f "$want" ]; then
            compared=$((compared + 1))
            if ! cmp -s "$want" "$scratch/.got"; then
                echo "FAIL $1: $example (output differs from what it shows: < shown, > real)"
                diff "$want" "$scratch/.got" | head -10 | sed 's/^/    /'
                failed=$((failed + 1))
            fi
        fi
    done
}

# a fresh copy of examples/ in $scratch/run/examples for each page
fresh_examples() {
    rm -rf "$scratch/run"
    mkdir "$scratch/run"
    cp -R "$top/examples" "$scratch/run/examples"
    ln -s "$top/tests" "$scratch/run/tests" # examples may read ../tests/fixtures
}

for page in "$top"/man/*.[17]; do
    fresh_examples
    awk '/^\.EX/ {inside = 1; cmd = 0; next}
         /^\.EE/ {inside = 0; next}
         inside && /^\$ / {print "C" substr($0, 3); cmd = 1; next}
         inside && cmd {print "O" $0}' "$page" |
        sed 's/\\e/\\/g; s/\\-/-/g; s/\\(aq/'"'"'/g; s/\\&//g' > "$scratch/.examples"
    run_examples "$(basename "$page")" "$scratch/run/examples"
done

fresh_examples
awk '/^```console/ {inside = 1; cmd = 0; next}
     /^```/ {inside = 0; next}
     inside && /^\$ / {print "C" substr($0, 3); cmd = 1; next}
     inside && cmd {print "O" $0}' "$top/README.md" > "$scratch/.examples"
run_examples README.md "$scratch/run"

echo "$count examples run, $compared outputs compared, $failed failed"
[ "$count" -gt 0 ] && [ "$compared" -gt 0 ] && [ "$failed" -eq 0 ]
