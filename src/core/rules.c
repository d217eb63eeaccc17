#include "core/rules.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/scoring.h"
#include "core/similar.h"
#include "core/store.h"
#include "util/i18n.h"

#define MAX_RULES_PER_INVENTORY 63	/* bits of a findings mask */

/* ---- functions rule conditions may call ---- */

static long days_from_civil(int y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: days since 1970-01-01. */
	y -= m <= 2;
	{
		const int era = (y >= 0 ? y : y - 399) / 400;
		const unsigned yoe = (unsigned)(y - era * 400);
		const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		return (long)era * 146097 + (long)doe - 719468;
	}
}

/* 'YYYY-MM-DD' → days, or 0 with *ok = 0. */
static long iso_days(const unsigned char *s, int n, int *ok)
{
	int y, m, d;

	*ok = 0;
	if (!s || n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	*ok = 1;
	return days_from_civil(y, (unsigned)m, (unsigned)d);
}

static void fn_age_days(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	long *as_of = sqlite3_user_data(ctx);
	int ok;
	long d;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;	/* NULL: unknown */
	d = iso_days(sqlite3_value_text(argv[0]), sqlite3_value_bytes(argv[0]), &ok);
	if (ok)
		sqlite3_result_int64(ctx, *as_of - d);
}

static void fn_has_tag(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *list, *tag, *p;
	size_t tl;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	list = (const char *)sqlite3_value_text(argv[0]);
	tag = (const char *)sqlite3_value_text(argv[1]);
	tl = strlen(tag);
	for (p = list; p && *p;) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *s = p;

		while (n && *s == ' ')
			s++, n--;
		while (n && s[n - 1] == ' ')
			n--;
		if (n == tl && !memcmp(s, tag, tl)) {
			sqlite3_result_int(ctx, 1);
			return;
		}
		p = e ? e + 1 : NULL;
	}
	sqlite3_result_int(ctx, 0);
}

