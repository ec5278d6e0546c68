# Every example in the man pages runs: the lines that start with "$ "
# inside .EX/.EE blocks, in a scratch copy of examples/, tools on PATH.
# Each must exit 0 (what --stats or --rejects say on stderr is expected).
set -u
top=$(cd "$TESTS_DIR/.." && pwd)
work=$(pwd)/examples
cp -R "$top/examples" "$work"
ln -s "$top/tests" "$(pwd)/tests" # examples may read ../tests/fixtures
failed=0
count=0
for page in "$top"/man/*.[17]; do
    awk '/^\.EX/ {inside = 1; next} /^\.EE/ {inside = 0; next} inside && /^\$ / {print substr($0, 3)}' "$page" |
        sed 's/\\e/\\/g; s/\\-/-/g' > "$work/.examples"
    while IFS= read -r example; do
        count=$((count + 1))
        (cd "$work" && sh -c "$example" > "$work/.out" 2> "$work/.err" < /dev/null)
        status=$?
        if [ "$status" -ne 0 ]; then
            echo "FAIL $(basename "$page"): $example (exit status $status)"
            sed 's/^/    /' "$work/.err" | head -5
            failed=$((failed + 1))
        fi
    done < "$work/.examples"
done
echo "$count man page examples run, $failed failed"
[ "$count" -gt 0 ] && [ "$failed" -eq 0 ]
