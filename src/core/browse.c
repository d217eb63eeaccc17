#include "core/browse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/store.h"
#include "util/i18n.h"
#include "util/strbuf.h"

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

static int popcount64(unsigned long long v)
{
	int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* ---- rules ---- */

int browse_rules_load(sqlite3 *db, struct browse_rules *r, struct zj_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(db, "SELECT id, inventory, bit, article, severity, title, message, reads,"
			       " method = 'similar-apps', violated, unknown, conflict_reads, coalesce(type, '') FROM rules"
			       " ORDER BY article, inventory, bit", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the rules"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct browse_rule *br;
		int sev = severity_parse((const char *)sqlite3_column_text(st, 4));
		int inv = sqlite3_column_int(st, 1);

		if (inv < 0 || inv >= INV_COUNT)
			continue;	/* written by a newer zhijian */
		if (r->n == cap) {
			struct browse_rule *v = realloc(r->v, (cap = cap ? cap * 2 : 64) * sizeof(*v));

			if (!v) {
				sqlite3_finalize(st);
				browse_rules_release(r);
				return zj_err(err, "%s", _("out of memory"));
			}
			r->v = v;
		}
		br = &r->v[r->n++];
		memset(br, 0, sizeof(*br));
		br->id = col_dup(st, 0);
		br->inv = (enum inv_kind)inv;
		br->bit = sqlite3_column_int(st, 2);
		br->article = sqlite3_column_int(st, 3);
		br->sev = sev < 0 ? SEV_LOW : (enum severity)sev;
		br->title = col_dup(st, 5);
		br->message = col_dup(st, 6);
		br->reads = (unsigned long long)sqlite3_column_int64(st, 7);
		br->similar = sqlite3_column_int(st, 8);
		br->violated = sqlite3_column_int64(st, 9);
		br->unknown = sqlite3_column_int64(st, 10);
		br->conflict_reads = (unsigned long long)sqlite3_column_int64(st, 11);
		br->type = problem_type_parse((const char *)sqlite3_column_text(st, 12));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		browse_rules_release(r);
		return store_error(db, err, _("cannot read the rules"));
	}
	return 0;
}

void browse_rules_release(struct browse_rules *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].title);
		free(r->v[i].message);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ---- inventory pages ---- */

struct browse_inv {
	sqlite3 *db;
	enum inv_kind kind;
	size_t ncols;
	char *filter;		/* as given */
	char *pattern;		/* the LIKE pattern for it */
	sqlite3_stmt *asc, *desc, *count_all, *count_filtered, *rank;
};

/* The filter clause: ?2 is the LIKE pattern or NULL. */
#define FILTER_SQL "(?2 IS NULL OR i.id LIKE ?2 ESCAPE '\\' OR i.name LIKE ?2 ESCAPE '\\'" \
	" OR i.host_unit LIKE ?2 ESCAPE '\\')"

struct browse_inv *browse_inv_new(sqlite3 *db, enum inv_kind kind, const int *cols, size_t ncols,
				  struct zj_error *err)
{
	const struct inventory *inv = inventory_get(kind);
	struct browse_inv *b;
	struct strbuf sel = { 0 };
	char *sql = NULL;

