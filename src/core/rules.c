#include "core/rules.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/scoring.h"
#include "core/similar.h"
#include "core/store.h"
#include "util/i18n.h"

/* The thresholds the similarity methods read by name. */
#define NAME_THRESHOLD "dup_name_similarity"
#define TAG_THRESHOLD "dup_tag_jaccard"

#define MAX_RULES_PER_INVENTORY 63	/* bits of a findings mask */

/* With $ZHIJIAN_SCORE_TRACE set to a file, each stage of a score appends
 * "score THREAD STAGE CPU-MS WALL-MS": the CPU time of the thread that ran
 * the stage and the wall time, both since that thread's previous stage, so
 * `make bench` can say which thread's work is the critical path. */
static void trace(const char *who, const char *stage)
{
	static __thread struct timespec c0, t0;
	const char *path = getenv("ZHIJIAN_SCORE_TRACE");
	struct timespec c, t;
	FILE *f;

	if (!path || !*path)
		return;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (stage && (f = fopen(path, "a"))) {
		fprintf(f, "score %-6s %-16s %8.1f %8.1f\n", who, stage,
			(double)(c.tv_sec - c0.tv_sec) * 1e3 + (double)(c.tv_nsec - c0.tv_nsec) / 1e6,
			(double)(t.tv_sec - t0.tv_sec) * 1e3 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6);
		fclose(f);
	}
	c0 = c;
	t0 = t;
}

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
	int allow_rowid;	/* our own scan: it reads rowid and calls zj_masks */
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
		if (g->allow_rowid && a4 && !strcmp(a4, "zj_masks"))
			return SQLITE_OK;	/* our scan's own wrapper, never a rule's */
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

/* rules_validate, also filling conflicts[i] (if not NULL) with the columns
 * rule i's contradiction test reads. */
