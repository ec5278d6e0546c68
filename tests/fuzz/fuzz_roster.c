/* fuzz_roster.c - the roster reader (CSV: user_id, tz, dates, columns).
 * Bad data ends the program through gp_data_die: caught, not a finding. */
#include "fuzz.h"
#include "roster.h"

static void load(void *path)
{
    gp_roster *r = gp_roster_load(path);
    static const char *const cols[] = {"tz", "role", "hire_date", "team"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) (void)gp_roster_column(r, cols[i]);
    gp_str none = {NULL, 0}, user = {"u1", 2};
    (void)gp_roster_find(r, none, user);
    (void)gp_roster_count(r);
    gp_roster_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_guarded(load, (void *)fuzz_input_file(data, size));
    return 0;
}
