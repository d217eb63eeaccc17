/*
 * when.h: today's date and the times people read.
 *
 * Scores are reproducible against the workspace's as-of date; deadlines are
 * judged against today (DESIGN.md "Ledger and levels").  Today is the local
 * date unless ZHIJIAN_TODAY pins it (main.c sets it from the global option
 * --today), so a test or a report that must be reproducible can fix it.
 *
 * Times are stored in UTC ("2026-06-30T08:00:00Z", store_now()); people read
 * them in local time (TZ) with the zone: "2026-06-30 16:00:00 +0800".
 */
#ifndef ZJ_WHEN_H
#define ZJ_WHEN_H

#include <stddef.h>

#define WHEN_DATE_SIZE 11
#define WHEN_TIME_SIZE 32

/* "YYYY-MM-DD" of today into out.  Returns 1 when ZHIJIAN_TODAY pinned it,
 * 0 for the clock, -1 when ZHIJIAN_TODAY is set but not a date (out then
 * holds the clock's date). */
int when_today(char out[WHEN_DATE_SIZE]);

/* Whether s is a calendar date written YYYY-MM-DD. */
int when_is_date(const char *s);

/* A stored UTC time ("…T…Z", or a signature's "2026-06-30 08:00:00 UTC")
 * in local time with the zone, into buf: with seconds
 * "2026-06-30 16:00:00 +0800", without "2026-06-30 16:00 +0800".  Text
 * that is not a stored time is copied as it is (NULL gives "").  Returns
 * buf. */
const char *when_local(const char *utc, int seconds, char buf[WHEN_TIME_SIZE]);

#endif