static int validate(const struct checklist *cl, unsigned long long *reads, unsigned long long *conflicts,
		    struct zj_error *err)
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
		if (r->conflict) {
			unsigned long long cr = 0;

			if (check_expr(db, cl, r, "conflict", r->conflict, r->conflict_line, &cr, err) < 0)
				goto out;
			if (conflicts)
				conflicts[i] = cr;
		}
		if (r->method == RULE_SIMILAR_APPS || r->method == RULE_SIMILAR_ACROSS) {
			const struct inventory *inv = inventory_get(INV_APPS);

			rd |= 1ull << inventory_find_column(inv, "name");
			rd |= 1ull << inventory_find_column(inv, "function_tags");
			rd |= 1ull << inventory_find_column(inv, "host_unit");
			if (!checklist_threshold(cl, NAME_THRESHOLD) ||
			    (r->method == RULE_SIMILAR_APPS && !checklist_threshold(cl, TAG_THRESHOLD))) {
				zj_err(err, _("%s:%d: rule %s: methods similar-apps and similar-apps-across need thresholds dup_name_similarity and (similar-apps) dup_tag_jaccard"),
				       cl->file, r->line, r->id);
				goto out;
			}
		}
		if (r->method == RULE_COUNT_PER_UNIT) {
			const struct inventory *inv = inventory_get(r->inv);

			rd |= 1ull << inventory_find_column(inv, "host_unit");
			rd |= 1ull << inventory_find_column(inv, r->count_by);
			if (!checklist_threshold(cl, r->limit)) {
				zj_err(err, _("%s:%d: rule %s: limit '%s' is not a threshold in [thresholds]"),
				       cl->file, r->line, r->id, r->limit);
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

int rules_uses_threshold(const struct cl_rule *r, const char *name)
{
	size_t n = strlen(name);

	for (const char *hit = r->when ? strchr(r->when, ':') : NULL; hit; hit = strchr(hit + 1, ':')) {
		char after;

		if (strncmp(hit + 1, name, n))
			continue;
		/* ":stale_app_days" is not ":stale_app_days_x". */
		after = hit[1 + n];
		if (!(after == '_' || (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9')))
			return 1;
	}
	if (r->limit && !strcmp(r->limit, name))
		return 1;
	if (r->method == RULE_SIMILAR_APPS)
		return !strcmp(name, NAME_THRESHOLD) || !strcmp(name, TAG_THRESHOLD);
	if (r->method == RULE_SIMILAR_ACROSS)
		return !strcmp(name, NAME_THRESHOLD);
	return 0;
}

int rules_validate(const struct checklist *cl, unsigned long long *reads, struct zj_error *err)
{
	return validate(cl, reads, NULL, err);
}

/* ---- evaluation ---- */

#define DEFAULT_SCOPE "status IS NULL OR status = '运行'"

static const char *method_key(enum rule_method m)
{
	switch (m) {
	case RULE_SIMILAR_APPS: return "similar-apps";
	case RULE_SIMILAR_ACROSS: return "similar-apps-across";
	case RULE_COUNT_PER_UNIT: return "count-per-unit";
	default: return "sql";
	}
}

static int rule_active(const struct cl_rule *r, enum level level)
{
	return (r->levels & (1u << level)) != 0;
}

/* What a pass over the whole inventory found for one rule, by rowid. */
/* 16 bytes an entry: a million-app inventory may have half a million
 * duplicates.  pr is the peer's rowid times 4 plus the reasons (enum
 * similar_reason), as findings.peer and peer_reasons split it. */
struct dup {
	long long rowid, pr;
};

struct dups {
	struct dup *v;
	size_t n, cap, pos;
};

static int dups_push(struct dups *d, long long rowid, long long peer, int reasons)
{
	if (d->n == d->cap) {
		size_t c = d->cap ? d->cap * 2 : 1024;
		struct dup *n = realloc(d->v, c * sizeof(*n));

		if (!n)
			return -1;
		d->v = n;
		d->cap = c;
	}
	d->v[d->n++] = (struct dup){ rowid, peer * 4 + (reasons & 3) };
	return 0;
}

static int dup_emit(void *ctx, long long rowid, long long cluster, long long peer,
		    int reasons, size_t size)
{
	(void)cluster;
	(void)size;
	return dups_push(ctx, rowid, peer, reasons);
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

/* The similarity pass of article 5 within each host unit: apps in scope,
 * unit by unit. */
static int find_duplicates(sqlite3 *db, const struct checklist *cl, const struct cl_rule *r,
			   const char *own_unit, struct dups *out, struct zj_error *err)
{
	struct similar_opts o = {
		.name_threshold = checklist_threshold(cl, NAME_THRESHOLD)->value,
		.tag_threshold = checklist_threshold(cl, TAG_THRESHOLD)->value,
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
	trace("pass", NULL);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 1);

		if (!unit)
			trace("pass", "within: sort");

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
	trace("pass", "within: cluster");
	rc = 0;
out:
	free(unit);
	sqlite3_finalize(st);
	sqlite3_free(sql);
	similar_free(s);
	return rc;
}

/* ---- across units ---- */

static uint64_t hash_text(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static void fn_tagkey(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char key[1024];
	size_t n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	n = similar_tagset_key((const char *)sqlite3_value_text(argv[0]), key, sizeof(key));
	if (n)
		sqlite3_result_text(ctx, key, (int)n, SQLITE_TRANSIENT);
}

/* One run of apps with the same tag set.  Their names and units are kept
 * (text, at name and unit in the block's own buffer) until the run ends:
 * most runs have one app, or apps of one unit only, and such a run cannot
 * have a duplicate across units, so it is not clustered at all. */
struct block {
	struct blk_app {
		long long rowid, cluster;
		uint64_t unit;
		size_t name, host;	/* offsets in text */
		int hit;
	} *v;
	size_t n, cap;
	int unsorted;		/* rowids not in increasing order */
	char *text;
	size_t tn, tcap;
	struct dups *out;
};

static int blk_text(struct block *b, const char *s, size_t *at)
{
	size_t n = strlen(s) + 1;

	if (b->tcap - b->tn < n) {
		size_t c = b->tcap ? b->tcap : 4096;
		char *t;

		while (c - b->tn < n)
			c *= 2;
		if (!(t = realloc(b->text, c)))
			return -1;
		b->text = t;
		b->tcap = c;
	}
	memcpy(b->text + b->tn, s, n);
	*at = b->tn;
	b->tn += n;
	return 0;
}

static int blk_find(const struct block *b, long long rowid)
{
	size_t lo = 0, hi = b->n;

	if (b->unsorted) {
		for (size_t i = 0; i < b->n; i++)
			if (b->v[i].rowid == rowid)
				return (int)i;
		return -1;
	}
	while (lo < hi) {	/* a run of one tag set may be long */
		size_t mid = lo + (hi - lo) / 2;

		if (b->v[mid].rowid < rowid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->n && b->v[lo].rowid == rowid ? (int)lo : -1;
}

static int across_emit(void *ctx, long long rowid, long long cluster, long long peer,
		       int reasons, size_t size)
{
	struct block *b = ctx;
	int i = blk_find(b, rowid);

	(void)peer;
	(void)reasons;
	(void)size;
	if (i >= 0) {
		b->v[i].cluster = cluster;
		b->v[i].hit = 1;
	}
	return 0;
}

static int cmp_blk(const void *a, const void *b)
{
	const struct blk_app *x = a, *y = b;

	if (x->hit != y->hit)
		return y->hit - x->hit;
	if (x->cluster != y->cluster)
		return x->cluster < y->cluster ? -1 : 1;
	return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* The clusters of one block that span two units or more: each member, with
 * the first member (smallest rowid) of another unit as its peer. */
static int block_flush(struct similar *s, struct block *b, struct zj_error *err)
{
	size_t i = 0, units = 1;

	for (size_t k = 1; k < b->n && units < 2; k++)
		units += b->v[k].unit != b->v[0].unit;
	if (units < 2) {
		b->n = b->tn = 0;
		b->unsorted = 0;
		return 0;
	}
	for (size_t k = 0; k < b->n; k++) {
		char buf[1024];
		const char *name = similar_strip_places(b->text + b->v[k].name, b->text + b->v[k].host,
							buf, sizeof(buf));

		if (similar_add(s, b->v[k].rowid, name, NULL, err) < 0)
			return -1;
	}
	b->tn = 0;
	if (similar_flush(s, NULL, across_emit, b, err) < 0)
		return -1;
	qsort(b->v, b->n, sizeof(*b->v), cmp_blk);
	while (i < b->n && b->v[i].hit) {
		size_t j = i;

		while (j < b->n && b->v[j].hit && b->v[j].cluster == b->v[i].cluster)
			j++;
		for (size_t k = i; k < j; k++) {
			long long peer = 0;

			for (size_t m = i; m < j && !peer; m++)
				if (b->v[m].unit != b->v[k].unit)
					peer = b->v[m].rowid;
			if (peer && dups_push(b->out, b->v[k].rowid, peer, SIMILAR_NAME) < 0)
				return zj_err(err, "%s", _("out of memory"));
		}
		i = j;
	}
	b->n = 0;
	b->unsorted = 0;
	return 0;
}

/* Near-duplicates across the units of the region (统建共用, 同质化): apps
 * with the same function tags, sorted together by their key, whose names
 * are similar once the place names of their units are stripped. */
static int find_across(sqlite3 *db, const struct checklist *cl, const struct cl_rule *r,
		       struct dups *out, struct zj_error *err)
{
	struct similar_opts o = {
		.name_threshold = checklist_threshold(cl, NAME_THRESHOLD)->value,
		.tag_threshold = 1,
	};
	struct similar *s = similar_new(&o, err);
	struct block b = { .out = out };
	sqlite3_stmt *st = NULL;
	char *sql = NULL, *key = NULL;
	int rc = -1, step, first = 1;

	if (!s)
		return -1;
	if (sqlite3_create_function_v2(db, "zj_tagkey", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				       fn_tagkey, NULL, NULL, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot register rule functions"));
		goto out;
	}
	/* Apps whose tags make no key sort first and are skipped here: a
	 * "WHERE k IS NOT NULL" would have SQLite compute every key twice. */
	sql = sqlite3_mprintf("SELECT rowid, host_unit, name, zj_tagkey(function_tags) AS k FROM inv_apps"
			      " WHERE function_tags IS NOT NULL AND (%s\n) IS NOT 0 ORDER BY k",
			      r->scope ? r->scope : DEFAULT_SCOPE);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot prepare the duplicate-app pass"));
		goto out;
	}
	bind_thresholds(st, cl);
	trace("pass", NULL);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 3);
		const char *host = (const char *)sqlite3_column_text(st, 1);
		const char *name = (const char *)sqlite3_column_text(st, 2);

		if (first) {
			trace("pass", "across: sort");
			first = 0;
		}
		if (!k)
			continue;
		if (!key || strcmp(key, k)) {
			if (key && block_flush(s, &b, err) < 0)
				goto out;
			free(key);
			if (!(key = strdup(k))) {
				zj_err(err, "%s", _("out of memory"));
				goto out;
			}
		}
		if (b.n == b.cap) {
			size_t c = b.cap ? b.cap * 2 : 64;
			struct blk_app *n = realloc(b.v, c * sizeof(*n));

			if (!n) {
				zj_err(err, "%s", _("out of memory"));
				goto out;
			}
			b.v = n;
			b.cap = c;
		}
		b.v[b.n] = (struct blk_app){ .rowid = sqlite3_column_int64(st, 0), .unit = hash_text(host) };
		b.unsorted |= b.n && b.v[b.n].rowid <= b.v[b.n - 1].rowid;
		if (blk_text(&b, name ? name : "", &b.v[b.n].name) < 0 ||
		    blk_text(&b, host ? host : "", &b.v[b.n].host) < 0) {
			zj_err(err, "%s", _("out of memory"));
			goto out;
		}
		b.n++;
	}
	if (step != SQLITE_DONE) {
		store_error(db, err, _("cannot read apps"));
		goto out;
	}
	if (key && block_flush(s, &b, err) < 0)
		goto out;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_dup);
	trace("pass", "across: cluster");
	rc = 0;
out:
	free(key);
	free(b.v);
	free(b.text);
	sqlite3_finalize(st);
	sqlite3_free(sql);
	similar_free(s);
	return rc;
}

/* ---- counts per unit ---- */

/* (unit, value) → subjects in scope; value NULL counted per unit as
 * `nulls`, and the largest count of each unit kept, for the three-valued
 * answer: a subject whose value is unknown may belong to any group. */
struct cslot {
	char *key;		/* unit '\x1f' value, or unit '\x1e' for the unit */
	long long n, nulls, max;
};

struct cmap {
	struct cslot *v;
	size_t cap, n;
};

static struct cslot *cmap_get(struct cmap *m, const char *key, int add)
{
	size_t h;

	if (add && (m->n + 1) * 2 > m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 256;
		struct cslot *nv = calloc(nc, sizeof(*nv));

		if (!nv)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->v[i].key)
				continue;
			for (h = hash_text(m->v[i].key) & (nc - 1); nv[h].key; h = (h + 1) & (nc - 1))
				;
			nv[h] = m->v[i];
		}
		free(m->v);
		m->v = nv;
		m->cap = nc;
	}
	if (!m->cap)
		return NULL;
	for (h = hash_text(key) & (m->cap - 1); m->v[h].key; h = (h + 1) & (m->cap - 1))
		if (!strcmp(m->v[h].key, key))
			return &m->v[h];
	if (!add || !(m->v[h].key = strdup(key)))
		return NULL;
	m->n++;
	return &m->v[h];
}

static void cmap_free(struct cmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
}

static char *ckey(const char *unit, const char *value)
{
	return value ? sqlite3_mprintf("%s\x1f%s", unit, value) : sqlite3_mprintf("%s\x1e", unit);
}

static int count_per_unit(sqlite3 *db, const struct checklist *cl, const struct cl_rule *r,
			  struct cmap *m, struct zj_error *err)
{
	const struct inventory *inv = inventory_get(r->inv);
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT host_unit, %s, count(*) FROM %s WHERE (%s\n) IS NOT 0 GROUP BY 1, 2",
				    r->count_by, inv->table, r->scope ? r->scope : DEFAULT_SCOPE);
	int rc = -1, step;

	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot count subjects per unit"));
		goto out;
	}
	bind_thresholds(st, cl);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *unit = (const char *)sqlite3_column_text(st, 0);
		const char *value = (const char *)sqlite3_column_text(st, 1);
		long long n = sqlite3_column_int64(st, 2);
		char *k = ckey(unit ? unit : "", value), *ku = ckey(unit ? unit : "", NULL);
		struct cslot *g = k ? cmap_get(m, k, 1) : NULL;
		struct cslot *u = g && ku ? cmap_get(m, ku, 1) : NULL;

		sqlite3_free(k);
		sqlite3_free(ku);
		if (!g || !u) {
			zj_err(err, "%s", _("out of memory"));
			goto out;
		}
		if (value) {
			g->n = n;
			if (n > u->max)
				u->max = n;
		} else {
			u->nulls = n;
		}
	}
	if (step != SQLITE_DONE) {
		store_error(db, err, _("cannot count subjects per unit"));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return rc;
}

/* 1 violated, 0 satisfied, -1 unknown, for a subject of unit whose value
 * is value (NULL: unknown), against limit. */
static int count_verdict(struct cmap *m, const char *unit, const char *value, double limit)
{
	char *ku = ckey(unit ? unit : "", NULL), *k = value ? ckey(unit ? unit : "", value) : NULL;
	struct cslot *u = ku ? cmap_get(m, ku, 0) : NULL, *g = k ? cmap_get(m, k, 0) : NULL;
	long long nulls = u ? u->nulls : 0, n;
	int v;

	sqlite3_free(ku);
	sqlite3_free(k);
	if (value) {
		n = g ? g->n : 0;
		v = n > limit ? 1 : n + nulls > limit ? -1 : 0;
	} else {
		/* It may be on any platform, a new one too: it certainly
		 * makes a group too large only if one of one is. */
		n = u ? u->max : 0;
		v = 1 > limit ? 1 : n + nulls > limit ? -1 : 0;
	}
	return v;
}

struct article_acc {
	long long checked, violated, unknown;
};

struct rule_acc {
	int bit;
	long long checked, violated, unknown, conflicts;
};

static int popcount64(unsigned long long x)
{
	return __builtin_popcountll(x);
}

/* ---- the passes, beside the scan ---- */

/* The similarity passes of one inventory (an SQLite sort each, then the
 * clustering of core/similar) take about as long as the rules' scan.  They
 * only read the inventory, so each runs in a worker thread of its own, on a
 * connection of its own, while the scan runs; their answers are merged into
 * the findings as they are written (struct merge).  A workspace that cannot
 * be opened twice (an in-memory database) runs them in this thread, before
 * the scan. */
struct passes {
	const struct checklist *cl;
	const char *path, *as_of, *own_unit;
	enum level level;
	const size_t *idx;	/* bit → rule index */
	unsigned long long bits;	/* the rules this runner does */
	struct dups *dups;	/* per bit */
	int *running;		/* workers not done yet (atomic) */
	pthread_t thread;
	int threaded;		/* thread runs it */
	struct zj_error err;
	int rc;
};

static int run_passes(struct passes *p, sqlite3 *db)
{
	for (int b = 0; b < MAX_RULES_PER_INVENTORY; b++) {
		const struct cl_rule *r;

		if (!(p->bits >> b & 1))
			continue;
		r = &p->cl->rules[p->idx[b]];
		if (!rule_active(r, p->level))
			continue;
		if ((r->method == RULE_SIMILAR_APPS &&
		     find_duplicates(db, p->cl, r, p->own_unit, &p->dups[b], &p->err) < 0) ||
		    (r->method == RULE_SIMILAR_ACROSS && find_across(db, p->cl, r, &p->dups[b], &p->err) < 0))
			return -1;
		/* What doubling left unused goes back before the merge. */
		if (p->dups[b].n && p->dups[b].n < p->dups[b].cap) {
			struct dup *v = realloc(p->dups[b].v, p->dups[b].n * sizeof(*v));

			if (v) {
				p->dups[b].v = v;
				p->dups[b].cap = p->dups[b].n;
			}
		}
	}
	return 0;
}

static void *passes_thread(void *arg)
{
	struct passes *p = arg;
	sqlite3 *db = NULL;

	p->rc = -1;
	trace("pass", NULL);
	if (sqlite3_open_v2(p->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		store_error(db, &p->err, _("cannot open the workspace for the duplicate-app pass"));
	} else {
		sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
		/* Its reads are sequential and its sorts spill to files: a
		 * small cache keeps the connections within the memory of one. */
		if (store_exec(db, "PRAGMA cache_size = -2048", &p->err) == 0 &&
		    rules_register_functions(db, p->as_of, &p->err) == 0)
			p->rc = run_passes(p, db);
	}
	sqlite3_close(db);
	__atomic_sub_fetch(p->running, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* What the passes add to a subject moves the counts of its rules, articles
 * and items as the scan would have moved them. */
struct tally {
	const struct checklist *cl;
	enum inv_kind kind;
	const size_t *idx;
	int nbits;
	unsigned long long high_mask;
	const unsigned long long *item_mask, *art_mask;
	struct rule_acc *racc;
	struct proposal_counts *iacc;
	struct article_acc *aacc;
};

/* A subject the scan found violating v and unknown u gains the violations
 * add. */
static void tally_add(const struct tally *t, unsigned long long v, unsigned long long u, unsigned long long add)
{
	unsigned long long v2 = v | add;

	for (int b = 0; b < t->nbits; b++)
		if (add & ~v & (1ull << b))
			t->racc[t->idx[b]].violated++;
	for (size_t a = 1; a <= t->cl->narticles; a++)
		t->aacc[a - 1].violated += popcount64(add & ~v & t->art_mask[a]);
	for (size_t it = 0; it < t->cl->nitems; it++) {
		unsigned long long m = t->item_mask[it];
		struct proposal_counts *ic = &t->iacc[it];

		if (!(add & m))
			continue;
		/* The subject was in scope of these rules, so already
		 * counted as checked; only what it counts as moves. */
		if (!(v & m)) {
			ic->violated++;
			if (u & m)
				ic->unknown--;
		}
		ic->high_violated += (v2 & m & t->high_mask) && !(v & m & t->high_mask);
	}
}

/* The scan's counts, by answer: a row in scope of the rules `in`,
 * violating v, unknown u, in conflict cf.  A big inventory's rows repeat a
 * few thousand answers, so the scan counts each answer here and the counts
 * of the rules, articles and items move once an answer, not once a row. */
struct answer {
	unsigned long long in, v, u, cf;
	long long n;
};

#define ANSWERS 4096		/* slots; emptied into the counts at half full */

static void tally_answer(const struct tally *t, const struct answer *a)
{
	for (int b = 0; b < t->nbits; b++) {
		struct rule_acc *ra = &t->racc[t->idx[b]];

		if (!(a->in & (1ull << b)))
			continue;
		ra->checked += a->n;
		ra->violated += a->v >> b & 1 ? a->n : 0;
		ra->unknown += a->u >> b & 1 ? a->n : 0;
		ra->conflicts += a->cf >> b & 1 ? a->n : 0;
	}
	for (size_t k = 1; k <= t->cl->narticles; k++) {
		unsigned long long m = t->art_mask[k];

		if (!(a->in & m))
			continue;
		t->aacc[k - 1].checked += a->n;
		t->aacc[k - 1].violated += a->n * popcount64(a->v & m);
		t->aacc[k - 1].unknown += a->n * popcount64(a->u & m);
	}
	for (size_t it = 0; it < t->cl->nitems; it++) {
		unsigned long long m = t->item_mask[it];

		if (!(a->in & m))
			continue;
		t->iacc[it].checked += a->n;
		if (a->v & m) {
			t->iacc[it].violated += a->n;
			t->iacc[it].high_violated += a->v & m & t->high_mask ? a->n : 0;
		} else if (a->u & m) {
			t->iacc[it].unknown += a->n;
		}
	}
}

static void answers_flush(const struct tally *t, struct answer *slot, size_t *used)
{
	for (size_t i = 0; i < ANSWERS; i++)
		if (slot[i].n)
			tally_answer(t, &slot[i]);
	memset(slot, 0, ANSWERS * sizeof(*slot));
	*used = 0;
}

static void answers_add(const struct tally *t, struct answer *slot, size_t *used, unsigned long long in,
			unsigned long long v, unsigned long long u, unsigned long long cf)
{
	uint64_t h = (in * 0x9E3779B97F4A7C15ULL) ^ (v * 0xC2B2AE3D27D4EB4FULL) ^
		     (u * 0x165667B19E3779F9ULL) ^ (cf * 0x27D4EB2F165667C5ULL);
	size_t i;

	h ^= h >> 29;
	for (i = h & (ANSWERS - 1); slot[i].n; i = (i + 1) & (ANSWERS - 1))
		if (slot[i].in == in && slot[i].v == v && slot[i].u == u && slot[i].cf == cf) {
			slot[i].n++;
			return;
		}
	if (*used >= ANSWERS / 2) {
		answers_flush(t, slot, used);
		for (i = h & (ANSWERS - 1); slot[i].n; i = (i + 1) & (ANSWERS - 1))
			;
	}
	slot[i] = (struct answer){ in, v, u, cf, 1 };
	(*used)++;
}

/* ---- one row's answers as bit masks ---- */

/* zj_masks(nscopes, nrules, conflict_rules, read_cols, scope..., when...,
 * conflict..., column...): the answers of one row as five 64-bit masks, in
 * one call instead of a hundred column reads: the scopes the row is in, the
 * rules whose condition is true and those whose condition is NULL (by rule
 * bit), the rules whose contradiction test is true (conflict_rules says
 * which rules have one, in bit order), and the read columns that are empty
 * (read_cols says which columns are passed, in column order). */
enum { MASK_SCOPES, MASK_TRUE, MASK_NULL, MASK_CONFLICT, MASK_EMPTY, NMASKS };

static int truthy(sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER: return sqlite3_value_int64(v) != 0;
	case SQLITE_NULL: return -1;
	default: return sqlite3_value_double(v) != 0.0;
	}
}

static void fn_masks(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	unsigned long long m[NMASKS] = { 0 }, confs, reads;
	int nscopes, nrules, a = 4;

	if (argc < 4) {
		sqlite3_result_error(ctx, "zj_masks: too few arguments", -1);
		return;
	}
	nscopes = sqlite3_value_int(argv[0]);
	nrules = sqlite3_value_int(argv[1]);
	confs = (unsigned long long)sqlite3_value_int64(argv[2]);
	reads = (unsigned long long)sqlite3_value_int64(argv[3]);
	if (nscopes < 0 || nscopes > 64 || nrules < 0 || nrules > 64 ||
	    a + nscopes + nrules + __builtin_popcountll(confs) + __builtin_popcountll(reads) != argc) {
		sqlite3_result_error(ctx, "zj_masks: wrong arguments", -1);
		return;
	}
	for (int s = 0; s < nscopes; s++, a++)
		if (truthy(argv[a]) != 0)	/* NULL counts as in scope */
			m[MASK_SCOPES] |= 1ull << s;
	for (int b = 0; b < nrules; b++, a++) {
		int t = truthy(argv[a]);

		if (t > 0)
			m[MASK_TRUE] |= 1ull << b;
		else if (t < 0)
			m[MASK_NULL] |= 1ull << b;
	}
	for (int b = 0; b < 64; b++)
		if (confs >> b & 1 && truthy(argv[a++]) > 0)
			m[MASK_CONFLICT] |= 1ull << b;
	for (int c = 0; c < 64; c++)
		if (reads >> c & 1 && sqlite3_value_type(argv[a++]) == SQLITE_NULL)
			m[MASK_EMPTY] |= 1ull << c;
	sqlite3_result_blob(ctx, m, sizeof(m), SQLITE_TRANSIENT);
}

/* ---- findings, written in batches ---- */

/* The scan records a finding for most subjects of a big inventory: one
 * INSERT of BATCH rows costs much less than BATCH INSERTs of one. */
#define BATCH 64

struct frow {
	long long subject, peer, peer_across;
	unsigned long long v, u, nulls, cf;
	int reasons;
};

struct fwriter {
	sqlite3 *db;
	sqlite3_stmt *many, *one;
	int kind;
	size_t n;
	struct frow row[BATCH];
};

#define FINDINGS_INSERT "INSERT INTO findings (inventory, subject, violated, unknown, nulls, peer," \
			" peer_reasons, conflicts, peer_across) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define FINDINGS_COLS 9

static int fwriter_init(struct fwriter *w, sqlite3 *db, int kind)
{
	char *sql = sqlite3_mprintf("%s", FINDINGS_INSERT);

	memset(w, 0, sizeof(*w));
	w->db = db;
	w->kind = kind;
	for (int i = 1; sql && i < BATCH; i++) {
		char *n = sqlite3_mprintf("%s, (?, ?, ?, ?, ?, ?, ?, ?, ?)", sql);

		sqlite3_free(sql);
		sql = n;
	}
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &w->many, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, FINDINGS_INSERT, -1, &w->one, NULL) != SQLITE_OK) {
		sqlite3_free(sql);
		return -1;
	}
	sqlite3_free(sql);
	return 0;
}

static void bind_or_null(sqlite3_stmt *st, int i, long long x, int set)
{
	if (set)
		sqlite3_bind_int64(st, i, x);
	else
		sqlite3_bind_null(st, i);
}

static int fwriter_run(struct fwriter *w, sqlite3_stmt *st, size_t first, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct frow *r = &w->row[first + i];
		int b = (int)i * FINDINGS_COLS;

		sqlite3_bind_int(st, b + 1, w->kind);
		sqlite3_bind_int64(st, b + 2, r->subject);
		sqlite3_bind_int64(st, b + 3, (long long)r->v);
		sqlite3_bind_int64(st, b + 4, (long long)r->u);
		sqlite3_bind_int64(st, b + 5, (long long)r->nulls);
		bind_or_null(st, b + 6, r->peer, r->peer != 0);
		bind_or_null(st, b + 7, r->reasons, r->peer != 0);
		sqlite3_bind_int64(st, b + 8, (long long)r->cf);
		bind_or_null(st, b + 9, r->peer_across, r->peer_across != 0);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

static int fwriter_flush(struct fwriter *w)
{
	size_t i = 0;

	if (w->n == BATCH && fwriter_run(w, w->many, 0, BATCH) < 0)
		return -1;
	if (w->n != BATCH)
		for (; i < w->n; i++)
			if (fwriter_run(w, w->one, i, 1) < 0)
				return -1;
	w->n = 0;
	return 0;
}

static int fwriter_add(struct fwriter *w, const struct frow *r)
{
	w->row[w->n++] = *r;
	return w->n == BATCH ? fwriter_flush(w) : 0;
}

static void fwriter_release(struct fwriter *w)
{
	sqlite3_finalize(w->many);
	sqlite3_finalize(w->one);
}

/* ---- the scan's answers merged with the passes' ---- */

/* Until the passes are done, the scan keeps its answers (the rows with a
 * finding, in rowid order) here, packed: a byte saying which of v, u,
 * nulls and conflicts are not 0, the rowid's distance from the previous
 * one, then those that are not 0, each as a varint (about 20 bytes a row
 * where the rules find a lot).  Writing each finding once, whole, in
 * rowid order costs much less than writing the scan's findings and then
 * looking up and updating those the passes name (half a million of a
 * million apps).  Past RBUF_MAX the scan waits for the passes instead, so
 * the memory stays bounded whatever the inventory's size. */
#ifndef RBUF_MAX
#define RBUF_MAX (16u << 20)
#endif

struct rbuf {
	unsigned char *p;
	size_t n, cap, pos;
	long long last;		/* the last rowid put, or got */
};

static unsigned char *put_varint(unsigned char *o, unsigned long long x)
{
	while (x >= 0x80) {
		*o++ = (unsigned char)(x | 0x80);
		x >>= 7;
	}
	*o++ = (unsigned char)x;
	return o;
}

static unsigned long long get_varint(const unsigned char **i)
{
	unsigned long long x = 0;
	int shift = 0;

	while (**i & 0x80) {
		x |= (unsigned long long)(*(*i)++ & 0x7f) << shift;
		shift += 7;
	}
	return x | (unsigned long long)*(*i)++ << shift;
}

static int rbuf_put(struct rbuf *b, const struct frow *r)
{
	const unsigned long long x[4] = { r->v, r->u, r->nulls, r->cf };
	unsigned char *o;

	if (b->cap - b->n < 1 + 5 * 10) {
		size_t c = b->cap ? b->cap * 2 : 1 << 16;
		unsigned char *p = realloc(b->p, c);

		if (!p)
			return -1;
		b->p = p;
		b->cap = c;
	}
	o = b->p + b->n;
	*o = 0;
	for (int k = 0; k < 4; k++)
		*o |= (unsigned char)((x[k] != 0) << k);
	o = put_varint(o + 1, (unsigned long long)r->subject - (unsigned long long)b->last);
	for (int k = 0; k < 4; k++)
		if (x[k])
			o = put_varint(o, x[k]);
	b->n = (size_t)(o - b->p);
	b->last = r->subject;
	return 0;
}

static int rbuf_get(struct rbuf *b, struct frow *r)
{
	unsigned long long x[4] = { 0 };
	const unsigned char *i = b->p + b->pos;
	unsigned flags;

	if (b->pos >= b->n)
		return 0;
	flags = *i++;
	b->last = (long long)((unsigned long long)b->last + get_varint(&i));
	for (int k = 0; k < 4; k++)
		if (flags >> k & 1)
			x[k] = get_varint(&i);
	b->pos = (size_t)(i - b->p);
	*r = (struct frow){ .subject = b->last, .v = x[0], .u = x[1], .nulls = x[2], .cf = x[3] };
	return 1;
}

/* The findings, written in rowid order: the scan's rows and the subjects
 * the passes name, each once with what both found. */
struct merge {
	struct fwriter fw;
	const struct tally *t;
	struct dups *dups;	/* per bit, sorted by rowid; pos is the next */
};

static long long merge_next(const struct merge *m)
{
	long long rowid = INT64_MAX;

	for (int b = 0; b < m->t->nbits; b++) {
		const struct dups *d = &m->dups[b];

		if (d->pos < d->n && d->v[d->pos].rowid < rowid)
			rowid = d->v[d->pos].rowid;
	}
	return rowid;
}

/* Writes r (a row the scan found, or an empty one) with what the passes
 * found for it. */
static int merge_one(struct merge *m, struct frow *r)
{
	const struct tally *t = m->t;
	unsigned long long add = 0;

	for (int b = 0; b < t->nbits; b++) {
		struct dups *d = &m->dups[b];
		const struct dup *x;

		if (d->pos >= d->n || d->v[d->pos].rowid != r->subject)
			continue;
		x = &d->v[d->pos++];
		add |= 1ull << b;
		if (t->cl->rules[t->idx[b]].method == RULE_SIMILAR_APPS) {
			r->peer = x->pr >> 2;
			r->reasons = (int)(x->pr & 3);
		} else {
			r->peer_across = x->pr >> 2;
		}
	}
	if (add) {
		tally_add(t, r->v, r->u, add);
		r->v |= add;
	}
	return fwriter_add(&m->fw, r);
}

/* Writes the subjects only the passes name, up to rowid (excluded). */
static int merge_until(struct merge *m, long long rowid)
{
	long long next;

	while ((next = merge_next(m)) < rowid) {
		struct frow r = { .subject = next };

		if (merge_one(m, &r) < 0)
			return -1;
	}
	return 0;
}

static int merge_row(struct merge *m, struct frow *r)
{
	return merge_until(m, r->subject) < 0 ? -1 : merge_one(m, r);
}

/* Waits for the passes' threads; err (may be NULL) gets the first one's
 * error. */
static int passes_join(struct passes *pass, int npass, struct zj_error *err)
{
	int rc = 0;

	for (int k = 0; k < npass; k++) {
		if (!pass[k].threaded)
			continue;
		pthread_join(pass[k].thread, NULL);
		pass[k].threaded = 0;
		if (pass[k].rc < 0 && rc == 0) {
			if (err)
				*err = pass[k].err;
			rc = -1;
		}
	}
	return rc;
}

/* Writes what the scan kept while the passes ran, with their answers. */
static int merge_buffer(struct merge *m, struct rbuf *rb, sqlite3 *db, struct zj_error *err)
{
	struct frow r;

	trace("main", "wait for passes");
	rb->pos = 0;
	rb->last = 0;
	while (rbuf_get(rb, &r))
		if (merge_row(m, &r) < 0)
			return store_error(db, err, _("cannot record findings"));
	free(rb->p);
	*rb = (struct rbuf){ 0 };
	trace("main", "write the kept");
	return 0;
}

/* ---- the scan ---- */

/* What a row's answers depend on besides the row, read by the scan's
 * threads and written by none. */
struct scan {
	const struct checklist *cl;
	const struct inventory *inv;
	const size_t *idx;
	int nbits, nscopes, host_col;
	const int *count_col;
	unsigned long long active, sql_bits, pass_bits, tags_bit;
	const unsigned long long *scope_rules;
	struct cmap *counts;
};

/* The answers of st's current row: the rules it is in scope of (*in) and
 * the finding it makes (v and u both 0: none).  -1 on a malformed row. */
static int scan_row(const struct scan *x, sqlite3_stmt *st, struct frow *fr, unsigned long long *in)
{
	unsigned long long inscope = 0, v, u, cf, mk[NMASKS];

	if (sqlite3_column_bytes(st, 1) != (int)sizeof(mk))
		return -1;
	memcpy(mk, sqlite3_column_blob(st, 1), sizeof(mk));
	for (int sc = 0; sc < x->nscopes; sc++)
		if (mk[MASK_SCOPES] >> sc & 1)
			inscope |= x->scope_rules[sc];
	inscope &= x->active;
	/* Declarations that disagree: to verify, never a pass and never a
	 * violation. */
	cf = mk[MASK_CONFLICT] & inscope;
	v = mk[MASK_TRUE] & x->sql_bits & inscope & ~cf;
	u = (mk[MASK_NULL] & x->sql_bits & inscope & ~cf) | cf;
	for (int b = 0; b < x->nbits; b++) {
		const struct cl_rule *r = &x->cl->rules[x->idx[b]];

		if (!(x->pass_bits & inscope & ~cf & (1ull << b)))
			continue;
		if (r->method == RULE_COUNT_PER_UNIT) {
			int cv = count_verdict(&x->counts[b], (const char *)sqlite3_column_text(st, x->host_col),
					       (const char *)sqlite3_column_text(st, x->count_col[b]),
					       checklist_threshold(x->cl, r->limit)->value);

			if (cv > 0)
				v |= 1ull << b;
			else if (cv < 0)
				u |= 1ull << b;
		} else if (r->method == RULE_SIMILAR_ACROSS && (mk[MASK_EMPTY] & x->tags_bit)) {
			/* No tags: the function cannot be compared across
			 * units.  The passes' answers are merged in as the
			 * findings are written (struct merge). */
			u |= 1ull << b;
		}
	}
	*fr = (struct frow){ .subject = sqlite3_column_int64(st, 0), .v = v, .u = u,
			     .nulls = u ? mk[MASK_EMPTY] : 0, .cf = cf };
	*in = inscope;
	return 0;
}

/* Prepares the scan's statement on db (the rows from :zj_lo to :zj_hi, in
 * rowid order) under the authorizer. */
static int scan_prepare(sqlite3 *db, const struct scan *x, const char *sql, sqlite3_stmt **st,
			struct zj_error *err)
{
	struct guard g = { .inv = x->inv, .allow_rowid = 1 };

	if (sqlite3_create_function_v2(db, "zj_masks", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_masks,
				       NULL, NULL, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot register rule functions"));
	sqlite3_set_authorizer(db, authorize, &g);
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		sqlite3_set_authorizer(db, NULL, NULL);
		return zj_err(err, _("cannot compile the rules for %s: %s"), x->inv->name,
			      g.why[0] ? g.why : sqlite3_errmsg(db));
	}
	sqlite3_set_authorizer(db, NULL, NULL);
	bind_thresholds(*st, x->cl);
	return 0;
}

static void scan_range(sqlite3_stmt *st, long long lo, long long hi)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":zj_lo"), lo);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":zj_hi"), hi);
}

