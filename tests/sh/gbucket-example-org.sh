# End to end: the whole pipeline on the bundled example org gives the
# buckets checked by hand in tests/e2e/example-org/README.md.
set -eu
top=$(cd "$TESTS_DIR/.." && pwd)
expected=$TESTS_DIR/e2e/example-org/buckets.csv
gzip -dc "$top/examples/org.ndjson.gz" | gdedupe --sorted | gshift | goccupy |
    gbucket --roster "$top/examples/roster.csv" --csv > got.csv
diff "$expected" got.csv
# the same from CSV input: the format changes nothing
gzip -dc "$top/examples/org.ndjson.gz" | gdedupe --sorted --csv | gshift | goccupy |
    gbucket --roster "$top/examples/roster.csv" > got-from-csv.csv
diff "$expected" got-from-csv.csv
