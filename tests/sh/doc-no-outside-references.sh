# The project cites itself: code comments, tests and docs point to gpulse(7)
# and the man pages, never to a file outside the repository (a clone has
# none of them: no design notes, no shared schema folder).
set -u
top=$(cd "$TESTS_DIR/.." && pwd)
found=$(cd "$top" && grep -rnI -E 'DESIGN\.md|\.\./shared/|/work/shared|genesys-schema-fragments' \
    --exclude-dir=.git --exclude-dir=build --exclude-dir=bin --exclude-dir=node_modules \
    --exclude=doc-no-outside-references.sh . )
if [ -n "$found" ]; then
    echo "references to files outside the repository:"
    printf '%s\n' "$found"
    exit 1
fi
exit 0
