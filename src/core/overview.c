#include "core/overview.h"

#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "util/i18n.h"

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

/* Rows and the last import of one inventory. */
static int load_inventory(sqlite3 *db, enum inv_kind k, struct overview_inv *o, struct zj_error *err)
{
	const struct inventory *inv = inventory_get(k);
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT (SELECT count(*) FROM %s), file, at FROM (SELECT 1)"
				    " LEFT JOIN (SELECT file, at FROM imports WHERE inventory = ?1 AND rows IS NOT NULL"
				    " ORDER BY batch DESC LIMIT 1) ON 1", inv->table);
	int rc;

	if (!sql)
		return zj_err(err, "%s", _("out of memory"));
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return store_error(db, err, _("cannot read the inventories"));
	sqlite3_bind_text(st, 1, inv->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->rows = sqlite3_column_int64(st, 0);
		o->last_file = col_dup(st, 1);
		o->last_at = col_dup(st, 2);
		if ((!o->last_file && sqlite3_column_type(st, 1) != SQLITE_NULL) ||
		    (!o->last_at && sqlite3_column_type(st, 2) != SQLITE_NULL)) {
			sqlite3_finalize(st);
			return zj_err(err, "%s", _("out of memory"));
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(db, err, _("cannot read the inventories"));
}

static int load_severities(sqlite3 *db, struct overview *ov, struct zj_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT severity, sum(violated), sum(unknown) FROM rules GROUP BY severity",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the rules"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int s = severity_parse((const char *)sqlite3_column_text(st, 0));

		if (s >= 0) {
			ov->violated[s] = sqlite3_column_int64(st, 1);
			ov->unknown[s] = sqlite3_column_int64(st, 2);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(db, err, _("cannot read the rules"));
}

int overview_load(sqlite3 *db, const char *overdue_date, size_t ndue, struct overview *ov,
		  struct zj_error *err)
{
	memset(ov, 0, sizeof(*ov));
	for (int k = 0; k < INV_COUNT; k++)
		if (load_inventory(db, (enum inv_kind)k, &ov->inv[k], err) < 0)
			goto fail;
	if (score_freshness_load(db, &ov->score, err) < 0 || load_severities(db, ov, err) < 0 ||
	    rectify_counts(db, overdue_date, &ov->ledger, err) < 0 ||
	    rectify_due(db, overdue_date, ndue, &ov->due, &ov->ndue, err) < 0)
		goto fail;
	return 0;
fail:
	overview_release(ov);
	return -1;
}

void overview_release(struct overview *ov)
{
	for (int k = 0; k < INV_COUNT; k++) {
		free(ov->inv[k].last_file);
		free(ov->inv[k].last_at);
	}
	score_freshness_release(&ov->score);
	rect_due_free(ov->due, ov->ndue);
	memset(ov, 0, sizeof(*ov));
}
