#define _GNU_SOURCE	/* vasprintf */
#include "core/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "util/i18n.h"
#include "util/hash.h"

static const char genesis[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

/* The hashed text: fields separated by NUL bytes, which none may hold, so
 * no two different rows hash the same text.  Returns -1 if hashing failed. */
static int row_hash(const char *prev, long long seq, const char *at, const char *user,
		    const char *action, const char *summary, char out[65])
{
	struct hash_sha256 h;
	char num[24];

	snprintf(num, sizeof(num), "%lld", seq);
	if (hash_init(&h) < 0)
		return -1;
	hash_update(&h, prev, strlen(prev) + 1);
	hash_update(&h, num, strlen(num) + 1);
	hash_update(&h, at, strlen(at) + 1);
	hash_update(&h, user, strlen(user) + 1);
	hash_update(&h, action, strlen(action) + 1);
	hash_update(&h, summary, strlen(summary) + 1);
	return hash_final_hex(&h, out);
}

int audit_append(sqlite3 *db, const char *action, const char *summary, struct zj_error *err)
{
	sqlite3_stmt *st;
	char prev[65], hash[65], now[21], count[24];
	long long seq = 1;
	int rc;

	memcpy(prev, genesis, sizeof(prev));
	if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot write the audit log"));
	if (sqlite3_step(st) == SQLITE_ROW) {
		seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	store_now(now);
	if (row_hash(prev, seq, now, store_user(), action, summary, hash) < 0)
		return zj_err(err, "%s", _("SHA-256 failed"));
	if (sqlite3_prepare_v2(db, "INSERT INTO audit (seq, at, user, action, summary, prev, hash)"
			       " VALUES (?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot write the audit log"));
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, store_user(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(db, err, _("cannot write the audit log"));
	snprintf(count, sizeof(count), "%lld", seq);
	if (store_meta_set(db, "audit.head", hash, err) < 0 || store_meta_set(db, "audit.count", count, err) < 0)
		return -1;
	return 0;
}

int audit_appendf(sqlite3 *db, struct zj_error *err, const char *action, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int rc;

	/* The C library's printf, not sqlite3_mprintf: callers use the
	 * usual conversions (%zu among them), which SQLite's lacks. */
	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return zj_err(err, "%s", _("out of memory"));
	rc = audit_append(db, action, s, err);
	free(s);
	return rc;
}

int audit_list(sqlite3 *db, long long limit, audit_row_fn fn, void *ctx, struct zj_error *err)
{
	sqlite3_stmt *st;
	int step;

	if (sqlite3_prepare_v2(db, "SELECT seq, at, user, action, summary, hash FROM audit"
			       " WHERE seq > (SELECT coalesce(max(seq), 0) FROM audit) - ?1 OR ?1 = 0"
			       " ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the audit log"));
	sqlite3_bind_int64(st, 1, limit);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_row r = {
			sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5),
		};

		if (fn(ctx, &r) < 0)
			break;
	}
	sqlite3_finalize(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : store_error(db, err, _("cannot read the audit log"));
}

int audit_verify(sqlite3 *db, long long *count, char head[65], struct zj_error *err)
{
	sqlite3_stmt *st;
	char prev[65], want[65];
	long long expect = 1;
	char *meta_head, *meta_count;
	int step, broken = 0;

	memcpy(prev, genesis, sizeof(prev));
	*count = 0;
	if (sqlite3_prepare_v2(db, "SELECT seq, at, user, action, summary, prev, hash FROM audit ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the audit log"));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		const char *f[6];

		for (int i = 0; i < 6; i++) {
			f[i] = (const char *)sqlite3_column_text(st, i + 1);
			if (!f[i])
				f[i] = "";
		}
		if (seq != expect) {
			zj_err(err, _("audit log broken: entry %lld is missing (the next is %lld)"), expect, seq);
			broken = 1;
			break;
		}
		if (strcmp(f[4], prev)) {
			zj_err(err, _("audit log broken at entry %lld: it does not follow entry %lld"), seq, seq - 1);
			broken = 1;
			break;
		}
		if (row_hash(prev, seq, f[0], f[1], f[2], f[3], want) < 0) {
			sqlite3_finalize(st);
			return zj_err(err, "%s", _("SHA-256 failed"));
		}
		if (strcmp(want, f[5])) {
			zj_err(err, _("audit log broken at entry %lld: its content was changed after it was written"), seq);
			broken = 1;
			break;
		}
		memcpy(prev, want, sizeof(prev));
		expect++;
		(*count)++;
	}
	sqlite3_finalize(st);
	if (!broken && step != SQLITE_DONE)
		return store_error(db, err, _("cannot read the audit log"));
	if (broken)
		return 1;
	meta_head = store_meta_get(db, "audit.head");
	meta_count = store_meta_get(db, "audit.count");
	if ((meta_count && atoll(meta_count) != *count) || (meta_head && strcmp(meta_head, prev)) ||
	    (*count && (!meta_head || !meta_count))) {
		zj_err(err, _("audit log broken: it ends at entry %lld, but %s entries were recorded (the newest were removed)"),
		       *count, meta_count ? meta_count : "?");
		broken = 1;
	}
	free(meta_head);
	free(meta_count);
	memcpy(head, prev, 65);
	return broken;
}
