/* livein.h - glive's inputs: several files, FIFOs or standard input read
 * together with poll(2).  A line is handed out only when it is whole (or
 * is the unterminated last line of an input that ended); an input that
 * ends is closed while the others go on. */
#ifndef GPULSE_LIVEIN_H
#define GPULSE_LIVEIN_H

#include "gpulse.h"

typedef struct gp_livein gp_livein;

/* Open PATHS (N of them; "-" = standard input).  Dies with
 * "tool: PATH: strerror" when one cannot be opened. */
gp_livein *gp_livein_open(char **paths, int n);
int gp_livein_count(const gp_livein *in);
const char *gp_livein_name(const gp_livein *in, int i);

/* Wait at most TIMEOUT_MS (-1: until something happens) for the inputs
 * that have no whole line buffered, and read what is ready on them; returns
 * at once when none is left to wait for.  Lines peeked before are invalid
 * afterwards (peek them again). */
void gp_livein_wait(gp_livein *in, int timeout_ms);
/* The next whole line of input I, not consumed, with its line number; NULL
 * when none is buffered now. */
const char *gp_livein_peek(gp_livein *in, int i, size_t *len, long *lineno);
/* Consume the line last peeked on input I. */
void gp_livein_consume(gp_livein *in, int i);
/* True when input I has ended and every line of it has been consumed. */
bool gp_livein_done(const gp_livein *in, int i);
bool gp_livein_all_done(const gp_livein *in);
void gp_livein_close(gp_livein *in);

#endif
