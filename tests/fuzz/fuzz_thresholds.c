/* fuzz_thresholds.c - gbucket's saved thresholds reader (--thresholds, as
 * --thresholds-out writes it).  Bad data ends the program: caught. */
#include "fuzz.h"
#include "pools.h"

static void load(void *path)
{
    gp_pools_config config = {0};
    config.low = 25;
    config.high = 75;
    gp_pools *p = gp_pools_new(&config);
    gp_pools_load_thresholds(p, path);
    gp_pools_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_guarded(load, (void *)fuzz_input_file(data, size));
    return 0;
}
