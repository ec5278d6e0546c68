# Sourced by the memory tests (gshift-spill.sh, goccupy-bounded-memory.sh).
# ASan keeps freed memory in quarantine: under the sanitizers, that would
# be counted as the tool's own peak RSS.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
export ASAN_OPTIONS
# the tools' temporary files go here, so a test can see none is left
TMPDIR=$PWD/tmp
export TMPDIR
mkdir -p "$TMPDIR"
