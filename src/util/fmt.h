/*
 * fmt.h: numbers for people, the same on the terminal, in the TUI and in the
 * PDF report.  Each writes into the caller's buffer and returns it (or a
 * static string), so it can stand inside a printf argument list.
 */
#ifndef ZJ_FMT_H
#define ZJ_FMT_H

#define FMT_SCORE_SIZE 16
#define FMT_COUNT_SIZE 32

/* A score or a mean of scores, one decimal: "87.5"; "—" when there is no
 * score (score < 0). */
const char *fmt_score(double score, char buf[FMT_SCORE_SIZE]);

/* A whole number with thousands separators: "1,234,567", "-1,000"; every
 * long long, LLONG_MIN included. */
const char *fmt_count(long long n, char buf[FMT_COUNT_SIZE]);

#endif