/* While the passes run, the scan of a big inventory is the longest of the
 * three threads: a helper scans the upper half of the table on a
 * connection of its own, with counts of its own, and keeps its answers
 * (at most HELPER_MAX bytes: where it stops, the main thread goes on) for
 * the main thread to write after its own half. */
#ifndef HELPER_MAX
#define HELPER_MAX (8u << 20)
#endif

struct helper {
	const struct scan *x;
	const char *path, *as_of, *sql;
	long long lo;		/* it scans from this rowid on */
	struct tally t;		/* its own counts */
	struct rbuf rb;
	long long last, rows;	/* the last rowid it did, how many rows */
	int finished;		/* it did every row from lo on */
	pthread_t thread;
	struct zj_error err;
	int rc;
};

static void *helper_thread(void *arg)
{
	struct helper *h = arg;
	struct answer *answers = calloc(ANSWERS, sizeof(*answers));
	size_t nanswers = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int step;

	h->rc = -1;
	trace("helper", NULL);
	if (!answers) {
		zj_err(&h->err, "%s", _("out of memory"));
		goto out;
	}
	if (sqlite3_open_v2(h->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		store_error(db, &h->err, _("cannot evaluate rules"));
		goto out;
	}
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	if (store_exec(db, "PRAGMA cache_size = -2048", &h->err) < 0 ||
	    rules_register_functions(db, h->as_of, &h->err) < 0 || scan_prepare(db, h->x, h->sql, &st, &h->err) < 0)
		goto out;
	scan_range(st, h->lo, INT64_MAX);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct frow fr;
		unsigned long long in;

		if (scan_row(h->x, st, &fr, &in) < 0) {
			store_error(db, &h->err, _("cannot evaluate rules"));
			goto out;
		}
		if (in)
			answers_add(&h->t, answers, &nanswers, in, fr.v, fr.u, fr.cf);
		if ((fr.v | fr.u) && rbuf_put(&h->rb, &fr) < 0) {
			zj_err(&h->err, "%s", _("out of memory"));
			goto out;
		}
		h->last = fr.subject;
		h->rows++;
		if (h->rb.n >= HELPER_MAX)
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		store_error(db, &h->err, _("cannot evaluate rules"));
		goto out;
	}
	h->finished = step == SQLITE_DONE;
	answers_flush(&h->t, answers, &nanswers);
	trace("helper", "scan");
	h->rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(answers);
	return NULL;
}