int rules_register_functions(sqlite3 *db, const char *as_of, struct zj_error *err)
{
	long *d = malloc(sizeof(*d));
	int ok;

	if (!d)
		return zj_err(err, "%s", _("out of memory"));
	*d = iso_days((const unsigned char *)as_of, (int)strlen(as_of), &ok);
	if (!ok) {
		free(d);
		return zj_err(err, _("'%s' is not an as-of date (YYYY-MM-DD)"), as_of);
	}
	if (sqlite3_create_function_v2(db, "age_days", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				       d, fn_age_days, NULL, NULL, free) != SQLITE_OK ||
	    sqlite3_create_function_v2(db, "has_tag", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				       NULL, fn_has_tag, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot register rule functions"));
	return 0;
}

/* ---- the authorizer ---- */

static const char *const allowed_functions[] = {
	"age_days", "has_tag", "coalesce", "ifnull", "nullif", "length", "lower", "upper",
	"trim", "ltrim", "rtrim", "instr", "substr", "substring", "abs", "min", "max", "iif",
	"like", "glob", "round", NULL,
};

struct guard {
	const struct inventory *inv;
	int allow_rowid;	/* our own scan reads rowid */
	int selects;
	unsigned long long reads;
	char why[256];		/* first refusal */
};

static int deny(struct guard *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int deny(struct guard *g, const char *fmt, ...)
{
	va_list ap;

	if (!g->why[0]) {
		va_start(ap, fmt);
		vsnprintf(g->why, sizeof(g->why), fmt, ap);
		va_end(ap);
	}
	return SQLITE_DENY;
}

static int authorize(void *ctx, int action, const char *a3, const char *a4,
		     const char *dbname, const char *trigger)
{
	struct guard *g = ctx;

	(void)dbname;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
		if (++g->selects > 1)
			return deny(g, "%s", _("uses a subquery"));
		return SQLITE_OK;
	case SQLITE_READ: {
		int c;

		if (!a3 || strcmp(a3, g->inv->table))
			return deny(g, _("reads table '%s'"), a3 ? a3 : "?");
		if (g->allow_rowid && a4 && !strcmp(a4, "rowid"))
			return SQLITE_OK;
		if (a4 && !*a4)
			return SQLITE_OK;	/* a constant: SQLite names no column */
		c = a4 ? inventory_find_column(g->inv, a4) : -1;
		if (c < 0 || strcmp(g->inv->cols[c].key, a4))
			return deny(g, _("reads column '%s', which is not an inventory column"), a4 ? a4 : "?");
		g->reads |= 1ull << c;
		return SQLITE_OK;
	}
	case SQLITE_FUNCTION:
		for (const char *const *f = allowed_functions; *f; f++)
			if (a4 && !strcasecmp(a4, *f))
				return SQLITE_OK;
		return deny(g, _("calls function '%s', which rules may not use"), a4 ? a4 : "?");
	case SQLITE_INSERT: case SQLITE_UPDATE: case SQLITE_DELETE:
		return deny(g, "%s", _("writes to the database"));
	case SQLITE_ATTACH: case SQLITE_DETACH:
		return deny(g, "%s", _("attaches a database"));
	case SQLITE_PRAGMA:
		return deny(g, _("runs PRAGMA '%s'"), a3 ? a3 : "?");
	default:
		return deny(g, "%s", _("does something other than read its inventory"));
	}
}

/* Compiles `SELECT (expr) FROM table` under the guard: exactly one result
 * column, no trailing statement, thresholds known. */
static int check_expr(sqlite3 *db, const struct checklist *cl, const struct cl_rule *r,
		      const char *key, const char *expr, int line,
		      unsigned long long *reads, struct zj_error *err)
{
	const struct inventory *inv = inventory_get(r->inv);
	struct guard g = { .inv = inv };
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	char *sql;
	int rc;

	sql = sqlite3_mprintf("SELECT (%s\n) FROM %s", expr, inv->table);
	if (!sql)
		return zj_err(err, "%s", _("out of memory"));
	sqlite3_set_authorizer(db, authorize, &g);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
	sqlite3_set_authorizer(db, NULL, NULL);
	if (rc != SQLITE_OK) {
		zj_err(err, _("%s:%d: rule %s: %s: %s"), cl->file, line, r->id, key,
		       g.why[0] ? g.why : sqlite3_errmsg(db));
		goto fail;
	}
	if ((tail && *tail) || sqlite3_column_count(st) != 1) {
		zj_err(err, _("%s:%d: rule %s: %s is not a single expression"), cl->file, line, r->id, key);
		goto fail;
	}
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);

		if (!name || name[0] != ':' || !checklist_threshold(cl, name + 1)) {
			zj_err(err, _("%s:%d: rule %s: %s uses '%s', which is not a threshold in [thresholds]"),
			       cl->file, line, r->id, key, name ? name : "?");
			goto fail;
		}
	}
	sqlite3_finalize(st);
	sqlite3_free(sql);
	*reads |= g.reads;
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return -1;
}