	if (!inv) {
		zj_err(err, "%s", _("no such inventory"));
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		zj_err(err, "%s", _("out of memory"));
		return NULL;
	}
	b->db = db;
	b->kind = kind;
	b->ncols = ncols;
	sb_adds(&sel, "SELECT i.rowid");
	for (size_t c = 0; c < ncols; c++) {
		if (cols[c] < 0 || (size_t)cols[c] >= inv->ncols) {
			zj_err(err, "%s", _("no such inventory column"));
			goto fail;
		}
		sb_addf(&sel, ", i.%s", inv->cols[cols[c]].key);
	}
	if (sb_addf(&sel, ", f.violated, f.unknown FROM %s i LEFT JOIN findings f"
		    " ON f.inventory = %d AND f.subject = i.rowid", inv->table, (int)kind) < 0) {
		zj_err(err, "%s", _("out of memory"));
		goto fail;
	}
	/* Keyset paging: a range on the rowid and a LIMIT, so a page costs
	 * the same at row 10 and at row 999,990. */
	sql = sqlite3_mprintf("%s WHERE i.rowid > ?1 AND " FILTER_SQL " ORDER BY i.rowid LIMIT ?3", sel.p);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &b->asc, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_free(sql);
	sql = sqlite3_mprintf("%s WHERE i.rowid < ?1 AND " FILTER_SQL " ORDER BY i.rowid DESC LIMIT ?3", sel.p);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &b->desc, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_free(sql);
	/* Unfiltered, a plain count(*) lets SQLite count b-tree pages
	 * instead of reading rows. */
	sql = sqlite3_mprintf("SELECT count(*) FROM %s", inv->table);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &b->count_all, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_free(sql);
	sql = sqlite3_mprintf("SELECT count(*) FROM %s i WHERE ?1 = ?1 AND " FILTER_SQL, inv->table);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &b->count_filtered, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_free(sql);
	sql = sqlite3_mprintf("SELECT count(*) FROM %s i WHERE i.rowid < ?1 AND " FILTER_SQL, inv->table);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &b->rank, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_free(sql);
	sb_release(&sel);
	return b;
sqlfail:
	sqlite3_free(sql);
	store_error(db, err, _("cannot read the inventory"));
fail:
	sb_release(&sel);
	browse_inv_free(b);
	return NULL;
}

void browse_inv_free(struct browse_inv *b)
{
	if (!b)
		return;
	sqlite3_finalize(b->asc);
	sqlite3_finalize(b->desc);
	sqlite3_finalize(b->count_all);
	sqlite3_finalize(b->count_filtered);
	sqlite3_finalize(b->rank);
	free(b->filter);
	free(b->pattern);
	free(b);
}

int browse_inv_filter(struct browse_inv *b, const char *text, struct zj_error *err)
{
	struct strbuf p = { 0 };
	char *copy = NULL;

	if (text && *text) {
		copy = strdup(text);
		sb_adds(&p, "%");
		for (const char *s = text; *s; s++) {
			if (*s == '%' || *s == '_' || *s == '\\')
				sb_add(&p, "\\", 1);
			sb_add(&p, s, 1);
		}
		if (!copy || sb_adds(&p, "%") < 0) {
			free(copy);
			sb_release(&p);
			return zj_err(err, "%s", _("out of memory"));
		}
	}
	free(b->filter);
	free(b->pattern);
	b->filter = copy;
	b->pattern = p.p;
	return 0;
}

const char *browse_inv_filter_text(const struct browse_inv *b)
{
	return b->filter;
}

static void row_release(struct browse_row *r, size_t ncols)
{
	if (r->cell)
		for (size_t c = 0; c < ncols; c++)
			free(r->cell[c]);
	free(r->cell);
}

void browse_page_release(struct browse_page *page)
{
	for (size_t i = 0; i < page->n; i++)
		row_release(&page->row[i], page->ncols);
	free(page->row);
	page->row = NULL;
	page->n = 0;
}

int browse_inv_page(struct browse_inv *b, enum browse_from from, long long key, size_t n,
		    struct browse_page *page, struct zj_error *err)
{
	int backwards = from == BROWSE_BEFORE || from == BROWSE_LAST;
	sqlite3_stmt *st = backwards ? b->desc : b->asc;
	int rc;