/* Adds the helper's counts to the main thread's. */
static void helper_counts(const struct tally *t, const struct helper *h)
{
	for (int b = 0; b < t->nbits; b++) {
		struct rule_acc *to = &t->racc[t->idx[b]];
		const struct rule_acc *from = &h->t.racc[t->idx[b]];

		to->checked += from->checked;
		to->violated += from->violated;
		to->unknown += from->unknown;
		to->conflicts += from->conflicts;
	}
	for (size_t a = 0; a < t->cl->narticles; a++) {
		t->aacc[a].checked += h->t.aacc[a].checked;
		t->aacc[a].violated += h->t.aacc[a].violated;
		t->aacc[a].unknown += h->t.aacc[a].unknown;
	}
	for (size_t it = 0; it < t->cl->nitems; it++) {
		t->iacc[it].checked += h->t.iacc[it].checked;
		t->iacc[it].violated += h->t.iacc[it].violated;
		t->iacc[it].unknown += h->t.iacc[it].unknown;
		t->iacc[it].high_violated += h->t.iacc[it].high_violated;
	}
}

static void helper_release(struct helper *h)
{
	free(h->rb.p);
	free(h->t.racc);
	free(h->t.iacc);
	free(h->t.aacc);
	memset(h, 0, sizeof(*h));
}

