#include "core/submission.h"

#include "core/audit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#ifndef ZJ_VERSION
#define ZJ_VERSION "0.1.0"
#endif

/* The schema of zhijian-submission(5), version 1.  Findings are stored
 * normalised (subjects once, one small row per subject per rule) and
 * expanded by the view `findings`: a million-row inventory would otherwise
 * repeat every name and message up to thirty times. */
static const char schema[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE assessment ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" assessment_id TEXT NOT NULL, unit TEXT NOT NULL, level TEXT NOT NULL, level_label TEXT,"
	" code TEXT, as_of TEXT NOT NULL, period TEXT,"
	" checklist_id TEXT NOT NULL, checklist_title TEXT, checklist_version TEXT,"
	" checklist_sha256 TEXT NOT NULL, scored_as_of TEXT,"
	" total REAL, grade TEXT, items INTEGER NOT NULL, answered INTEGER NOT NULL,"
	" pending INTEGER NOT NULL, open INTEGER NOT NULL, complete INTEGER NOT NULL,"
	" findings INTEGER NOT NULL DEFAULT 0, violated INTEGER NOT NULL DEFAULT 0,"
	" unknown INTEGER NOT NULL DEFAULT 0,"
	" generated_at TEXT NOT NULL, generated_by TEXT);"
	"CREATE TABLE articles ("
	" article INTEGER PRIMARY KEY, part INTEGER NOT NULL, part_title TEXT, title TEXT NOT NULL,"
	" weight REAL NOT NULL, score REAL, checked INTEGER, violated INTEGER, unknown INTEGER);"
	"CREATE TABLE items ("
	" item TEXT PRIMARY KEY, article INTEGER NOT NULL, seq INTEGER NOT NULL, weight REAL NOT NULL,"
	" question TEXT NOT NULL, levels TEXT, rules TEXT,"
	" verdict TEXT CHECK (verdict IN ('compliant','partial','noncompliant','na')),"
	" source TEXT CHECK (source IN ('answer','proposal')), points REAL);"
	"CREATE TABLE answers ("
	" item TEXT PRIMARY KEY,"
	" verdict TEXT NOT NULL CHECK (verdict IN ('compliant','partial','noncompliant','na')),"
	" note TEXT, reason TEXT, proposed TEXT, answered_at TEXT NOT NULL, answered_by TEXT);"
	"CREATE TABLE proposals ("
	" item TEXT PRIMARY KEY, verdict TEXT, checked INTEGER, violated INTEGER, unknown INTEGER,"
	" basis TEXT);"
	"CREATE TABLE rules ("
	" rule TEXT PRIMARY KEY, article INTEGER NOT NULL, inventory TEXT NOT NULL, bit INTEGER NOT NULL,"
	" severity TEXT NOT NULL, title TEXT, message TEXT, method TEXT NOT NULL, reads INTEGER NOT NULL,"
	" checked INTEGER NOT NULL, violated INTEGER NOT NULL, unknown INTEGER NOT NULL,"
	" UNIQUE (inventory, bit));"
	"CREATE TABLE fields ("
	" inventory TEXT NOT NULL, bit INTEGER NOT NULL, key TEXT NOT NULL, header TEXT NOT NULL,"
	" PRIMARY KEY (inventory, bit)) WITHOUT ROWID;"
	"CREATE TABLE inventories ("
	" inventory TEXT PRIMARY KEY, title TEXT NOT NULL, rows INTEGER NOT NULL,"
	" subjects INTEGER NOT NULL, violated_subjects INTEGER NOT NULL,"
	" unknown_subjects INTEGER NOT NULL,"
	" last_import_at TEXT, last_import_file TEXT, last_import_sha256 TEXT);"
	"CREATE TABLE inventory_counts ("
	" inventory TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT, count INTEGER NOT NULL);"
	/* Bit i of violated / unknown / nulls: the rule with rules.bit = i,
	 * the column with fields.bit = i, of the subject's inventory. */
	"CREATE TABLE subjects ("
	" sid INTEGER PRIMARY KEY, inventory TEXT NOT NULL, subject_id TEXT NOT NULL,"
	" subject_name TEXT, violated INTEGER NOT NULL, unknown INTEGER NOT NULL,"
	" nulls INTEGER NOT NULL, peer INTEGER, peer_reasons INTEGER);"
	"CREATE VIEW findings AS"
	" SELECT r.article AS article, s.inventory AS inventory, s.subject_id AS subject_id,"
	"  s.subject_name AS subject_name, r.rule AS rule, r.severity AS severity,"
	"  CASE WHEN (s.violated >> r.bit) & 1 THEN 'violated' ELSE 'unknown' END AS state,"
	"  CASE WHEN (s.violated >> r.bit) & 1 THEN"
	"   CASE WHEN r.method = 'similar-apps' AND s.peer IS NOT NULL THEN"
	"    rtrim(r.message, '。') || '（与“' ||"
	"    coalesce((SELECT p.subject_name || '”' || p.subject_id FROM subjects p WHERE p.sid = s.peer), '?”') ||"
	"    CASE s.peer_reasons WHEN 3 THEN '名称和功能相近' WHEN 2 THEN '功能相近' ELSE '名称相近' END ||"
	"    '）。'"
	"   ELSE r.message END"
	"  ELSE '需核实：' || coalesce((SELECT group_concat(d.header, '、') FROM fields d"
	"    WHERE d.inventory = s.inventory AND ((s.nulls & r.reads) >> d.bit) & 1), '?') || '为空'"
	"  END AS message"
	" FROM subjects s JOIN rules r ON r.inventory = s.inventory"
	"  AND ((s.violated | s.unknown) >> r.bit) & 1;"
	"CREATE TABLE rectifications ("
	" id INTEGER PRIMARY KEY, target TEXT NOT NULL, inventory TEXT, subject_id TEXT, rule TEXT,"
	" item TEXT, article INTEGER NOT NULL, measure TEXT NOT NULL, unit TEXT, owner TEXT,"
	" deadline TEXT, status TEXT NOT NULL, cancel_reason TEXT, ready INTEGER NOT NULL,"
	" overdue INTEGER NOT NULL, created_at TEXT NOT NULL, created_by TEXT, updated_at TEXT NOT NULL);"
	"CREATE TABLE rect_events ("
	" id INTEGER PRIMARY KEY, rect INTEGER NOT NULL, at TEXT NOT NULL, by TEXT, kind TEXT NOT NULL,"
	" from_status TEXT, to_status TEXT, text TEXT);"
	"CREATE TABLE rect_evidence ("
	" id INTEGER PRIMARY KEY, rect INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,"
	" size INTEGER, added_at TEXT NOT NULL, added_by TEXT);";

/* Statements on the workspace connection with the submission attached as
 * `sub`; the workspace's own tables are qualified with main. */
static int run(sqlite3 *db, const char *sql, struct zj_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		zj_err(err, _("cannot write the submission: %s"), msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct zj_error *err)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return zj_err(err, _("cannot write the submission: %s"), sqlite3_errmsg(db));
	return 0;
}

static int step_done(sqlite3 *db, sqlite3_stmt *st, struct zj_error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return zj_err(err, _("cannot write the submission: %s"), sqlite3_errmsg(db));
	return 0;
}

static void bind_score(sqlite3_stmt *st, int i, double score)
{
	if (score < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, score);
}

static int write_items(sqlite3 *db, const struct workspace *ws, const struct assessment *a,
		       struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (prepare(db, "INSERT INTO sub.articles (article, part, part_title, title, weight, score,"
		    " checked, violated, unknown) SELECT ?1, ?2, ?3, ?4, ?5, ?6,"
		    " s.checked, s.violated, s.unknown FROM (SELECT 1) LEFT JOIN main.article_stats s"
		    " ON s.article = ?1", &st, err) < 0)
		return -1;
	for (size_t i = 0; i < cl->narticles; i++) {
		const struct cl_article *art = &cl->articles[i];
		const char *pt = NULL;

		for (size_t p = 0; p < cl->nparts; p++)
			if (cl->parts[p].no == art->part)
				pt = cl->parts[p].title;
		sqlite3_bind_int(st, 1, art->no);
		sqlite3_bind_int(st, 2, art->part);
		sqlite3_bind_text(st, 3, pt, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, art->title, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 5, art->weight);
		bind_score(st, 6, a->article_score[i]);
		if (step_done(db, st, err) < 0)
			goto out;
	}
	sqlite3_finalize(st);
	if (prepare(db, "INSERT INTO sub.items (item, article, seq, weight, question, levels, rules,"
		    " verdict, source, points) VALUES (?,?,?,?,?,?,?,?,?,?)", &st, err) < 0)
		return -1;
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct cl_item *it = &cl->items[i];
		const struct item_status *s = &a->items[i];
		enum verdict v = item_effective(s);
		char levels[80] = "", rules[1024] = "";
		size_t n = 0;

		if (it->levels != LEVELS_ALL)
			for (int l = 0; l < LEVEL_COUNT; l++)
				if (it->levels & (1u << l))
					n += (size_t)snprintf(levels + n, n < sizeof(levels) ? sizeof(levels) - n : 0,
							      "%s%s", n ? "," : "", level_key((enum level)l));
		n = 0;
		for (size_t r = 0; r < it->nrules && n < sizeof(rules); r++)
			n += (size_t)snprintf(rules + n, sizeof(rules) - n, "%s%s", n ? "," : "",
					      cl->rules[it->rules[r]].id);
		sqlite3_bind_text(st, 1, it->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, it->article);
		sqlite3_bind_int64(st, 3, (long long)(i - cl->articles[it->article - 1].first_item) + 1);
		sqlite3_bind_double(st, 4, it->weight);
		sqlite3_bind_text(st, 5, it->question, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, levels[0] ? levels : NULL, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, rules[0] ? rules : NULL, -1, SQLITE_TRANSIENT);
		if (v == VERDICT_NONE) {
			sqlite3_bind_null(st, 8);
			sqlite3_bind_null(st, 9);
			sqlite3_bind_null(st, 10);
		} else {
			sqlite3_bind_text(st, 8, verdict_key(v), -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 9, s->answer != VERDICT_NONE ? "answer" : "proposal", -1, SQLITE_STATIC);
			bind_score(st, 10, scoring_points(v));
		}
		if (step_done(db, st, err) < 0)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int write_identity(sqlite3 *db, const struct workspace *ws, const struct assessment *a,
			  const char *generated_at, struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	const char *grade = scoring_grade(cl, a->total);
	sqlite3_stmt *st = NULL;
	char sv[16];
	int rc;

	if (prepare(db, "INSERT INTO sub.assessment (id, assessment_id, unit, level, level_label, code, as_of,"
		    " period, checklist_id, checklist_title, checklist_version, checklist_sha256, scored_as_of,"
		    " total, grade, items, answered, pending, open, complete, generated_at, generated_by)"
		    " VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ws->assessment_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ws->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, level_key(ws->level), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, level_label(ws->level), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ws->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, ws->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, ws->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, cl->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, cl->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, cl->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, cl->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, a->scored_as_of, -1, SQLITE_STATIC);
	bind_score(st, 13, a->total);
	sqlite3_bind_text(st, 14, grade, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 15, (long long)cl->nitems);
	sqlite3_bind_int64(st, 16, (long long)a->answered);
	sqlite3_bind_int64(st, 17, (long long)a->pending);
	sqlite3_bind_int64(st, 18, (long long)a->open);
	sqlite3_bind_int(st, 19, a->pending == 0 && a->open == 0);
	sqlite3_bind_text(st, 20, generated_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 21, store_user(), -1, SQLITE_STATIC);
	rc = step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;

	if (prepare(db, "INSERT INTO sub.meta (key, value) VALUES (?, ?)", &st, err) < 0)
		return -1;
	snprintf(sv, sizeof(sv), "%d", SUBMISSION_SCHEMA_VERSION);
	{
		/* The workspace's audit log as of this report: its head hash,
		 * length and whether its chain held, so the level above can
		 * hold the next report's log to it. */
		struct zj_error aerr;
		long long count = 0;
		char head[65] = "", nstr[24];
		int broken = audit_verify(db, &count, head, &aerr);

		snprintf(nstr, sizeof(nstr), "%lld", count);
		{
		const char *kv[][2] = {
			{ "format", "zhijian-submission" },
			{ "schema_version", sv },
			{ "generator", "zhijian " ZJ_VERSION },
			{ "generated_at", generated_at },
			{ "name", SUBMISSION_NAME },
			{ "audit_head", head },
			{ "audit_count", nstr },
			{ "audit_intact", broken == 0 ? "1" : "0" },
		};

		for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
			sqlite3_bind_text(st, 1, kv[i][0], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, kv[i][1], -1, SQLITE_STATIC);
			if (step_done(db, st, err) < 0) {
				sqlite3_finalize(st);
				return -1;
			}
		}
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* Rules, with rno numbering them in (inventory, bit) order, and the
 * inventory columns that unknown findings name. */
static int write_rules(sqlite3 *db, struct zj_error *err)
{
	sqlite3_stmt *st = NULL;

	if (run(db, "CREATE TEMP TABLE zj_sub_inv (inv INTEGER PRIMARY KEY, name TEXT NOT NULL, title TEXT NOT NULL)", err) < 0 ||
	    prepare(db, "INSERT INTO temp.zj_sub_inv VALUES (?, ?, ?)", &st, err) < 0)
		return -1;
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);

		sqlite3_bind_int(st, 1, k);
		sqlite3_bind_text(st, 2, inv->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, inv->title, -1, SQLITE_STATIC);
		if (step_done(db, st, err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (prepare(db, "INSERT INTO sub.fields (inventory, bit, key, header) VALUES (?, ?, ?, ?)", &st, err) < 0)
		return -1;
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);

		for (size_t c = 0; c < inv->ncols; c++) {
			sqlite3_bind_text(st, 1, inv->name, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 2, (int)c);
			sqlite3_bind_text(st, 3, inv->cols[c].key, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, inv->cols[c].header, -1, SQLITE_STATIC);
			if (step_done(db, st, err) < 0) {
				sqlite3_finalize(st);
				return -1;
			}
		}
	}
	sqlite3_finalize(st);
	return run(db,
		   "INSERT INTO sub.rules (rule, article, inventory, bit, severity, title, message, method, reads,"
		   " checked, violated, unknown)"
		   " SELECT r.id, r.article, i.name, r.bit, r.severity, r.title, r.message, r.method, r.reads,"
		   "  r.checked, r.violated, r.unknown"
		   " FROM main.rules r JOIN temp.zj_sub_inv i ON i.inv = r.inventory ORDER BY r.inventory, r.bit;"
		   "UPDATE sub.assessment SET (findings, violated, unknown) ="
		   " (SELECT coalesce(sum(violated + unknown), 0), coalesce(sum(violated), 0),"
		   "  coalesce(sum(unknown), 0) FROM sub.rules);",
		   err);
}

/* Subjects with their masks, straight from the workspace by INSERT …
 * SELECT, so a million subjects never cross the C API; the view `findings`
 * expands them. */
static int write_findings(sqlite3 *db, struct zj_error *err)
{
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		char *sql = sqlite3_mprintf(
			"INSERT INTO sub.subjects (sid, inventory, subject_id, subject_name, violated,"
			" unknown, nulls, peer, peer_reasons)"
			" SELECT f.subject * 4 + %d, %Q, i.id, i.name, f.violated, f.unknown,"
			"  f.nulls, f.peer * 4 + %d, CASE WHEN f.peer IS NULL THEN NULL ELSE f.peer_reasons END"
			" FROM main.findings f JOIN main.%s i ON i.rowid = f.subject"
			" WHERE f.inventory = %d ORDER BY f.subject",
			k, inv->name, k, inv->table, k);
		int rc;

		if (!sql)
			return zj_err(err, "%s", _("out of memory"));
		rc = run(db, sql, err);
		sqlite3_free(sql);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* value → count for one dimension of one inventory: open addressing over
 * the distinct values, which are few (an enum) or at worst one per row. */
struct counter {
	struct counter_slot {
		char *value;	/* NULL: the empty cell */
		long long n;
		int used;
	} *slot;
	size_t cap, len;
};

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (s && *s)
		h = h * 33 ^ (unsigned char)*s++;
	return s ? h : 0x9e3779b9ul;
}

static int counter_add(struct counter *c, const char *v)
{
	size_t i;

	if (c->len * 2 >= c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct counter_slot *ns = calloc(ncap, sizeof(*ns));

		if (!ns)
			return -1;
		for (size_t k = 0; k < c->cap; k++) {
			if (!c->slot[k].used)
				continue;
			for (i = hash_str(c->slot[k].value) & (ncap - 1); ns[i].used; i = (i + 1) & (ncap - 1))
				;
			ns[i] = c->slot[k];
		}
		free(c->slot);
		c->slot = ns;
		c->cap = ncap;
	}
	for (i = hash_str(v) & (c->cap - 1); c->slot[i].used; i = (i + 1) & (c->cap - 1)) {
		const char *w = c->slot[i].value;

		if ((!w && !v) || (w && v && !strcmp(w, v))) {
			c->slot[i].n++;
			return 0;
		}
	}
	if (v && !(c->slot[i].value = strdup(v)))
		return -1;
	c->slot[i].used = 1;
	c->slot[i].n = 1;
	c->len++;
	return 0;
}

static void counter_release(struct counter *c)
{
	for (size_t k = 0; k < c->cap; k++)
		free(c->slot[k].value);
	free(c->slot);
	memset(c, 0, sizeof(*c));
}

/* Counts by form, platform, status and audience from one scan of each
 * inventory: a GROUP BY per dimension would read a million wide rows four
 * times, and one over all of them sorts them on disk. */
static int count_dimensions(sqlite3 *db, const struct inventory *inv, long long *rows, struct zj_error *err)
{
	static const char *const dims[] = { "form", "platform", "status", "audience" };
	struct counter cnt[4] = { { 0 } };
	const char *have[4];
	sqlite3_stmt *st = NULL, *ins = NULL;
	char cols[128] = "";
	size_t n = 0, nd = 0;
	int rc = -1, step;
	char *sql;

	for (size_t d = 0; d < sizeof(dims) / sizeof(dims[0]); d++)
		if (inventory_find_column(inv, dims[d]) >= 0) {
			have[nd++] = dims[d];
			n += (size_t)snprintf(cols + n, sizeof(cols) - n, "%s%s", n ? ", " : "", dims[d]);
		}
	sql = sqlite3_mprintf("SELECT %s FROM main.%s", cols, inv->table);
	if (!sql)
		return zj_err(err, "%s", _("out of memory"));
	rc = prepare(db, sql, &st, err);
	sqlite3_free(sql);
	if (rc < 0)
		return -1;
	rc = -1;
	*rows = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		++*rows;
		for (size_t d = 0; d < nd; d++)
			if (counter_add(&cnt[d], (const char *)sqlite3_column_text(st, (int)d)) < 0) {
				zj_err(err, "%s", _("out of memory"));
				goto out;
			}
	}
	if (step != SQLITE_DONE) {
		zj_err(err, _("cannot write the submission: %s"), sqlite3_errmsg(db));
		goto out;
	}
	if (prepare(db, "INSERT INTO sub.inventory_counts (inventory, dimension, value, count) VALUES (?,?,?,?)",
		    &ins, err) < 0)
		goto out;
	for (size_t d = 0; d < nd; d++)
		for (size_t k = 0; k < cnt[d].cap; k++) {
			if (!cnt[d].slot[k].used)
				continue;
			sqlite3_bind_text(ins, 1, inv->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, have[d], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, cnt[d].slot[k].value, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 4, cnt[d].slot[k].n);
			if (step_done(db, ins, err) < 0)
				goto out;
		}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	for (size_t d = 0; d < nd; d++)
		counter_release(&cnt[d]);
	return rc;
}

static int write_inventories(sqlite3 *db, struct zj_error *err)
{
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		long long rows = 0;
		char *sql;
		int rc;

		if (count_dimensions(db, inv, &rows, err) < 0)
			return -1;
		sql = sqlite3_mprintf(
			"INSERT INTO sub.inventories (inventory, title, rows, subjects, violated_subjects,"
			" unknown_subjects, last_import_at, last_import_file, last_import_sha256)"
			" SELECT %Q, %Q, %lld, s.n, s.v, s.u, l.at, l.file, l.sha256"
			" FROM (SELECT count(*) AS n, coalesce(sum(violated <> 0), 0) AS v,"
			"  coalesce(sum(unknown <> 0), 0) AS u FROM main.findings WHERE inventory = %d) s"
			" LEFT JOIN (SELECT at, file, sha256 FROM main.imports"
			"  WHERE inventory = %Q AND rows IS NOT NULL ORDER BY batch DESC LIMIT 1) l",
			inv->name, inv->title, rows, k, inv->name);
		if (!sql)
			return zj_err(err, "%s", _("out of memory"));
		rc = run(db, sql, err);
		sqlite3_free(sql);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int write_ledger(sqlite3 *db, const struct workspace *ws, struct zj_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (prepare(db,
		    "INSERT INTO sub.rectifications (id, target, inventory, subject_id, rule, item, article,"
		    " measure, unit, owner, deadline, status, cancel_reason, ready, overdue, created_at,"
		    " created_by, updated_at)"
		    " SELECT r.id, r.target, i.name, r.subject_id, r.rule, r.item, r.article, r.measure, r.unit,"
		    "  r.owner, r.deadline, r.status, r.cancel_reason, r.ready,"
		    "  r.deadline IS NOT NULL AND r.deadline < ?1 AND r.status NOT IN ('done','verified','cancelled'),"
		    "  r.created_at, r.created_by, r.updated_at"
		    " FROM main.rectifications r LEFT JOIN temp.zj_sub_inv i ON i.inv = r.inventory ORDER BY r.id",
		    &st, err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ws->as_of, -1, SQLITE_STATIC);
	rc = step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	return run(db,
		   "INSERT INTO sub.rect_events (id, rect, at, by, kind, from_status, to_status, text)"
		   " SELECT id, rect, at, by, kind, from_status, to_status, text FROM main.rect_events ORDER BY id;"
		   "INSERT INTO sub.rect_evidence (id, rect, path, sha256, size, added_at, added_by)"
		   " SELECT id, rect, path, sha256, size, added_at, added_by FROM main.rect_evidence ORDER BY id;",
		   err);
}

/* A new file with the schema, in a connection of its own: the workspace
 * connection is opened without SQLITE_OPEN_CREATE, which ATTACH inherits. */
static int create(const char *path, struct zj_error *err)
{
	sqlite3 *sdb = NULL;
	char *msg = NULL;
	char sql[128];

	if (sqlite3_open_v2(path, &sdb, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA page_size = 8192; PRAGMA application_id = %d; PRAGMA user_version = %d;",
		 SUBMISSION_APPLICATION_ID, SUBMISSION_SCHEMA_VERSION);
	if (sqlite3_exec(sdb, sql, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(sdb, "BEGIN", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(sdb, schema, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(sdb, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	if (sqlite3_close(sdb) != SQLITE_OK) {
		sdb = NULL;
		goto fail;
	}
	return 0;
fail:
	zj_err(err, _("cannot create the submission '%s': %s"), path,
	       msg ? msg : sdb ? sqlite3_errmsg(sdb) : _("out of memory"));
	sqlite3_free(msg);
	sqlite3_close(sdb);
	unlink(path);
	return -1;
}

/* A level that merged the reports of the units below (zhijian merge,
 * table submissions of workspace schema 3) carries the record of what it
 * received upward, so the roll-up above can sum over every unit; the
 * files themselves stay with the level that received them. */
static int write_received(sqlite3 *db, struct zj_error *err)
{
	sqlite3_stmt *st;
	struct strbuf cols = { 0 };
	char *sql;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('submissions', 'main') WHERE name <> 'data'",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(&cols, "%s\"%s\"", cols.len ? ", " : "", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (!cols.len) {
		sb_release(&cols);
		return 0;	/* a workspace of schema 2, or a unit that merges nothing */
	}
	sql = sqlite3_mprintf("CREATE TABLE sub.submissions AS SELECT %s FROM main.submissions ORDER BY id", cols.p);
	sb_release(&cols);
	if (!sql)
		return zj_err(err, "%s", _("out of memory"));
	rc = run(db, sql, err);
	sqlite3_free(sql);
	/* The per-article figures over everything below travel with them. */
	if (rc == 0 && run(db, "CREATE TABLE sub.received_articles AS SELECT * FROM main.received_articles"
		       " ORDER BY submission, article", err) < 0)
		rc = -1;
	return rc;
}

int submission_write(sqlite3 *db, const struct workspace *ws, const char *path,
		     const char *generated_at, struct zj_error *err)
{
	struct assessment a;
	sqlite3_stmt *st = NULL;
	char now[21];
	struct stat sb;
	int attached = 0, rc = -1;

	if (!generated_at) {
		store_now(now);
		generated_at = now;
	}
	if (stat(path, &sb) == 0)
		return zj_err(err, _("cannot write the submission '%s': the file exists"), path);
	if (assessment_load(db, ws->cl, &a, err) < 0)
		return -1;
	if (create(path, err) < 0)
		goto out;
	/* Filled through the workspace connection: ATTACH makes the copy
	 * set-wise SQL, and only `sub` is ever written. */
	if (prepare(db, "ATTACH DATABASE ? AS sub", &st, err) < 0)
		goto out;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		zj_err(err, _("cannot create the submission '%s': %s"), path, sqlite3_errmsg(db));
		unlink(path);
		goto out;
	}
	attached = 1;
	if (run(db, "PRAGMA sub.journal_mode = OFF; PRAGMA sub.synchronous = OFF;", err) < 0)
		goto out;
	if (run(db, "BEGIN", err) < 0)
		goto out;
	if (write_identity(db, ws, &a, generated_at, err) < 0 || write_items(db, ws, &a, err) < 0 ||
	    run(db, "INSERT INTO sub.answers SELECT item, verdict, note, reason, proposed, answered_at,"
		" answered_by FROM main.answers ORDER BY item;"
		"INSERT INTO sub.proposals SELECT item, verdict, checked, violated, unknown, basis"
		" FROM main.proposals ORDER BY item;", err) < 0 ||
	    write_rules(db, err) < 0 || write_findings(db, err) < 0 ||
	    write_inventories(db, err) < 0 || write_ledger(db, ws, err) < 0 || write_received(db, err) < 0)
		goto fail_tx;
	if (run(db, "COMMIT", err) < 0)
		goto fail_tx;
	rc = 0;
	goto out;
fail_tx:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_finalize(st);
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.zj_sub_inv", NULL, NULL, NULL);
	if (attached)
		sqlite3_exec(db, "DETACH DATABASE sub", NULL, NULL, NULL);
	if (rc < 0 && attached)
		unlink(path);
	assessment_release(&a);
	return rc;
}

/* ---- reading ---- */

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

static long long scalar(sqlite3 *db, const char *sql, long long dflt)
{
	sqlite3_stmt *st;
	long long v = dflt;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* Reading the identity is a handful of one-row queries; a crafted file
 * whose "tables" are views that never end is stopped here. */
static int too_long(void *ctx)
{
	return ++*(long *)ctx > 50000;	/* callbacks of 1,000 VM steps each */
}

static int load_identity(struct submission *s, const char *name, struct zj_error *err);

/* Opened read-only and defensively: the file comes from another unit, and
 * a crafted one must not run code through its schema or write anything. */
static int load(struct submission *s, const char *name, struct zj_error *err)
{
	long steps = 0;
	int rc;

	sqlite3_progress_handler(s->db, 1000, too_long, &steps);
	rc = load_identity(s, name, err);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	return rc;
}

static int load_identity(struct submission *s, const char *name, struct zj_error *err)
{
	sqlite3 *db = s->db;
	sqlite3_stmt *st;
	long long app, ver;

	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	app = scalar(db, "PRAGMA application_id", -1);
	if (app != SUBMISSION_APPLICATION_ID)
		return zj_err(err, _("'%s' is not a zhijian submission"), name);
	ver = scalar(db, "PRAGMA user_version", -1);
	if (ver < 1 || ver > SUBMISSION_SCHEMA_VERSION)
		return zj_err(err, _("'%s' has submission schema version %lld; this zhijian reads version %d"),
			      name, ver, SUBMISSION_SCHEMA_VERSION);
	s->schema_version = (int)ver;
	if (sqlite3_prepare_v2(db, "SELECT assessment_id, unit, level, code, as_of, period, checklist_id,"
			       " checklist_title, checklist_version, checklist_sha256, total, grade, items,"
			       " answered, pending, open, findings, violated, unknown, generated_at"
			       " FROM assessment WHERE id = 1", -1, &st, NULL) != SQLITE_OK)
		return zj_err(err, _("'%s' is a damaged submission: %s"), name, sqlite3_errmsg(db));
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return zj_err(err, _("'%s' is a damaged submission: no assessment record"), name);
	}
	s->assessment_id = dup_col(st, 0);
	s->unit = dup_col(st, 1);
	s->level = dup_col(st, 2);
	s->code = dup_col(st, 3);
	s->as_of = dup_col(st, 4);
	s->period = dup_col(st, 5);
	s->checklist_id = dup_col(st, 6);
	s->checklist_title = dup_col(st, 7);
	s->checklist_version = dup_col(st, 8);
	s->checklist_sha256 = dup_col(st, 9);
	s->total = sqlite3_column_type(st, 10) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 10);
	s->grade = dup_col(st, 11);
	s->items = sqlite3_column_int64(st, 12);
	s->answered = sqlite3_column_int64(st, 13);
	s->pending = sqlite3_column_int64(st, 14);
	s->open = sqlite3_column_int64(st, 15);
	s->findings = sqlite3_column_int64(st, 16);
	s->violated = sqlite3_column_int64(st, 17);
	s->unknown = sqlite3_column_int64(st, 18);
	s->generated_at = dup_col(st, 19);
	sqlite3_finalize(st);
	if (!s->assessment_id || !s->unit || !s->as_of)
		return zj_err(err, _("'%s' is a damaged submission: incomplete identity"), name);
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'generator'", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			s->generator = dup_col(st, 0);
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(db, "SELECT inventory, rows, subjects FROM inventories ORDER BY"
			       " CASE inventory WHEN 'apps' THEN 0 WHEN 'accounts' THEN 1 ELSE 2 END",
			       -1, &st, NULL) != SQLITE_OK)
		return zj_err(err, _("'%s' is a damaged submission: %s"), name, sqlite3_errmsg(db));
	while (s->ninv < sizeof(s->inv) / sizeof(s->inv[0]) && sqlite3_step(st) == SQLITE_ROW) {
		s->inv[s->ninv].name = dup_col(st, 0);
		s->inv[s->ninv].rows = sqlite3_column_int64(st, 1);
		s->inv[s->ninv].subjects = sqlite3_column_int64(st, 2);
		s->ninv++;
	}
	sqlite3_finalize(st);
	s->rectifications = scalar(db, "SELECT count(*) FROM rectifications", 0);
	s->overdue = scalar(db, "SELECT count(*) FROM rectifications WHERE overdue", 0);
	return 0;
}

static struct submission *fresh(void)
{
	struct submission *s = calloc(1, sizeof(*s));

	if (s)
		s->total = -1;
	return s;
}

int submission_open(struct submission **out, const char *path, struct zj_error *err)
{
	struct submission *s = fresh();

	*out = NULL;
	if (!s)
		return zj_err(err, "%s", _("out of memory"));
	if (access(path, R_OK) != 0) {
		zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
		free(s);
		return -1;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		zj_err(err, _("cannot open '%s': %s"), path, s->db ? sqlite3_errmsg(s->db) : _("out of memory"));
		submission_close(s);
		return -1;
	}
	if (load(s, path, err) < 0) {
		submission_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

int submission_open_mem(struct submission **out, const unsigned char *data, size_t len,
			const char *name, struct zj_error *err)
{
	struct submission *s = fresh();
	unsigned char *img;

	*out = NULL;
	if (!s)
		return zj_err(err, "%s", _("out of memory"));
	if (len < 100 || memcmp(data, "SQLite format 3", 16) != 0) {
		free(s);
		return zj_err(err, _("'%s' is not a zhijian submission"), name);
	}
	if (sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		zj_err(err, "%s", _("out of memory"));
		submission_close(s);
		return -1;
	}
	img = sqlite3_malloc64(len);
	if (!img) {
		submission_close(s);
		return zj_err(err, "%s", _("out of memory"));
	}
	memcpy(img, data, len);
	/* FREEONCLOSE hands img to SQLite; READONLY keeps the image as it
	 * came out of the PDF. */
	if (sqlite3_deserialize(s->db, "main", img, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		zj_err(err, _("'%s' is not a zhijian submission"), name);
		submission_close(s);
		return -1;
	}
	if (load(s, name, err) < 0) {
		submission_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void submission_close(struct submission *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s->assessment_id);
	free(s->unit);
	free(s->level);
	free(s->code);
	free(s->as_of);
	free(s->period);
	free(s->checklist_id);
	free(s->checklist_title);
	free(s->checklist_version);
	free(s->checklist_sha256);
	free(s->generated_at);
	free(s->generator);
	free(s->grade);
	for (size_t i = 0; i < s->ninv; i++)
		free(s->inv[i].name);
	free(s);
}