	browse_page_release(page);
	page->ncols = b->ncols;
	if (!n)
		return 0;
	page->row = calloc(n, sizeof(*page->row));
	if (!page->row)
		return zj_err(err, "%s", _("out of memory"));
	switch (from) {
	case BROWSE_FIRST: key = INT64_MIN; break;
	case BROWSE_LAST: key = INT64_MAX; break;
	case BROWSE_AT: key = key == INT64_MIN ? key : key - 1; break;
	default: break;
	}
	sqlite3_bind_int64(st, 1, key);
	if (b->pattern)
		sqlite3_bind_text(st, 2, b->pattern, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, (long long)n);
	while (page->n < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct browse_row *r = &page->row[page->n];
		int nc = (int)b->ncols;

		r->cell = calloc(b->ncols ? b->ncols : 1, sizeof(*r->cell));
		if (!r->cell)
			goto nomem;
		page->n++;
		r->rowid = sqlite3_column_int64(st, 0);
		for (int c = 0; c < nc; c++) {
			if (sqlite3_column_type(st, 1 + c) == SQLITE_NULL)
				continue;
			if (!(r->cell[c] = col_dup(st, 1 + c)))
				goto nomem;
		}
		r->violated = popcount64((unsigned long long)sqlite3_column_int64(st, 1 + nc));
		r->unknown = popcount64((unsigned long long)sqlite3_column_int64(st, 2 + nc));
	}
	if (page->n < n && rc != SQLITE_DONE) {
		store_error(b->db, err, _("cannot read the inventory"));
		sqlite3_reset(st);
		browse_page_release(page);
		return -1;
	}
	sqlite3_reset(st);
	if (backwards)
		for (size_t i = 0; i < page->n / 2; i++) {
			struct browse_row t = page->row[i];

			page->row[i] = page->row[page->n - 1 - i];
			page->row[page->n - 1 - i] = t;
		}
	return (int)page->n;
nomem:
	sqlite3_reset(st);
	browse_page_release(page);
	return zj_err(err, "%s", _("out of memory"));
}

static long long count_stmt(struct browse_inv *b, sqlite3_stmt *st, long long key, int filtered,
			    struct zj_error *err)
{
	long long v = -1;