static char *append(char *sql, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *append(char *sql, const char *fmt, ...)
{
	va_list ap;
	char *add, *n;

	if (!sql)
		return NULL;
	va_start(ap, fmt);
	add = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	n = add ? sqlite3_mprintf("%s%s", sql, add) : NULL;
	sqlite3_free(add);
	sqlite3_free(sql);
	return n;
}

static int scan_inventory(sqlite3 *db, const struct checklist *cl, enum inv_kind kind, enum level level,
			  const char *as_of, const char *own_unit, const unsigned long long *reads, struct rule_acc *racc,
			  struct proposal_counts *iacc, struct article_acc *aacc,
			  const struct rules_progress *progress, struct zj_error *err)
{
	const struct inventory *inv = inventory_get(kind);
	size_t idx[MAX_RULES_PER_INVENTORY];	/* bit → rule index */
	int nbits = 0, nscopes = 0, scope_of[MAX_RULES_PER_INVENTORY];
	const char *scopes[MAX_RULES_PER_INVENTORY];
	unsigned long long item_mask[1024], high_mask = 0, art_mask[256] = { 0 };
	struct dups dups[MAX_RULES_PER_INVENTORY];
	struct cmap counts[MAX_RULES_PER_INVENTORY];
	int step, rc = -1, ncols = 0, host_col = 0, similar = 0;
	int count_col[MAX_RULES_PER_INVENTORY] = { 0 };
	unsigned long long active = 0, sql_bits = 0, conf_bits = 0, tags_bit = 0;
	unsigned long long scope_rules[MAX_RULES_PER_INVENTORY] = { 0 };
	struct passes pass[MAX_RULES_PER_INVENTORY];
	int npass = 0, running = 0, merging = 0;
	struct rbuf rb = { 0 };
	struct merge mg = { 0 };
	struct tally t;
	struct answer *answers = NULL;
	size_t nanswers = 0;
	struct scan x;
	struct helper hp = { 0 };
	int helping = 0;
	sqlite3_stmt *st = NULL;
	char *sql = NULL;
	long long total = 0, done = 0;
	unsigned long long all_reads = 0, pass_bits = 0;

	memset(dups, 0, sizeof(dups));
	memset(counts, 0, sizeof(counts));
	trace("main", NULL);
	if (cl->nitems > 1024 || cl->narticles > 255 || inv->ncols > 64)
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
		if (r->method != RULE_SQL)
			pass_bits |= 1ull << nbits;
		if (rule_active(r, level))
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
	t = (struct tally){ cl, kind, idx, nbits, high_mask, item_mask, art_mask, racc, iacc, aacc };
	mg.t = &t;
	mg.dups = dups;

	/* The counts per unit come first: the scan reads them.  The
	 * similarity passes run beside the scan (struct passes). */
	for (int b = 0; b < nbits; b++) {
		const struct cl_rule *r = &cl->rules[idx[b]];

		if (!rule_active(r, level))
			continue;
		if (r->method == RULE_COUNT_PER_UNIT && count_per_unit(db, cl, r, &counts[b], err) < 0)
			goto out;
		if (r->method == RULE_SIMILAR_APPS || r->method == RULE_SIMILAR_ACROSS)
			similar = 1;
	}
	trace("main", "counts");
	if (similar) {
		const char *path = sqlite3_db_filename(db, "main");
		const char *one = getenv("ZHIJIAN_ONE_THREAD");

		for (int b = 0; b < nbits; b++) {
			const struct cl_rule *r = &cl->rules[idx[b]];
			struct passes *p = &pass[npass];

			if (!rule_active(r, level) || (r->method != RULE_SIMILAR_APPS && r->method != RULE_SIMILAR_ACROSS))
				continue;
			*p = (struct passes){ .cl = cl, .path = path, .as_of = as_of, .own_unit = own_unit,
					      .level = level, .idx = idx, .bits = 1ull << b, .dups = dups,
					      .running = &running };
			npass++;
			if (path && *path && !(one && *one)) {
				__atomic_add_fetch(&running, 1, __ATOMIC_RELAXED);
				if (pthread_create(&p->thread, NULL, passes_thread, p) == 0) {
					p->threaded = 1;
					continue;
				}
				__atomic_sub_fetch(&running, 1, __ATOMIC_RELAXED);
			}
			if (run_passes(p, db) < 0) {
				*err = p->err;
				goto out;
			}
		}
	}
	merging = !running;

	/* One scan: every scope, condition and contradiction test, and the
	 * emptiness of the columns the rules read, packed by zj_masks; then
	 * the values the counts per unit need.  SQLite evaluates them
	 * set-wise; NULL stays NULL (unknown). */
	for (int b = 0; b < nbits; b++) {
		const struct cl_rule *r = &cl->rules[idx[b]];

		if (rule_active(r, level)) {
			active |= 1ull << b;
			if (r->method == RULE_SQL)
				sql_bits |= 1ull << b;
			if (r->conflict)
				conf_bits |= 1ull << b;
		}
		scope_rules[scope_of[b]] |= 1ull << b;
	}
	if (inventory_find_column(inv, "function_tags") >= 0 &&
	    (all_reads >> inventory_find_column(inv, "function_tags") & 1))
		tags_bit = 1ull << inventory_find_column(inv, "function_tags");
	if (nscopes + nbits + popcount64(conf_bits) + popcount64(all_reads) + 4 > 127) {
		zj_err(err, _("the rules of %s take more than 127 values a row"), inv->name);
		goto out;
	}
	sql = sqlite3_mprintf("SELECT rowid, zj_masks(%d, %d, %lld, %lld", nscopes, nbits, (long long)conf_bits,
			      (long long)all_reads);
	for (int s = 0; s < nscopes; s++)
		sql = append(sql, ", (%s\n)", scopes[s]);
	for (int b = 0; b < nbits; b++)
		sql = append(sql, ", (%s\n)", sql_bits & (1ull << b) ? cl->rules[idx[b]].when : "NULL");
	for (int b = 0; b < nbits; b++)
		if (conf_bits & (1ull << b))
			sql = append(sql, ", (%s\n)", cl->rules[idx[b]].conflict);
	for (size_t c = 0; c < inv->ncols; c++)
		if (all_reads & (1ull << c))
			sql = append(sql, ", %s", inv->cols[c].key);
	sql = append(sql, ")");
	ncols = 2;
	for (int b = 0; b < nbits; b++) {
		const struct cl_rule *r = &cl->rules[idx[b]];

		if (r->method != RULE_COUNT_PER_UNIT || !(active & (1ull << b)))
			continue;
		if (!host_col) {
			sql = append(sql, ", host_unit");
			host_col = ncols++;
		}
		sql = append(sql, ", %s", r->count_by);
		count_col[b] = ncols++;
	}
	sql = append(sql, " FROM %s WHERE rowid BETWEEN :zj_lo AND :zj_hi ORDER BY rowid", inv->table);
	if (!sql) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	x = (struct scan){ cl, inv, idx, nbits, nscopes, host_col, count_col, active, sql_bits, pass_bits, tags_bit,
			   scope_rules, counts };
	if (scan_prepare(db, &x, sql, &st, err) < 0)
		goto out;
	scan_range(st, INT64_MIN, INT64_MAX);

	if (!(answers = calloc(ANSWERS, sizeof(*answers)))) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	if (fwriter_init(&mg.fw, db, (int)kind) < 0) {
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
	/* With the passes on threads, a helper scans the upper half. */
	if (running) {
		char *q = sqlite3_mprintf("SELECT min(rowid), max(rowid) FROM %s", inv->table);
		sqlite3_stmt *c;
		long long lo = 0, hi = 0;

		if (q && sqlite3_prepare_v2(db, q, -1, &c, NULL) == SQLITE_OK) {
			if (sqlite3_step(c) == SQLITE_ROW) {
				lo = sqlite3_column_int64(c, 0);
				hi = sqlite3_column_int64(c, 1);
			}
			sqlite3_finalize(c);
		}
		sqlite3_free(q);
		hp = (struct helper){ .x = &x, .path = sqlite3_db_filename(db, "main"), .as_of = as_of, .sql = sql,
				      .lo = lo + (hi - lo) / 2 + 1, .t = t };
		hp.t.racc = calloc(cl->nrules, sizeof(*hp.t.racc));
		hp.t.iacc = calloc(cl->nitems ? cl->nitems : 1, sizeof(*hp.t.iacc));
		hp.t.aacc = calloc(cl->narticles ? cl->narticles : 1, sizeof(*hp.t.aacc));
		if (hi > lo && hp.t.racc && hp.t.iacc && hp.t.aacc &&
		    pthread_create(&hp.thread, NULL, helper_thread, &hp) == 0) {
			helping = 1;
			scan_range(st, INT64_MIN, hp.lo - 1);
		} else {
			helper_release(&hp);
		}
	}

	for (;;) {
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			struct frow fr;
			unsigned long long in;

			if (scan_row(&x, st, &fr, &in) < 0) {
				store_error(db, err, _("cannot evaluate rules"));
				goto out;
			}
			if (in)
				answers_add(&t, answers, &nanswers, in, fr.v, fr.u, fr.cf);
			if (fr.v | fr.u) {
				/* Once the passes are done (or the scan's
				 * answers fill the buffer), the findings are
				 * written as they come. */
				if (!merging && (rb.n >= RBUF_MAX || !__atomic_load_n(&running, __ATOMIC_ACQUIRE))) {
					trace("main", "scan, passes run");
					if (passes_join(pass, npass, err) < 0 || merge_buffer(&mg, &rb, db, err) < 0)
						goto out;
					merging = 1;
				}
				if (merging ? merge_row(&mg, &fr) < 0 : rbuf_put(&rb, &fr) < 0) {
					if (merging)
						store_error(db, err, _("cannot record findings"));
					else
						zj_err(err, "%s", _("out of memory"));
					goto out;
				}
			}
			if (progress && progress->fn && (++done & 0xffff) == 0)
				progress->fn(progress->ctx, inv->name, done, total);
		}
		if (step != SQLITE_DONE) {
			store_error(db, err, _("cannot evaluate rules"));
			goto out;
		}
		if (!helping)
			break;
		/* The helper's rows come after the main thread's own. */
		trace("main", "scan");
		pthread_join(hp.thread, NULL);
		helping = 0;
		if (hp.rc < 0) {
			*err = hp.err;
			goto out;
		}
		trace("main", "wait for helper");
		helper_counts(&t, &hp);
		if (!merging && (passes_join(pass, npass, err) < 0 || merge_buffer(&mg, &rb, db, err) < 0))
			goto out;
		merging = 1;
		if (merge_buffer(&mg, &hp.rb, db, err) < 0)
			goto out;
		done += hp.rows;
		if (progress && progress->fn)
			progress->fn(progress->ctx, inv->name, done, total);
		if (hp.finished)
			break;
		scan_range(st, hp.last + 1, INT64_MAX);	/* where the helper stopped */
	}
	answers_flush(&t, answers, &nanswers);
	trace("main", "scan");
	if (!merging && (passes_join(pass, npass, err) < 0 || merge_buffer(&mg, &rb, db, err) < 0))
		goto out;
	if (merge_until(&mg, INT64_MAX) < 0 || fwriter_flush(&mg.fw) < 0) {
		store_error(db, err, _("cannot record findings"));
		goto out;
	}
	trace("main", "write the rest");
	rc = 0;
out:
	/* An error of the scan: the passes and the helper end on their own. */
	if (helping)
		pthread_join(hp.thread, NULL);
	helper_release(&hp);
	passes_join(pass, npass, NULL);
	sqlite3_finalize(st);
	fwriter_release(&mg.fw);
	free(rb.p);
	free(answers);
	sqlite3_free(sql);
	for (int b = 0; b < nbits; b++) {
		free(dups[b].v);
		cmap_free(&counts[b]);
	}
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
	size_t nr = cl->nrules ? cl->nrules : 1;
	unsigned long long *reads = calloc(nr, sizeof(*reads));
	unsigned long long *conflicts = calloc(nr, sizeof(*conflicts));
	struct rule_acc *racc = calloc(nr, sizeof(*racc));
	struct proposal_counts *iacc = calloc(cl->nitems ? cl->nitems : 1, sizeof(*iacc));
	struct article_acc *aacc = calloc(cl->narticles ? cl->narticles : 1, sizeof(*aacc));
	int imported_any[INV_COUNT];
	sqlite3_stmt *st = NULL;
	long long cache = 0;
	char now[21];
	int rc = -1, cache_set = 0;

	if (!reads || !conflicts || !racc || !iacc || !aacc) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	if (validate(cl, reads, conflicts, err) < 0 || rules_register_functions(db, as_of, err) < 0)
		goto out;
	/* The scan reads the inventories once in order and appends the
	 * findings: a small page cache does, and leaves the memory to the
	 * similarity passes.  The workspace's own size comes back after. */
	cache = store_scalar(db, "PRAGMA cache_size");
	if (store_exec(db, "PRAGMA cache_size = -4096", err) < 0)
		goto out;
	cache_set = 1;
	if (store_exec(db, "DELETE FROM findings; DELETE FROM rules; DELETE FROM article_stats;"
			   " DELETE FROM proposals;", err) < 0)
		goto out;
	for (int k = 0; k < INV_COUNT; k++) {
		imported_any[k] = inventory_imported(db, (enum inv_kind)k);
		if (scan_inventory(db, cl, (enum inv_kind)k, level, as_of, own_unit, reads, racc, iacc, aacc,
				   progress, err) < 0)
			goto out;
	}

	if (sqlite3_prepare_v2(db, "INSERT INTO rules (id, inventory, bit, article, severity, title, message,"
			       " measure, reads, checked, violated, unknown, method, type, basis, source, zombie,"
			       " conflict_reads, conflicts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	for (size_t i = 0; i < cl->nrules; i++) {
		const struct cl_rule *r = &cl->rules[i];
		char *msg = checklist_expand_message(cl, r->message);
		int step;

		if (!msg) {
			zj_err(err, "%s", _("out of memory"));
			goto out;
		}
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, (int)r->inv);
		sqlite3_bind_int(st, 3, racc[i].bit);
		sqlite3_bind_int(st, 4, r->article);
		sqlite3_bind_text(st, 5, severity_key(r->sev), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, r->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, msg, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, r->measure, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, (long long)reads[i]);
		sqlite3_bind_int64(st, 10, racc[i].checked);
		sqlite3_bind_int64(st, 11, racc[i].violated);
		sqlite3_bind_int64(st, 12, racc[i].unknown);
		sqlite3_bind_text(st, 13, method_key(r->method), -1, SQLITE_STATIC);
		if (r->type >= 0)
			sqlite3_bind_text(st, 14, problem_type_key(r->type), -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 14);
		sqlite3_bind_text(st, 15, r->basis, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 16, basis_source_key(r->source), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 17, r->zombie);
		sqlite3_bind_int64(st, 18, (long long)conflicts[i]);
		sqlite3_bind_int64(st, 19, racc[i].conflicts);
		step = sqlite3_step(st);
		free(msg);
		if (step != SQLITE_DONE)
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
	trace("main", "rules, items");

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
	if (cache_set) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", cache);
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	free(reads);
	free(conflicts);
	free(racc);
	free(iacc);
	free(aacc);
	return rc;
}