int rules_validate(const struct checklist *cl, unsigned long long *reads, struct zj_error *err)
{
	sqlite3 *db = NULL;
	int count[INV_COUNT] = { 0 };
	int rc = -1;

	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return zj_err(err, "%s", _("out of memory"));
	}
	/* The whole workspace schema, so a condition that reaches for another
	 * table is refused by the authorizer, not merely not found. */
	if (store_schema(db, err) < 0)
		goto out;
	if (rules_register_functions(db, "2000-01-01", err) < 0)
		goto out;
	for (size_t i = 0; i < cl->nrules; i++) {
		const struct cl_rule *r = &cl->rules[i];
		unsigned long long rd = 0;

		if (++count[r->inv] > MAX_RULES_PER_INVENTORY) {
			zj_err(err, _("%s:%d: rule %s: more than %d rules for inventory %s"), cl->file,
			       r->line, r->id, MAX_RULES_PER_INVENTORY, inventory_get(r->inv)->name);
			goto out;
		}
		if (r->method == RULE_SQL &&
		    check_expr(db, cl, r, "when", r->when, r->when_line, &rd, err) < 0)
			goto out;
		if (r->scope && check_expr(db, cl, r, "scope", r->scope, r->scope_line, &rd, err) < 0)
			goto out;
		if (r->method == RULE_SIMILAR_APPS) {
			const struct inventory *inv = inventory_get(INV_APPS);

			rd |= 1ull << inventory_find_column(inv, "name");
			rd |= 1ull << inventory_find_column(inv, "function_tags");
			rd |= 1ull << inventory_find_column(inv, "host_unit");
			if (!checklist_threshold(cl, "dup_name_similarity") ||
			    !checklist_threshold(cl, "dup_tag_jaccard")) {
				zj_err(err, _("%s:%d: rule %s: method similar-apps needs thresholds dup_name_similarity and dup_tag_jaccard"),
				       cl->file, r->line, r->id);
				goto out;
			}
		}
		if (reads)
			reads[i] = rd;
	}
	rc = 0;
out:
	sqlite3_close(db);
	return rc;
}

/* ---- evaluation ---- */

#define DEFAULT_SCOPE "status IS NULL OR status = '运行'"

struct dup {
	long long rowid, peer;
	int reasons;
};

struct dups {
	struct dup *v;
	size_t n, cap;
};

static int dup_emit(void *ctx, long long rowid, long long cluster, long long peer,
		    int reasons, size_t size)
{
	struct dups *d = ctx;

	(void)cluster;
	(void)size;
	if (d->n == d->cap) {
		size_t c = d->cap ? d->cap * 2 : 1024;
		struct dup *n = realloc(d->v, c * sizeof(*n));

		if (!n)
			return -1;
		d->v = n;
		d->cap = c;
	}
	d->v[d->n++] = (struct dup){ rowid, peer, reasons };
	return 0;
}

static int cmp_dup(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;

	return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

static void bind_thresholds(sqlite3_stmt *st, const struct checklist *cl)
{
	for (size_t i = 0; i < cl->nthresholds; i++) {
		char name[128];
		int idx;

		snprintf(name, sizeof(name), ":%s", cl->thresholds[i].name);
		idx = sqlite3_bind_parameter_index(st, name);
		if (idx > 0)
			sqlite3_bind_double(st, idx, cl->thresholds[i].value);
	}
}

/* The similarity pass of article 5: apps in scope, unit by unit. */
/* Removes the assessing unit's own place name from an app name: a county's
 * apps are often called 青禾县X or 青禾X, and the prefix says nothing about
 * what the app does.  "青禾县" is removed, else its stem "青禾" (the name
 * less a trailing 省/市/县/区/州/盟/旗/乡/镇) when that is 2+ characters. */
static const char *strip_own_place(const char *name, const char *own, char *buf, size_t size)
{
	static const char *const tails[] = { "省", "市", "县", "区", "州", "盟", "旗", "乡", "镇", NULL };
	size_t nl = strlen(name), ol = own ? strlen(own) : 0;
	char stem[256];
	const char *hit;

	if (!ol || nl >= size || ol >= sizeof(stem))
		return name;
	hit = strstr(name, own);
	if (!hit) {
		for (const char *const *t = tails; *t; t++) {
			size_t tl = strlen(*t);

			if (ol >= tl + 6 && !strcmp(own + ol - tl, *t)) {
				ol -= tl;	/* the stem keeps 2+ CJK characters */
				memcpy(stem, own, ol);
				stem[ol] = '\0';
				hit = strstr(name, stem);
				break;
			}
		}
	}
	if (!hit || nl - ol < 3)
		return name;	/* nothing left worth comparing */
	memcpy(buf, name, (size_t)(hit - name));
	strcpy(buf + (hit - name), hit + ol);
	return buf;
}

static int find_duplicates(sqlite3 *db, const struct checklist *cl, const struct cl_rule *r,
			   const char *own_unit, struct dups *out, struct zj_error *err)
{
	struct similar_opts o = {
		.name_threshold = checklist_threshold(cl, "dup_name_similarity")->value,
		.tag_threshold = checklist_threshold(cl, "dup_tag_jaccard")->value,
	};
	struct similar *s = similar_new(&o, err);
	sqlite3_stmt *st = NULL;
	char *sql, *unit = NULL;
	int rc = -1, step;

	if (!s)
		return -1;
	sql = sqlite3_mprintf("SELECT rowid, host_unit, name, function_tags FROM inv_apps"
			      " WHERE (%s\n) IS NOT 0 ORDER BY host_unit", r->scope ? r->scope : DEFAULT_SCOPE);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot prepare the duplicate-app pass"));
		goto out;
	}
	bind_thresholds(st, cl);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 1);

		if (!unit || strcmp(unit, u)) {
			if (unit && similar_flush(s, unit, dup_emit, out, err) < 0)
				goto out;
			free(unit);
			if (!(unit = strdup(u))) {
				zj_err(err, "%s", _("out of memory"));
				goto out;
			}
		}
		{
			char buf[1024];
			const char *name = strip_own_place((const char *)sqlite3_column_text(st, 2),
							   own_unit, buf, sizeof(buf));

			if (similar_add(s, sqlite3_column_int64(st, 0), name,
					(const char *)sqlite3_column_text(st, 3), err) < 0)
				goto out;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(db, err, _("cannot read apps"));
		goto out;
	}
	if (unit && similar_flush(s, unit, dup_emit, out, err) < 0)
		goto out;
	if (out->n > 1)	/* out->v is NULL while empty */
		qsort(out->v, out->n, sizeof(*out->v), cmp_dup);
	rc = 0;