	if (filtered) {
		sqlite3_bind_int64(st, 1, key);
		if (b->pattern)
			sqlite3_bind_text(st, 2, b->pattern, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 2);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		store_error(b->db, err, _("cannot count the rows"));
	sqlite3_reset(st);
	return v;
}

long long browse_inv_count(struct browse_inv *b, struct zj_error *err)
{
	if (!b->pattern)
		return count_stmt(b, b->count_all, 0, 0, err);
	return count_stmt(b, b->count_filtered, 0, 1, err);
}

long long browse_inv_rank(struct browse_inv *b, long long rowid, struct zj_error *err)
{
	return count_stmt(b, b->rank, rowid, 1, err);
}

/* ---- one record ---- */

int browse_record_load(sqlite3 *db, enum inv_kind kind, long long rowid,
		       struct browse_record *rec, struct zj_error *err)
{
	const struct inventory *inv = inventory_get(kind);
	struct strbuf sql = { 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	memset(rec, 0, sizeof(*rec));
	if (!inv)
		return zj_err(err, "%s", _("no such inventory"));
	sb_adds(&sql, "SELECT ");
	for (size_t c = 0; c < inv->ncols; c++)
		sb_addf(&sql, "i.%s, ", inv->cols[c].key);
	if (sb_addf(&sql, "i.extra, i.src_line, (SELECT file FROM imports WHERE batch = i.batch)"
		    " FROM %s i WHERE i.rowid = ?", inv->table) < 0) {
		sb_release(&sql);
		return zj_err(err, "%s", _("out of memory"));
	}
	rc = sqlite3_prepare_v2(db, sql.p, -1, &st, NULL);
	sb_release(&sql);
	if (rc != SQLITE_OK)
		return store_error(db, err, _("cannot read the row"));
	sqlite3_bind_int64(st, 1, rowid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		store_error(db, err, _("cannot read the row"));
		sqlite3_finalize(st);
		return -1;
	}
	rec->kind = kind;
	rec->rowid = rowid;
	rec->value = calloc(inv->ncols, sizeof(*rec->value));
	if (!rec->value) {
		sqlite3_finalize(st);
		return zj_err(err, "%s", _("out of memory"));
	}
	for (size_t c = 0; c < inv->ncols; c++)
		rec->value[c] = col_dup(st, (int)c);
	rec->extra = col_dup(st, (int)inv->ncols);
	rec->src_line = sqlite3_column_int64(st, (int)inv->ncols + 1);
	rec->file = col_dup(st, (int)inv->ncols + 2);
	sqlite3_finalize(st);
	return 1;
}

void browse_record_release(struct browse_record *rec)
{
	const struct inventory *inv = inventory_get(rec->kind);

	if (rec->value && inv)
		for (size_t c = 0; c < inv->ncols; c++)
			free(rec->value[c]);
	free(rec->value);
	free(rec->extra);
	free(rec->file);
	memset(rec, 0, sizeof(*rec));
}

/* ---- findings ---- */

void browse_findings_free(struct browse_finding *f, size_t n)
{
	if (!f)
		return;
	for (size_t i = 0; i < n; i++) {
		free(f[i].subject_id);
		free(f[i].subject_name);
		free(f[i].message);
	}
}

/* The message of one finding, as `zhijian findings` words it: the rule's,
 * plus what makes this one specific (the duplicate's peer, or which fields
 * are empty). */
void finding_message(struct strbuf *sb, enum inv_kind kind, const char *rule_message, int similar,
		     unsigned long long reads, int violated, unsigned long long nulls,
		     const char *peer_id, const char *peer_name, int peer_reasons,
		     int conflict, unsigned long long conflict_reads)
{
	const struct inventory *inv = inventory_get(kind);

	sb_reset(sb);
	if (violated) {
		sb_adds(sb, rule_message ? rule_message : "");
		if (similar && peer_id) {
			const char *how = peer_reasons == 3 ? _("similar name and function")
					: peer_reasons == 2 ? _("similar function") : _("similar name");

			sb_addf(sb, _(" (%s to '%s' %s)"), how, peer_name ? peer_name : "", peer_id);
		}
	} else {
		struct strbuf cols = { 0 };
		unsigned long long which = conflict ? conflict_reads : nulls & reads;

		for (size_t c = 0; inv && c < inv->ncols && c < 64; c++)
			if (which & (1ull << c))
				sb_addf(&cols, "%s%s", cols.len ? "、" : "", inv->cols[c].header);
		if (conflict)
			sb_addf(sb, _("needs verification: %s disagree"), cols.p ? cols.p : "?");
		else
			sb_addf(sb, _("needs verification: %s empty"), cols.p ? cols.p : "?");
		sb_release(&cols);
	}
}

static int fill_finding(struct browse_finding *f, const struct browse_rules *rules, size_t ri,
			long long subject, const char *id, const char *name, int violated,
			unsigned long long vmask, unsigned long long umask,
			unsigned long long nulls, const char *peer_id, const char *peer_name,
			int peer_reasons, int conflict)
{
	memset(f, 0, sizeof(*f));
	f->rule = ri;
	f->inv = rules->v[ri].inv;
	f->subject = subject;
	f->violated = violated;
	f->subject_violated = vmask;
	f->subject_unknown = umask;
	f->subject_id = strdup(id ? id : "");
	f->subject_name = strdup(name ? name : "");
	{
		const struct browse_rule *r = &rules->v[ri];
		struct strbuf sb = { 0 };

		finding_message(&sb, r->inv, r->message, r->similar, r->reads, violated, nulls,
				peer_id, peer_name, peer_reasons, conflict, r->conflict_reads);
		f->message = sb.p ? sb.p : strdup("");
	}
	if (!f->subject_id || !f->subject_name || !f->message) {
		browse_findings_free(f, 1);
		return -1;
	}
	return 0;
}

int browse_subject_findings(sqlite3 *db, const struct browse_rules *rules, enum inv_kind kind,
			    long long rowid, struct browse_finding **out, size_t *n,
			    struct zj_error *err)
{
	const struct inventory *inv = inventory_get(kind);
	unsigned long long v, u, nulls;
	struct browse_finding *f;
	sqlite3_stmt *st = NULL;
	char *sql;
	int rc;

