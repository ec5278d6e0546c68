/* fuzz_gfetch_map.c - gfetch's response mapping: an API answer (details
 * page, aggregates, users page: the first byte picks which) through the
 * built-in jq mapping, the segment checks, the batch (sort, dedupe, cut)
 * and the writer. */
#include "fuzz.h"
#include "map.h"

#include <jq.h>

static int drop(void *ctx, jv out, char *err, size_t errlen)
{
    (void)ctx;
    (void)err;
    (void)errlen;
    jv_free(out);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gm_program *programs[3];
    static const char *const names[] = {"details", "aggregates", "users"};
    if (!programs[0]) {
        gp_init("fuzz");
        programs[0] = gm_compile(names[0], gm_details_jq);
        programs[1] = gm_compile(names[1], gm_aggregates_jq);
        programs[2] = gm_compile(names[2], gm_users_jq);
    }
    if (size < 1 || size > (1 << 20)) return 0;
    int which = data[0] % 3;
    jv answer = jv_parse_sized((const char *)data + 1, (int)(size - 1));
    if (!jv_is_valid(answer)) {
        jv_free(answer);
        return 0;
    }
    char err[1024];
    if (which == 2) {
        (void)gm_run(programs[2], answer, drop, NULL, err, sizeof err);
        return 0;
    }
    gs_batch batch = {0};
    if (gm_run(programs[which], answer, gm_add_segment, &batch, err, sizeof err) == 0) {
        gs_finish_options o = {GP_TIME_NONE, GP_TIME_NONE, false, which == 0};
        gs_batch_finish(&batch, &o);
        gs_writer w, c;
        gs_writer_init(&w, fuzz_null_output(), GP_FMT_JSON, which == 1, NULL);
        gs_write_batch(&w, &batch);
        gs_writer_init(&c, fuzz_null_output(), GP_FMT_CSV, which == 1, "o");
        gs_write_batch(&c, &batch);
        fuzz_null_output()->len = 0;
    }
    gs_batch_free(&batch);
    return 0;
}
