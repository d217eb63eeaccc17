/*
 * err.h: the error value library code fills in.
 *
 * Library code (core/, util/, report/, sign/) never prints and never exits:
 * it returns -1 (or NULL) and leaves a message in a caller-owned struct
 * zj_error.  Messages follow git's form, lowercase, no full stop, the subject
 * in quotes: "apps.csv:14: column '月活跃用户数': 'abc' is not a whole number".
 * Only src/cmd/ and the TUI print them and decide the exit status.
 */
#ifndef ZJ_ERR_H
#define ZJ_ERR_H

#include <stddef.h>

#define ZJ_ERROR_MAX 1024

struct zj_error {
	char msg[ZJ_ERROR_MAX];
};

/* Formats into err (err may be NULL) and returns -1, so callers can write
 * `return zj_err(err, "...")`. */
int zj_err(struct zj_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefixes an existing message: "PREFIX: old message". Returns -1. */
int zj_err_prefix(struct zj_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
