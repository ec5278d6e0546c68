/* roster.h - the agent roster (gpulse(7), ROSTER): who is in which role, in
 * which time zone, back from leave when.
 *
 * The roster is CSV: user_id,name,role,tz,hire_date,returned_on,org, every
 * column but user_id optional, other columns kept as they are.  An agent
 * in several roles has them joined with '+' in one row, or appears on
 * several rows; either way its role is the sorted, '+'-joined set of its
 * roles (its cohort).  Rows of one agent (same org and user_id) merge:
 * roles add up, returned_on keeps the latest date, hire_date the earliest,
 * other columns the first non-empty value; two different time zones for
 * one agent are an error. */
#ifndef GPULSE_ROSTER_H
#define GPULSE_ROSTER_H

#include "gpulse.h"

#define GP_DATE_NONE INT64_MIN

typedef struct gp_roster_agent {
    char *user_id;
    char *org;          /* "" when the roster has no org for the agent */
    char **values;      /* one per roster column ("" when empty); role merged */
    int nvalues;
    const char *tz;     /* the tz value, "" when none */
    int64_t returned_on; /* days since 1970-01-01, or GP_DATE_NONE */
    int64_t hire_date;   /* days since 1970-01-01, or GP_DATE_NONE */
} gp_roster_agent;

typedef struct gp_roster gp_roster;

/* Read the roster at PATH; data errors stop the tool with file:line. */
gp_roster *gp_roster_load(const char *path);
/* The agent with this user_id: one whose org equals ORG, else one listed
 * without an org; NULL when there is none. */
const gp_roster_agent *gp_roster_find(const gp_roster *r, gp_str org, gp_str user_id);
/* Index of a column by name (aliases such as userId understood), or -1. */
int gp_roster_column(const gp_roster *r, const char *name);
/* Value of column COL for agent A ("" when A is NULL or COL is -1). */
const char *gp_roster_value(const gp_roster_agent *a, int col);
size_t gp_roster_count(const gp_roster *r);
/* A roster without a tz column (gfetch users writes none) leaves every
 * agent's days in ZONE (--tz, or UTC when ZONE is NULL): say so once on
 * stderr, "PATH has no tz column: WHAT in ZONE", since a day label that
 * silently follows UTC looks right and is not.  Nothing when R is NULL or
 * has the column. */
void gp_roster_warn_no_tz(const gp_roster *r, const char *path, const char *zone, const char *what);
void gp_roster_free(gp_roster *r);

/* The sorted, '+'-joined set of the '+'-separated roles in the NUL-
 * terminated strings A and B ("tier2-email+tier1-voice" and "tier1-voice"
 * -> "tier1-voice+tier2-email"), duplicates and empty parts dropped.
 * Returns a new string. */
char *gp_roles_merge(const char *a, const char *b);

#endif
