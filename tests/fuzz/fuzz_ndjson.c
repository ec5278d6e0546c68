/* fuzz_ndjson.c - the NDJSON reader, field decoding, segment reading and
 * the writers (NDJSON pass-through with an edit, conversion to CSV). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_records(data, size, GP_FMT_JSON);
    fuzz_read_records(data, size, GP_FMT_AUTO);
    return 0;
}
