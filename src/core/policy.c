#include "core/policy.h"

#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "util/i18n.h"
#include "util/strbuf.h"

/* The one type every rule in idx[0..n) has, or -1. */
static int common_type(const struct checklist *cl, const size_t *idx, size_t n)
{
	int t = -2;

	for (size_t i = 0; i < n; i++) {
		int rt = cl->rules[idx[i]].type;

		if (t == -2)
			t = rt;
		else if (t != rt)
			return -1;
	}
	return t < 0 ? -1 : t;
}

int policy_rect_type(const struct checklist *cl, const char *target, const char *rule,
		     const char *item, int article, int inventory)
{
	size_t *idx, n = 0;
	int t;

	if (rule) {
		int r = checklist_rule_index(cl, rule);

		return r >= 0 ? cl->rules[r].type : -1;
	}
	if (target && !strcmp(target, "item")) {
		const struct cl_item *it = item ? checklist_item(cl, item) : NULL;

		return it && it->nrules ? common_type(cl, it->rules, it->nrules) : -1;
	}
	if (!(idx = calloc(cl->nrules + 1, sizeof(*idx))))
		return -1;
	for (size_t r = 0; r < cl->nrules; r++)
		if (cl->rules[r].article == article && (inventory < 0 || (int)cl->rules[r].inv == inventory))
			idx[n++] = r;
	t = n ? common_type(cl, idx, n) : -1;
	free(idx);
	return t;
}

int policy_type_of(const char *key)
{
	int t = key ? problem_type_parse(key) : -1;

	return t < 0 ? PT_COUNT : t;
}