out:
	free(unit);
	sqlite3_finalize(st);
	sqlite3_free(sql);
	similar_free(s);
	return rc;
}

/* Per-item counters, summed over inventories. */

struct article_acc {
	long long checked, violated, unknown;
};

struct rule_acc {
	int bit;
	long long checked, violated, unknown;
};

static int popcount64(unsigned long long x)
{
	return __builtin_popcountll(x);
}

static int scan_inventory(sqlite3 *db, const struct checklist *cl, enum inv_kind kind,
			  const char *own_unit, const unsigned long long *reads, struct rule_acc *racc,
			  struct proposal_counts *iacc, struct article_acc *aacc,
			  const struct rules_progress *progress, struct zj_error *err)
{
	const struct inventory *inv = inventory_get(kind);
	size_t idx[MAX_RULES_PER_INVENTORY];	/* bit → rule index */
	int nbits = 0, nscopes = 0, scope_of[MAX_RULES_PER_INVENTORY];
	const char *scopes[MAX_RULES_PER_INVENTORY];
	unsigned long long item_mask[1024], high_mask = 0, art_mask[256] = { 0 };
	struct guard g = { .inv = inv, .allow_rowid = 1 };
	struct dups dups = { 0 };
	size_t dpos = 0;
	int similar_bit = -1, step, rc = -1;
	sqlite3_stmt *st = NULL, *ins = NULL, *nul = NULL;
	char *sql = NULL, *nsql = NULL;
	long long total = 0, done = 0;
	unsigned long long all_reads = 0;

	if (cl->nitems > 1024 || cl->narticles > 255)
		return zj_err(err, "%s", _("checklist too large"));
	for (size_t i = 0; i < cl->nrules; i++) {
		const struct cl_rule *r = &cl->rules[i];
		const char *sc;
		int s;

		if (r->inv != kind)
			continue;
		idx[nbits] = i;
		racc[i].bit = nbits;
		sc = r->scope ? r->scope : DEFAULT_SCOPE;
		for (s = 0; s < nscopes && strcmp(scopes[s], sc); s++)
			;
		if (s == nscopes)
			scopes[nscopes++] = sc;
		scope_of[nbits] = s;
		if (r->sev == SEV_HIGH)
			high_mask |= 1ull << nbits;
		art_mask[r->article] |= 1ull << nbits;
		if (r->method == RULE_SIMILAR_APPS)
			similar_bit = nbits;
		all_reads |= reads[i];
		nbits++;
	}
	for (size_t it = 0; it < cl->nitems; it++) {
		item_mask[it] = 0;
		for (size_t k = 0; k < cl->items[it].nrules; k++) {
			size_t ri = cl->items[it].rules[k];

			if (cl->rules[ri].inv == kind)
				item_mask[it] |= 1ull << racc[ri].bit;
		}
	}
	if (!nbits)
		return 0;
	if (similar_bit >= 0 && find_duplicates(db, cl, &cl->rules[idx[similar_bit]], own_unit, &dups, err) < 0)
		goto out;

	/* One scan: distinct scopes first, then each rule's condition.  SQLite
	 * evaluates them set-wise; NULL stays NULL (unknown). */
	sql = sqlite3_mprintf("SELECT rowid");
	for (int s = 0; sql && s < nscopes; s++) {
		char *n = sqlite3_mprintf("%s, (%s\n) IS NOT 0", sql, scopes[s]);

		sqlite3_free(sql);
		sql = n;
	}
	for (int b = 0; sql && b < nbits; b++) {
		const struct cl_rule *r = &cl->rules[idx[b]];
		char *n = sqlite3_mprintf("%s, (%s\n)", sql, r->method == RULE_SQL ? r->when : "NULL");

		sqlite3_free(sql);
		sql = n;
	}
	if (sql) {
		char *n = sqlite3_mprintf("%s FROM %s ORDER BY rowid", sql, inv->table);

		sqlite3_free(sql);
		sql = n;
	}
	if (!sql) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	sqlite3_set_authorizer(db, authorize, &g);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_set_authorizer(db, NULL, NULL);
		zj_err(err, _("cannot compile the rules for %s: %s"), inv->name,
		       g.why[0] ? g.why : sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_set_authorizer(db, NULL, NULL);
	bind_thresholds(st, cl);

	/* Which of the columns rules read are empty, for the rows that come
	 * out unknown: one lookup per such row keeps the scan narrow. */
	nsql = sqlite3_mprintf("SELECT 0");
	for (size_t c = 0; nsql && c < inv->ncols; c++)
		if (all_reads & (1ull << c)) {
			char *n = sqlite3_mprintf("%s | ((%s IS NULL) << %d)", nsql, inv->cols[c].key, (int)c);

			sqlite3_free(nsql);
			nsql = n;
		}
	if (nsql) {
		char *n = sqlite3_mprintf("%s FROM %s WHERE rowid = ?", nsql, inv->table);

		sqlite3_free(nsql);
		nsql = n;
	}
	if (!nsql || sqlite3_prepare_v2(db, nsql, -1, &nul, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO findings (inventory, subject, violated, unknown, nulls, peer, peer_reasons)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &ins, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot prepare findings"));
		goto out;
	}
	if (progress && progress->fn) {
		char *q = sqlite3_mprintf("SELECT count(*) FROM %s", inv->table);
		sqlite3_stmt *c;

		if (q && sqlite3_prepare_v2(db, q, -1, &c, NULL) == SQLITE_OK) {
			if (sqlite3_step(c) == SQLITE_ROW)
				total = sqlite3_column_int64(c, 0);
			sqlite3_finalize(c);
		}
		sqlite3_free(q);
	}

	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long rowid = sqlite3_column_int64(st, 0);
		unsigned long long inscope = 0, v = 0, u = 0;
		long long peer = 0;
		int peer_reasons = 0;
		char in[MAX_RULES_PER_INVENTORY];

		for (int sc = 0; sc < nscopes; sc++)
			in[sc] = (char)sqlite3_column_int(st, 1 + sc);
		for (int b = 0; b < nbits; b++) {
			int col;

			if (!in[scope_of[b]])
				continue;
			inscope |= 1ull << b;
			if (b == similar_bit) {
				while (dpos < dups.n && dups.v[dpos].rowid < rowid)
					dpos++;
				if (dpos < dups.n && dups.v[dpos].rowid == rowid) {
					v |= 1ull << b;
					peer = dups.v[dpos].peer;
					peer_reasons = dups.v[dpos].reasons;
				}
				continue;
			}
			col = 1 + nscopes + b;
			if (sqlite3_column_type(st, col) == SQLITE_NULL)
				u |= 1ull << b;
			else if (sqlite3_column_double(st, col) != 0.0)
				v |= 1ull << b;
		}
		for (int b = 0; b < nbits; b++) {
			struct rule_acc *ra = &racc[idx[b]];

			if (!(inscope & (1ull << b)))
				continue;
			ra->checked++;
			ra->violated += !!(v & (1ull << b));
			ra->unknown += !!(u & (1ull << b));
		}
		for (size_t a = 1; a <= cl->narticles; a++) {
			unsigned long long m = art_mask[a];

			if (!(inscope & m))
				continue;
			aacc[a - 1].checked++;
			aacc[a - 1].violated += popcount64(v & m);
			aacc[a - 1].unknown += popcount64(u & m);
		}
		for (size_t it = 0; it < cl->nitems; it++) {
			unsigned long long m = item_mask[it];

			if (!(inscope & m))
				continue;
			iacc[it].checked++;
			if (v & m) {
				iacc[it].violated++;
				iacc[it].high_violated += !!(v & m & high_mask);
			} else if (u & m) {
				iacc[it].unknown++;
			}
		}
		if (v | u) {
			long long nulls = 0;

			if (u) {
				sqlite3_bind_int64(nul, 1, rowid);
				if (sqlite3_step(nul) == SQLITE_ROW)
					nulls = sqlite3_column_int64(nul, 0);
				sqlite3_reset(nul);
			}
			sqlite3_bind_int(ins, 1, (int)kind);
			sqlite3_bind_int64(ins, 2, rowid);
			sqlite3_bind_int64(ins, 3, (long long)v);
			sqlite3_bind_int64(ins, 4, (long long)u);
			sqlite3_bind_int64(ins, 5, nulls);
			if (peer)
				sqlite3_bind_int64(ins, 6, peer);
			else
				sqlite3_bind_null(ins, 6);
			sqlite3_bind_int(ins, 7, peer_reasons);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				store_error(db, err, _("cannot record findings"));
				goto out;
			}
			sqlite3_reset(ins);
		}
		if (progress && progress->fn && (++done & 0xffff) == 0)
			progress->fn(progress->ctx, inv->name, done, total);
	}
	if (step != SQLITE_DONE) {
		store_error(db, err, _("cannot evaluate rules"));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	sqlite3_finalize(nul);
	sqlite3_free(sql);
	sqlite3_free(nsql);
	free(dups.v);
	return rc;
}

static int inventory_imported(sqlite3 *db, enum inv_kind kind)
{
	sqlite3_stmt *st;
	int yes = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM imports WHERE inventory = ? LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, inventory_get(kind)->name, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

int rules_evaluate(sqlite3 *db, const struct checklist *cl, const char *as_of,
		   enum level level, const char *own_unit, const struct rules_progress *progress,
		   struct zj_error *err)
{
	unsigned long long *reads = calloc(cl->nrules ? cl->nrules : 1, sizeof(*reads));
	struct rule_acc *racc = calloc(cl->nrules ? cl->nrules : 1, sizeof(*racc));
	struct proposal_counts *iacc = calloc(cl->nitems ? cl->nitems : 1, sizeof(*iacc));
	struct article_acc *aacc = calloc(cl->narticles ? cl->narticles : 1, sizeof(*aacc));
	int imported_any[INV_COUNT];
	sqlite3_stmt *st = NULL;
	char now[21];
	int rc = -1;

	if (!reads || !racc || !iacc || !aacc) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	if (rules_validate(cl, reads, err) < 0 || rules_register_functions(db, as_of, err) < 0)
		goto out;
	if (store_exec(db, "DELETE FROM findings; DELETE FROM rules; DELETE FROM article_stats;"
			   " DELETE FROM proposals;", err) < 0)
		goto out;
	for (int k = 0; k < INV_COUNT; k++) {
		imported_any[k] = inventory_imported(db, (enum inv_kind)k);
		if (scan_inventory(db, cl, (enum inv_kind)k, own_unit, reads, racc, iacc, aacc, progress, err) < 0)
			goto out;
	}

	if (sqlite3_prepare_v2(db, "INSERT INTO rules (id, inventory, bit, article, severity, title, message,"
			       " measure, reads, checked, violated, unknown, method) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	for (size_t i = 0; i < cl->nrules; i++) {
		const struct cl_rule *r = &cl->rules[i];

		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, (int)r->inv);
		sqlite3_bind_int(st, 3, racc[i].bit);
		sqlite3_bind_int(st, 4, r->article);
		sqlite3_bind_text(st, 5, severity_key(r->sev), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, r->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, r->message, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, r->measure, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, (long long)reads[i]);
		sqlite3_bind_int64(st, 10, racc[i].checked);
		sqlite3_bind_int64(st, 11, racc[i].violated);
		sqlite3_bind_int64(st, 12, racc[i].unknown);
		sqlite3_bind_text(st, 13, r->method == RULE_SIMILAR_APPS ? "similar-apps" : "sql", -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sqlfail;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);

	if (sqlite3_prepare_v2(db, "INSERT INTO article_stats VALUES (?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	for (size_t a = 0; a < cl->narticles; a++) {
		sqlite3_bind_int(st, 1, (int)a + 1);
		sqlite3_bind_int64(st, 2, aacc[a].checked);
		sqlite3_bind_int64(st, 3, aacc[a].violated);
		sqlite3_bind_int64(st, 4, aacc[a].unknown);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sqlfail;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);

	if (sqlite3_prepare_v2(db, "INSERT INTO proposals (item, verdict, checked, violated, unknown, basis,"
			       " high_violated) VALUES (?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct cl_item *it = &cl->items[i];
		int imported = 0;
		struct proposal p;

		for (size_t k = 0; k < it->nrules; k++)
			imported |= imported_any[cl->rules[it->rules[k]].inv];
		p = scoring_propose(cl, it, &iacc[i], imported, level);
		if (p.basis == PB_NONE)
			continue;	/* manual item: nothing to propose */
		sqlite3_bind_text(st, 1, it->id, -1, SQLITE_STATIC);
		if (p.verdict == VERDICT_NONE)
			sqlite3_bind_null(st, 2);
		else
			sqlite3_bind_text(st, 2, verdict_key(p.verdict), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, iacc[i].checked);
		sqlite3_bind_int64(st, 4, iacc[i].violated);
		sqlite3_bind_int64(st, 5, iacc[i].unknown);
		sqlite3_bind_text(st, 6, proposal_basis_key(p.basis), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, iacc[i].high_violated);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sqlfail;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);

	store_now(now);
	if (sqlite3_prepare_v2(db, "INSERT INTO score_runs (as_of, at, by, checklist_sha256, last_batch)"
			       " VALUES (?, ?, ?, ?, (SELECT max(batch) FROM imports))", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, store_user(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, cl->sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;
	rc = 0;
	goto out;
sqlfail:
	store_error(db, err, _("cannot record the score"));
out:
	sqlite3_finalize(st);
	free(reads);
	free(racc);
	free(iacc);
	free(aacc);
	return rc;
}