	*out = NULL;
	*n = 0;
	if (!inv)
		return zj_err(err, "%s", _("no such inventory"));
	sql = sqlite3_mprintf("SELECT f.violated, f.unknown, f.nulls, i.id, i.name, p.id, p.name, f.peer_reasons,"
			      " f.conflicts FROM findings f JOIN %s i ON i.rowid = f.subject LEFT JOIN %s p ON p.rowid = f.peer"
			      " WHERE f.inventory = ?1 AND f.subject = ?2", inv->table, inv->table);
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_free(sql);
		return store_error(db, err, _("cannot read the findings"));
	}
	sqlite3_free(sql);
	sqlite3_bind_int(st, 1, (int)kind);
	sqlite3_bind_int64(st, 2, rowid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 0 : store_error(db, err, _("cannot read the findings"));
	}
	v = (unsigned long long)sqlite3_column_int64(st, 0);
	u = (unsigned long long)sqlite3_column_int64(st, 1);
	nulls = (unsigned long long)sqlite3_column_int64(st, 2);
	f = calloc((size_t)popcount64(v | u) + 1, sizeof(*f));
	if (!f) {
		sqlite3_finalize(st);
		return zj_err(err, "%s", _("out of memory"));
	}
	for (size_t i = 0; i < rules->n; i++) {
		const struct browse_rule *r = &rules->v[i];
		unsigned long long bit;

		if (r->inv != kind || r->bit < 0 || r->bit > 63)
			continue;
		bit = 1ull << r->bit;
		if (!((v | u) & bit))
			continue;
		if (fill_finding(&f[*n], rules, i, rowid, (const char *)sqlite3_column_text(st, 3),
				 (const char *)sqlite3_column_text(st, 4), !!(v & bit), v, u, nulls,
				 (const char *)sqlite3_column_text(st, 5),
				 (const char *)sqlite3_column_text(st, 6), sqlite3_column_int(st, 7),
				 !!((unsigned long long)sqlite3_column_int64(st, 8) & bit)) < 0) {
			sqlite3_finalize(st);
			browse_findings_free(f, *n);
			free(f);
			*n = 0;
			return zj_err(err, "%s", _("out of memory"));
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	if (!*n) {
		free(f);
		f = NULL;
	}
	*out = f;
	return 0;
}

static int rule_passes(const struct browse_rule *r, const struct browse_ffilter *f)
{
	return (!f->article || r->article == f->article) && (f->inv < 0 || (int)r->inv == f->inv) &&
	       (f->sev < 0 || (int)r->sev == f->sev);
}

static long long rule_count(const struct browse_rule *r, const struct browse_ffilter *f)
{
	if (!rule_passes(r, f))
		return 0;
	return f->state == 1 ? r->violated : f->state == 2 ? r->unknown : r->violated + r->unknown;
}

long long browse_findings_count(const struct browse_rules *rules, const struct browse_ffilter *f)
{
	long long n = 0;

	for (size_t i = 0; i < rules->n; i++)
		n += rule_count(&rules->v[i], f);
	return n;
}

/* The subjects of one rule after (or before) a subject: ?1 bit, ?2
 * inventory, ?3 subject bound, ?4 state, ?5 limit. */
static sqlite3_stmt *rule_stmt(sqlite3 *db, enum inv_kind kind, int backwards)
{
	const struct inventory *inv = inventory_get(kind);
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf(
		"SELECT f.subject, i.id, i.name, (f.violated >> ?1) & 1, f.nulls, p.id, p.name, f.peer_reasons,"
		" f.violated, f.unknown, (f.conflicts >> ?1) & 1"
		" FROM findings f JOIN %s i ON i.rowid = f.subject LEFT JOIN %s p ON p.rowid = f.peer"
		" WHERE f.inventory = ?2 AND f.subject %s ?3"
		" AND ((CASE ?4 WHEN 1 THEN f.violated WHEN 2 THEN f.unknown ELSE f.violated | f.unknown END) >> ?1) & 1"
		" ORDER BY f.subject %s LIMIT ?5",
		inv->table, inv->table, backwards ? "<" : ">", backwards ? "DESC" : "ASC");

	if (sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		st = NULL;
	sqlite3_free(sql);
	return st;
}

int browse_findings_page(sqlite3 *db, const struct browse_rules *rules,
			 const struct browse_ffilter *f, enum browse_from from,
			 const struct browse_fkey *key, size_t n, struct browse_finding *out,
			 struct zj_error *err)
{
	int backwards = from == BROWSE_BEFORE || from == BROWSE_LAST;
	sqlite3_stmt *st[INV_COUNT] = { NULL };
	size_t got = 0, ri;
	long long bound;
	int rc = 0;

	if (!rules->n || !n)
		return 0;
	if (from == BROWSE_FIRST) {
		ri = 0;
		bound = INT64_MIN;
	} else if (from == BROWSE_LAST) {
		ri = rules->n - 1;
		bound = INT64_MAX;
	} else {
		ri = key->rule < rules->n ? key->rule : rules->n - 1;
		bound = key->subject;
		if (from == BROWSE_AT && bound > INT64_MIN)
			bound--;
	}
	for (;;) {
		const struct browse_rule *r = &rules->v[ri];

		/* The score run's counts say which rules have findings at
		 * all: a rule with none would cost a scan of every finding
		 * of its inventory to prove it. */
		if (rule_count(r, f) > 0) {
			sqlite3_stmt *q = st[r->inv];

			if (!q && !(q = st[r->inv] = rule_stmt(db, r->inv, backwards))) {
				rc = store_error(db, err, _("cannot read the findings"));
				goto out;
			}
			sqlite3_bind_int(q, 1, r->bit);
			sqlite3_bind_int(q, 2, (int)r->inv);
			sqlite3_bind_int64(q, 3, bound);
			sqlite3_bind_int(q, 4, f->state);
			sqlite3_bind_int64(q, 5, (long long)(n - got));
			while (got < n && (rc = sqlite3_step(q)) == SQLITE_ROW) {
				if (fill_finding(&out[got], rules, ri, sqlite3_column_int64(q, 0),
						 (const char *)sqlite3_column_text(q, 1),
						 (const char *)sqlite3_column_text(q, 2), sqlite3_column_int(q, 3),
						 (unsigned long long)sqlite3_column_int64(q, 8),
						 (unsigned long long)sqlite3_column_int64(q, 9),
						 (unsigned long long)sqlite3_column_int64(q, 4),
						 (const char *)sqlite3_column_text(q, 5),
						 (const char *)sqlite3_column_text(q, 6),
						 sqlite3_column_int(q, 7),
						 sqlite3_column_int(q, 10)) < 0) {
					sqlite3_reset(q);
					rc = zj_err(err, "%s", _("out of memory"));
					goto out;
				}
				got++;
			}
			if (got < n && rc != SQLITE_DONE) {
				sqlite3_reset(q);
				rc = store_error(db, err, _("cannot read the findings"));
				goto out;
			}
			sqlite3_reset(q);
			rc = 0;
		}
		if (got == n)
			break;
		if (backwards) {
			if (ri == 0)
				break;
			ri--;
			bound = INT64_MAX;
		} else {
			if (++ri == rules->n)
				break;
			bound = INT64_MIN;
		}
	}
	if (backwards)
		for (size_t i = 0; i < got / 2; i++) {
			struct browse_finding t = out[i];

			out[i] = out[got - 1 - i];
			out[got - 1 - i] = t;
		}
out:
	for (int k = 0; k < INV_COUNT; k++)
		sqlite3_finalize(st[k]);
	if (rc < 0) {
		browse_findings_free(out, got);
		return -1;
	}
	return (int)got;
}

long long browse_findings_rank(sqlite3 *db, const struct browse_rules *rules,
			       const struct browse_ffilter *f, const struct browse_fkey *key,
			       struct zj_error *err)
{
	const struct browse_rule *r;
	sqlite3_stmt *st;
	long long n = 0;
	char *sql;

	if (!rules->n)
		return 0;
	for (size_t i = 0; i < key->rule && i < rules->n; i++)
		n += rule_count(&rules->v[i], f);
	if (key->rule >= rules->n || !rule_count(&rules->v[key->rule], f))
		return n;
	r = &rules->v[key->rule];
	sql = sqlite3_mprintf("SELECT count(*) FROM findings f WHERE f.inventory = ?2 AND f.subject < ?3"
			      " AND ((CASE ?4 WHEN 1 THEN f.violated WHEN 2 THEN f.unknown"
			      " ELSE f.violated | f.unknown END) >> ?1) & 1");
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_free(sql);
		store_error(db, err, _("cannot read the findings"));
		return -1;
	}
	sqlite3_free(sql);
	sqlite3_bind_int(st, 1, r->bit);
	sqlite3_bind_int(st, 2, (int)r->inv);
	sqlite3_bind_int64(st, 3, key->subject);
	sqlite3_bind_int(st, 4, f->state);
	if (sqlite3_step(st) == SQLITE_ROW)
		n += sqlite3_column_int64(st, 0);
	else
		n = store_error(db, err, _("cannot read the findings"));
	sqlite3_finalize(st);
	return n;
}