int policy_by_type(sqlite3 *db, const struct checklist *cl, const char *today, int count_subjects,
		   struct type_count out[PT_COUNT + 1], struct zj_error *err)
{
	unsigned long long mask[PT_COUNT + 1][INV_COUNT];
	sqlite3_stmt *st = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out) * (PT_COUNT + 1));
	memset(mask, 0, sizeof(mask));
	if (sqlite3_prepare_v2(db, "SELECT type, inventory, bit, violated, unknown FROM rules", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int t = policy_type_of((const char *)sqlite3_column_text(st, 0));
		int k = sqlite3_column_int(st, 1), bit = sqlite3_column_int(st, 2);

		out[t].violated += sqlite3_column_int64(st, 3);
		out[t].unknown += sqlite3_column_int64(st, 4);
		if (k >= 0 && k < INV_COUNT && bit >= 0 && bit < 64)
			mask[t][k] |= 1ull << bit;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* Subjects per type: one pass over the findings, a row per subject. */
	if (count_subjects) {
		if (sqlite3_prepare_v2(db, "SELECT inventory, violated FROM findings WHERE violated <> 0", -1, &st,
				       NULL) != SQLITE_OK)
			goto sqlfail;
		while (sqlite3_step(st) == SQLITE_ROW) {
			int k = sqlite3_column_int(st, 0);
			unsigned long long v = (unsigned long long)sqlite3_column_int64(st, 1);

			if (k < 0 || k >= INV_COUNT)
				continue;
			for (int t = 0; t <= PT_COUNT; t++)
				out[t].subjects += (v & mask[t][k]) != 0;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (sqlite3_prepare_v2(db, "SELECT target, rule, item, article, inventory, status IN ('pending', 'in_progress'),"
			       " ?1 IS NOT NULL AND deadline < ?1 AND status IN ('pending', 'in_progress')"
			       " FROM rectifications", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int t = policy_rect_type(cl, (const char *)sqlite3_column_text(st, 0),
					 (const char *)sqlite3_column_text(st, 1),
					 (const char *)sqlite3_column_text(st, 2), sqlite3_column_int(st, 3),
					 sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 4));

		if (t < 0)
			t = PT_COUNT;
		out[t].rectifications++;
		out[t].open += sqlite3_column_int(st, 5);
		out[t].overdue += sqlite3_column_int(st, 6);
	}
	rc = 0;
	goto out;
sqlfail:
	store_error(db, err, _("cannot count the findings by type"));
out:
	sqlite3_finalize(st);
	return rc;
}

int policy_zombies(sqlite3 *db, long long limit, zombie_fn fn, void *ctx, long long *total,
		   struct zj_error *err)
{
	unsigned long long mask[INV_COUNT] = { 0 };
	struct { char *title; int inv, bit; } rules[64 * INV_COUNT];
	size_t nr = 0;
	sqlite3_stmt *st = NULL;
	long long shown = 0;
	int rc = -1;

	if (total)
		*total = 0;
	if (sqlite3_prepare_v2(db, "SELECT inventory, bit, title FROM rules WHERE zombie = 1 ORDER BY inventory, bit",
			       -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	while (sqlite3_step(st) == SQLITE_ROW && nr < sizeof(rules) / sizeof(rules[0])) {
		int k = sqlite3_column_int(st, 0), bit = sqlite3_column_int(st, 1);
		const char *t = (const char *)sqlite3_column_text(st, 2);

		if (k < 0 || k >= INV_COUNT || bit < 0 || bit > 63)
			continue;
		mask[k] |= 1ull << bit;
		rules[nr].title = strdup(t ? t : "");
		rules[nr].inv = k;
		rules[nr].bit = bit;
		nr++;
	}
	sqlite3_finalize(st);
	st = NULL;
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		int apps = k == INV_APPS;
		char *sql;
		int step, zero;

		if (!mask[k])
			continue;
		/* Only the rows listed are read and sorted (SQLite keeps the
		 * first `limit` of the order, not all of them); the total is a
		 * count of its own.  Reading every subject of the list to count
		 * it was a tenth of a large report's problem list. */
		if (!fn || (limit && shown >= limit))
			goto count;
		/* Apps come fewest monthly users first, and no count is below
		 * 0 (COL_INT): when `limit` of them have none, they are the
		 * first of the order, found in subject order as the findings
		 * are stored, and the scan stops there rather than looking up
		 * the users of every app of the list (86,000 of a million). */
		zero = 0;
		if (apps && limit) {
			char *q = sqlite3_mprintf("SELECT count(*) FROM (SELECT 1 FROM findings f JOIN %s i ON i.rowid = f.subject"
						  " WHERE f.inventory = %d AND (f.violated & %lld) <> 0"
						  " AND i.monthly_active_users = 0 ORDER BY f.subject LIMIT %lld)",
						  inv->table, k, (long long)mask[k], limit - shown);

			zero = q && store_scalar(db, q) == limit - shown;
			sqlite3_free(q);
		}
		sql = sqlite3_mprintf("SELECT i.id, i.name, i.host_unit, i.status, %s, f.violated"
				      " FROM findings f JOIN %s i ON i.rowid = f.subject"
				      " WHERE f.inventory = %d AND (f.violated & %lld) <> 0%s ORDER BY %s f.subject"
				      " LIMIT %lld",
				      apps ? "i.audience, i.last_updated_on, i.monthly_active_users, i.registered_users"
					   : "NULL, NULL, NULL, NULL",
				      inv->table, k, (long long)mask[k], zero ? " AND i.monthly_active_users = 0" : "",
				      apps && !zero ? "i.monthly_active_users IS NULL, i.monthly_active_users," : "",
				      limit ? limit - shown : -1LL);
		if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			sqlite3_free(sql);
			goto sqlfail;
		}
		sqlite3_free(sql);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			unsigned long long v = (unsigned long long)sqlite3_column_int64(st, 8);
			struct strbuf titles = { 0 };
			struct zombie_row z = {
				.inv = (enum inv_kind)k,
				.id = (const char *)sqlite3_column_text(st, 0),
				.name = (const char *)sqlite3_column_text(st, 1),
				.host_unit = (const char *)sqlite3_column_text(st, 2),
				.status = (const char *)sqlite3_column_text(st, 3),
				.audience = (const char *)sqlite3_column_text(st, 4),
				.last_updated_on = (const char *)sqlite3_column_text(st, 5),
				.monthly_active_users = sqlite3_column_type(st, 6) == SQLITE_NULL ? -1
							: sqlite3_column_int64(st, 6),
				.registered_users = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1
						    : sqlite3_column_int64(st, 7),
			};
			int stop;

			for (size_t r = 0; r < nr; r++)
				if (rules[r].inv == k && (v >> rules[r].bit) & 1)
					sb_addf(&titles, "%s%s", titles.len ? "、" : "", rules[r].title);
			z.rules = titles.p ? titles.p : "";
			stop = fn(ctx, &z);
			sb_release(&titles);
			shown++;
			if (stop) {
				sqlite3_finalize(st);
				st = NULL;
				goto out;
			}
		}
		if (step != SQLITE_DONE)
			goto sqlfail;
		sqlite3_finalize(st);
		st = NULL;
count:
		if (total) {
			/* The total of this inventory, whether or not all were shown. */
			char *q = sqlite3_mprintf("SELECT count(*) FROM findings WHERE inventory = %d AND (violated & %lld) <> 0",
						  k, (long long)mask[k]);
			long long n = q ? store_scalar(db, q) : -1;

			sqlite3_free(q);
			if (n > 0)
				*total += n;
		}
	}
	rc = 0;
	goto out;
sqlfail:
	store_error(db, err, _("cannot read the zombie list"));
out:
	sqlite3_finalize(st);
	for (size_t r = 0; r < nr; r++)
		free(rules[r].title);
	return rc;
}
