/*
 * audit.h: the workspace's audit log — who changed what, and when.
 *
 * Every change a user makes (init, import, score, answers and overrides,
 * rectifications, reports, merges) appends one row in the same transaction
 * as the change itself: time, OS user, an action word and a summary.  Each
 * row's hash is SHA-256 over the previous row's hash and its own fields, so
 * a row changed or deleted behind the tool's back breaks the chain; the
 * head (last hash and count) is also kept in meta, which catches the newest
 * rows being cut off, and reports print it so the level above can hold the
 * workspace to it.
 */
#ifndef ZJ_AUDIT_H
#define ZJ_AUDIT_H

#include <sqlite3.h>

#include "util/err.h"

/* Appends a row inside the caller's transaction. */
int audit_append(sqlite3 *db, const char *action, const char *summary, struct zj_error *err);
int audit_appendf(sqlite3 *db, struct zj_error *err, const char *action, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct audit_row {
	long long seq;
	const char *at, *user, *action, *summary, *hash;
};
typedef int (*audit_row_fn)(void *ctx, const struct audit_row *r);
/* The newest `limit` rows (0: all), oldest first. */
int audit_list(sqlite3 *db, long long limit, audit_row_fn fn, void *ctx, struct zj_error *err);

/* Checks the whole chain.  Returns 0 if intact (count and head filled; head
 * is 64 hex digits, or 64 zeros for an empty log), 1 if broken (err says at
 * which entry and how), -1 if it could not be read. */
int audit_verify(sqlite3 *db, long long *count, char head[65], struct zj_error *err);

#endif
