/* fuzz_csv.c - the CSV reader (plain rows split in place, quoted rows
 * through libcsv), then the same checks and writers as fuzz_ndjson. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_records(data, size, GP_FMT_CSV);
    return 0;
}
