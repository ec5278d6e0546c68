# Every example in the man pages runs, and prints what the page shows.
#
# How a page marks an example (inside .EX/.EE):
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
# Examples of one page run in order in one directory, so a later example
# may read a file an earlier one wrote.
# Exit status 0 is expected: what --stats or --rejects say on stderr is
# part of the shown output.
set -u
top=$(cd "$TESTS_DIR/.." && pwd)
scratch=$(pwd)
ln -s "$top/tests" "$scratch/tests" # examples may read ../tests/fixtures
failed=0
count=0
compared=0
for page in "$top"/man/*.[17]; do
    name=$(basename "$page")
    work=$scratch/examples
    rm -rf "$work"
    cp -R "$top/examples" "$work"
    # one record per example: "C command" then "O output line"s
    awk '/^\.EX/ {inside = 1; cmd = 0; next}
         /^\.EE/ {inside = 0; next}
         inside && /^\$ / {print "C" substr($0, 3); cmd = 1; next}
         inside && cmd {print "O" $0}' "$page" |
        sed 's/\\e/\\/g; s/\\-/-/g; s/\\(aq/'"'"'/g; s/\\&//g' > "$scratch/.examples"
    # split into one command file and one expected-output file per example
    rm -f "$scratch"/.ex.*
    awk -v dir="$scratch" '
        /^C/ {n++; f = sprintf("%s/.ex.%03d", dir, n); print substr($0, 2) > (f ".cmd"); close(f ".cmd"); next}
        /^O/ {f = sprintf("%s/.ex.%03d", dir, n); print substr($0, 2) >> (f ".want")}' "$scratch/.examples"
    for cmdfile in "$scratch"/.ex.*.cmd; do
        [ -f "$cmdfile" ] || continue
        count=$((count + 1))
        example=$(cat "$cmdfile")
        want=${cmdfile%.cmd}.want
        (cd "$work" && bash -o pipefail -c "$example" > "$scratch/.got" 2>&1 < /dev/null)
        status=$?
        if [ "$status" -ne 0 ]; then
            echo "FAIL $name: $example (exit status $status)"
            sed 's/^/    /' "$scratch/.got" | head -5
            failed=$((failed + 1))
        elif [ -f "$want" ]; then
            compared=$((compared + 1))
            if ! cmp -s "$want" "$scratch/.got"; then
                echo "FAIL $name: $example (output differs from the page: < page, > real)"
                diff "$want" "$scratch/.got" | head -10 | sed 's/^/    /'
                failed=$((failed + 1))
            fi
        fi
    done
done
echo "$count man page examples run, $compared outputs compared, $failed failed"
[ "$count" -gt 0 ] && [ "$compared" -gt 0 ] && [ "$failed" -eq 0 ]
