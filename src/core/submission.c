#include "core/submission.h"

#include "core/audit.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/policy.h"
#include "core/scoring.h"
#include "core/narrative.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/when.h"

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
	" size INTEGER, added_at TEXT NOT NULL, added_by TEXT);"
	/* Version 2: what this level received from below (empty for a unit),
	 * as the workspace recorded it, without the files' data. */
	"CREATE TABLE submissions ("
	" id INTEGER PRIMARY KEY, file TEXT NOT NULL, file_sha256 TEXT NOT NULL, file_size INTEGER,"
	" received_at TEXT NOT NULL, received_by TEXT, status TEXT NOT NULL, reason TEXT,"
	" unit TEXT, code TEXT, level TEXT, period TEXT, assessment_id TEXT, as_of TEXT,"
	" checklist_id TEXT, checklist_sha256 TEXT, total REAL, grade TEXT, violated INTEGER,"
	" unknown INTEGER, rectifications INTEGER, overdue INTEGER, merged_units INTEGER,"
	" merged_violated INTEGER, merged_unknown INTEGER, merged_rectifications INTEGER,"
	" merged_overdue INTEGER, signer TEXT, signer_fingerprint TEXT, signed_at TEXT,"
	" signature_status TEXT, generated_at TEXT, issuer TEXT, issuer_fingerprint TEXT,"
	" signer_not_after TEXT, override_reason TEXT);"
	"CREATE TABLE received_articles ("
	" submission INTEGER NOT NULL, article INTEGER NOT NULL, score REAL, violated INTEGER NOT NULL,"
	" units_violating INTEGER NOT NULL, PRIMARY KEY (submission, article));";

/* Version 3: the report's body as printed, section by section (the four
 * sections of narrative.h): the inspector's words, or the text generated
 * from the data where they wrote none, and whether the inspector's text
 * was written when the figures read differently.  Checked on reading like
 * every other table; version 2 files, which have no such table, are still
 * read. */
static const char schema_v3[] =
	"CREATE TABLE narratives ("
	" section TEXT PRIMARY KEY, heading TEXT NOT NULL, text TEXT NOT NULL, source TEXT NOT NULL,"
	" stale INTEGER NOT NULL);";

/* Version 4: the campaign's four problem types (过多过滥 excess, 多头填报
 * reporting, 建设不规范 nonstandard, 功能异化 alienation), the rules' bases
 * and the contradictions, in tables of their own beside those of version 2
 * (which stay as they were, so that files of versions 2 and 3 are still
 * read).  rule_policy: each rule's type, basis and its source (text or
 * campaign), whether its subjects are the 空壳/僵尸 list, the columns its
 * contradiction test reads and how many of its unknowns are
 * contradictions.  subject_conflicts: per subject with any, the rules for
 * which its declarations contradict each other, and the app of another
 * unit a cross-unit duplicate resembles.  rectification_types: the type
 * each rectification counts under.  received_types: what a level received,
 * summed per type as received_articles is per article.  The view findings
 * gains the type and says which fields disagree. */
static const char schema_v4[] =
	"CREATE TABLE rule_policy ("
	" rule TEXT PRIMARY KEY, type TEXT, basis TEXT, source TEXT, zombie INTEGER NOT NULL,"
	" conflict_reads INTEGER NOT NULL, conflicts INTEGER NOT NULL);"
	"CREATE TABLE subject_conflicts ("
	" sid INTEGER PRIMARY KEY, conflicts INTEGER NOT NULL, peer_across INTEGER);"
	"CREATE TABLE rectification_types (id INTEGER PRIMARY KEY, type TEXT);"
	"CREATE TABLE received_types ("
	" submission INTEGER NOT NULL, type TEXT NOT NULL, violated INTEGER NOT NULL,"
	" unknown INTEGER NOT NULL, rectifications INTEGER NOT NULL, units_violating INTEGER NOT NULL,"
	" PRIMARY KEY (submission, type));"
	"DROP VIEW findings;"
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
	"  WHEN (coalesce((SELECT c.conflicts FROM subject_conflicts c WHERE c.sid = s.sid), 0) >> r.bit) & 1 THEN"
	"   '需核实：' || coalesce((SELECT group_concat(d.header, '、') FROM fields d"
	"    WHERE d.inventory = s.inventory AND ((SELECT p.conflict_reads FROM rule_policy p"
	"     WHERE p.rule = r.rule) >> d.bit) & 1), '?') || '相互矛盾'"
	"  ELSE '需核实：' || coalesce((SELECT group_concat(d.header, '、') FROM fields d"
	"    WHERE d.inventory = s.inventory AND ((s.nulls & r.reads) >> d.bit) & 1), '?') || '为空'"
	"  END AS message,"
	"  (SELECT p.type FROM rule_policy p WHERE p.rule = r.rule) AS type"
	" FROM subjects s JOIN rules r ON r.inventory = s.inventory"
	"  AND ((s.violated | s.unknown) >> r.bit) & 1;";

/* The columns of the submissions table above, as the workspace names them
 * (store.c, schema 3 and 4). */
static const char received_cols[] =
	"id, file, file_sha256, file_size, received_at, received_by, status, reason, unit, code, level,"
	" period, assessment_id, as_of, checklist_id, checklist_sha256, total, grade, violated, unknown,"
	" rectifications, overdue, merged_units, merged_violated, merged_unknown, merged_rectifications,"
	" merged_overdue, signer, signer_fingerprint, signed_at, signature_status, generated_at, issuer,"
	" issuer_fingerprint, signer_not_after, override_reason";

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
			{ "overdue_judged_on", ws->today },
			{ "name", SUBMISSION_NAME },
			{ "audit_head", head },
			{ "audit_count", nstr },
			{ "audit_intact", broken == 0 ? "1" : "0" },
			/* The 主送机关, as the report names it (absent: none). */
			{ "parent", ws->parent },
		};

		for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
			if (!kv[i][1])
				continue;
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
		   "INSERT INTO sub.rule_policy (rule, type, basis, source, zombie, conflict_reads, conflicts)"
		   " SELECT id, type, basis, source, zombie, conflict_reads, conflicts FROM main.rules"
		   " ORDER BY inventory, bit;"
		   "UPDATE sub.assessment SET (findings, violated, unknown) ="
		   " (SELECT coalesce(sum(violated + unknown), 0), coalesce(sum(violated), 0),"
		   "  coalesce(sum(unknown), 0) FROM sub.rules);",
		   err);
}

/* What the subjects' copy counts as it goes (zj_subject): the subjects of
 * each inventory, those with a violation and those with an unknown, for
 * the table inventories without another pass over the findings, and the
 * caller's hook. */
struct subject_tally {
	long long n[INV_COUNT], violated[INV_COUNT], unknown[INV_COUNT];
	const struct submission_hooks *hooks;
};

/* zj_subject(inventory, sid, violated, unknown, nulls, peer sid): counts
 * the subject and gives it to the hook; returns violated as it is, the
 * value the column stores. */
static void fn_subject(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct subject_tally *t = sqlite3_user_data(ctx);
	struct submission_subject s;
	int k = sqlite3_value_int(argv[0]);

	(void)argc;
	if (k < 0 || k >= INV_COUNT) {
		sqlite3_result_error(ctx, "zj_subject: no such inventory", -1);
		return;
	}
	s.inventory = (enum inv_kind)k;
	s.sid = sqlite3_value_int64(argv[1]);
	s.violated = (unsigned long long)sqlite3_value_int64(argv[2]);
	s.unknown = (unsigned long long)sqlite3_value_int64(argv[3]);
	s.nulls = (unsigned long long)sqlite3_value_int64(argv[4]);
	s.peer = sqlite3_value_type(argv[5]) == SQLITE_NULL ? -1 : sqlite3_value_int64(argv[5]);
	t->n[k]++;
	t->violated[k] += s.violated != 0;
	t->unknown[k] += s.unknown != 0;
	if (t->hooks && t->hooks->subject && t->hooks->subject(t->hooks->ctx, &s) < 0) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_value(ctx, argv[2]);
}

/* Subjects with their masks, straight from the workspace by INSERT …
 * SELECT, so a million subjects never cross the C API; the view `findings`
 * expands them.  zj_subject sees each one as it is stored (subjects are
 * never deleted on their own: an import replaces the inventory and its
 * findings together, so every finding has its row). */
static int write_findings(sqlite3 *db, struct zj_error *err)
{
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		char *sql = sqlite3_mprintf(
			"INSERT INTO sub.subjects (sid, inventory, subject_id, subject_name, violated,"
			" unknown, nulls, peer, peer_reasons)"
			" SELECT f.subject * 4 + %d, %Q, i.id, i.name,"
			"  zj_subject(%d, f.subject * 4 + %d, f.violated, f.unknown, f.nulls, f.peer * 4 + %d),"
			"  f.unknown, f.nulls, f.peer * 4 + %d,"
			"  CASE WHEN f.peer IS NULL THEN NULL ELSE f.peer_reasons END"
			" FROM main.findings f JOIN main.%s i ON i.rowid = f.subject"
			" WHERE f.inventory = %d ORDER BY f.subject;"
			"INSERT INTO sub.subject_conflicts (sid, conflicts, peer_across)"
			" SELECT f.subject * 4 + %d, f.conflicts, f.peer_across * 4 + %d FROM main.findings f"
			" WHERE f.inventory = %d AND (f.conflicts <> 0 OR f.peer_across IS NOT NULL)"
			" ORDER BY f.subject",
			k, inv->name, k, k, k, k, inv->table, k, k, k, k);
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

/* Adds one cell to a counter: whole, or with multi each value of a
 * ';'-list ("微信;支付宝", also with '；' and spaces around the values) once;
 * a cell with no value at all counts as the empty cell. */
static int count_values(struct counter *c, const char *v, int multi)
{
	char buf[512];
	int any = 0;

	if (!multi || !v || (!strchr(v, ';') && !strstr(v, "；")))
		return counter_add(c, v);
	while (*v) {
		size_t n = 0, len;
		const char *e = v;

		/* The end of this value: ';' or '；'. */
		while (e[n] && e[n] != ';' && strncmp(e + n, "；", 3))
			n++;
		len = n;
		while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		while (len && (*v == ' ' || *v == '\t')) {
			v++;
			len--;
			n--;
		}
		if (len) {
			/* Only an absurd 500-byte platform name is cut, and
			 * never inside a character. */
			if (len >= sizeof(buf)) {
				len = sizeof(buf) - 1;
				while (len && ((unsigned char)v[len] & 0xC0) == 0x80)
					len--;
			}
			memcpy(buf, v, len);
			buf[len] = '\0';
			if (counter_add(c, buf) < 0)
				return -1;
			any = 1;
		}
		v += n;
		if (*v == ';')
			v++;
		else if (*v)
			v += 3;
	}
	return any ? 0 : counter_add(c, NULL);
}

/* Counts by form, platform, status and audience from one scan of each
 * inventory: a GROUP BY per dimension would read a million wide rows four
 * times, and one over all of them sorts them on disk. */
struct dim_counts {
	const char *have[4];		/* the dimensions the inventory has */
	int multi[4];
	size_t nd;
	struct counter cnt[4];
	long long rows;
};

static void dim_counts_release(struct dim_counts *dc)
{
	for (size_t d = 0; d < 4; d++)
		counter_release(&dc->cnt[d]);
}

static int scan_dimensions(sqlite3 *db, const struct inventory *inv, struct dim_counts *dc, struct zj_error *err)
{
	static const char *const dims[] = { "form", "platform", "status", "audience" };
	sqlite3_stmt *st = NULL;
	char cols[128] = "";
	size_t n = 0;
	int rc = -1, step;
	char *sql;

	memset(dc, 0, sizeof(*dc));
	for (size_t d = 0; d < sizeof(dims) / sizeof(dims[0]); d++)
		if (inventory_find_column(inv, dims[d]) >= 0) {
			/* An app on 微信 and 支付宝 is written "微信;支付宝": a
			 * platform, and any ';'-list, is counted per value. */
			dc->multi[dc->nd] = !strcmp(dims[d], "platform") ||
					    inv->cols[inventory_find_column(inv, dims[d])].type == COL_LIST;
			dc->have[dc->nd++] = dims[d];
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
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		dc->rows++;
		for (size_t d = 0; d < dc->nd; d++)
			if (count_values(&dc->cnt[d], (const char *)sqlite3_column_text(st, (int)d), dc->multi[d]) < 0) {
				zj_err(err, "%s", _("out of memory"));
				goto out;
			}
	}
	if (step != SQLITE_DONE) {
		zj_err(err, _("cannot write the submission: %s"), sqlite3_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int store_dimensions(sqlite3 *db, const struct inventory *inv, const struct dim_counts *dc,
			    struct zj_error *err)
{
	sqlite3_stmt *ins = NULL;
	int rc = -1;

	if (prepare(db, "INSERT INTO sub.inventory_counts (inventory, dimension, value, count) VALUES (?,?,?,?)",
		    &ins, err) < 0)
		return -1;
	for (size_t d = 0; d < dc->nd; d++)
		for (size_t k = 0; k < dc->cnt[d].cap; k++) {
			if (!dc->cnt[d].slot[k].used)
				continue;
			sqlite3_bind_text(ins, 1, inv->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 2, dc->have[d], -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, dc->cnt[d].slot[k].value, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 4, dc->cnt[d].slot[k].n);
			if (step_done(db, ins, err) < 0)
				goto out;
		}
	rc = 0;
out:
	sqlite3_finalize(ins);
	return rc;
}

/* The counting scans run on a thread of their own, on a read-only
 * connection of their own, while the findings are copied: on a
 * million-row inventory each is about a second.  Both read the same
 * snapshot unless another process commits in between, which the report
 * notices (PRAGMA data_version) and makes again. */
struct count_job {
	char path[4096];
	struct dim_counts dc[INV_COUNT];
	int rc, threaded;
	pthread_t t;
	struct zj_error err;
};

static void *count_job_run(void *arg)
{
	struct count_job *j = arg;
	sqlite3 *db = NULL;
	int k;

	j->rc = -1;
	if (sqlite3_open_v2(j->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		zj_err(&j->err, _("cannot write the submission: %s"), db ? sqlite3_errmsg(db) : _("out of memory"));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (k = 0; k < INV_COUNT; k++)
		if (scan_dimensions(db, inventory_get((enum inv_kind)k), &j->dc[k], &j->err) < 0)
			break;
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	if (k == INV_COUNT)
		j->rc = 0;
	return NULL;
}

/* Starts the counts of the workspace open on db (0), or says the caller
 * must count on db itself (-1: an in-memory workspace, no thread). */
static int count_job_start(sqlite3 *db, struct count_job *j)
{
	const char *path = sqlite3_db_filename(db, "main");

	memset(j, 0, sizeof(*j));
	/* A library built without threads would share one mutex-less
	 * connection state: count on db then. */
	if (!path || !*path || strlen(path) >= sizeof(j->path) || !sqlite3_threadsafe())
		return -1;
	snprintf(j->path, sizeof(j->path), "%s", path);
	j->threaded = pthread_create(&j->t, NULL, count_job_run, j) == 0;
	if (!j->threaded)
		count_job_run(j);
	return 0;
}

static void count_job_finish(struct count_job *j)
{
	if (j->threaded) {
		pthread_join(j->t, NULL);
		j->threaded = 0;
	}
}

static void count_job_release(struct count_job *j)
{
	count_job_finish(j);
	for (int k = 0; k < INV_COUNT; k++)
		dim_counts_release(&j->dc[k]);
}

static int write_inventories(sqlite3 *db, struct count_job *j, int have_job, const struct subject_tally *t,
			     struct zj_error *err)
{
	/* If the other connection could not read (a workspace it may not
	 * open read-only, say), the counts are made here after all. */
	if (have_job) {
		count_job_finish(j);
		if (j->rc < 0)
			have_job = 0;
	}
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		struct dim_counts own, *dc = have_job ? &j->dc[k] : &own;
		char *sql;
		int rc;

		if (!have_job && scan_dimensions(db, inv, &own, err) < 0) {
			dim_counts_release(&own);
			return -1;
		}
		rc = store_dimensions(db, inv, dc, err);
		sql = rc < 0 ? NULL : sqlite3_mprintf(
			"INSERT INTO sub.inventories (inventory, title, rows, subjects, violated_subjects,"
			" unknown_subjects, last_import_at, last_import_file, last_import_sha256)"
			" SELECT %Q, %Q, %lld, %lld, %lld, %lld, l.at, l.file, l.sha256"
			" FROM (SELECT 1) LEFT JOIN (SELECT at, file, sha256 FROM main.imports"
			"  WHERE inventory = %Q AND rows IS NOT NULL ORDER BY batch DESC LIMIT 1) l",
			inv->name, inv->title, dc->rows, t->n[k], t->violated[k], t->unknown[k], inv->name);
		if (!have_job)
			dim_counts_release(&own);
		if (rc < 0)
			return -1;
		if (!sql)
			return zj_err(err, "%s", _("out of memory"));
		rc = run(db, sql, err);
		sqlite3_free(sql);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* zj_rect_type(target, rule, item, article, inventory): the problem type
 * a rectification counts under (core/policy.h), for the time of a write. */
static void fn_rect_type(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct checklist *cl = sqlite3_user_data(ctx);
	int t;

	(void)argc;
	t = policy_rect_type(cl, (const char *)sqlite3_value_text(argv[0]), (const char *)sqlite3_value_text(argv[1]),
			     (const char *)sqlite3_value_text(argv[2]), sqlite3_value_int(argv[3]),
			     sqlite3_value_type(argv[4]) == SQLITE_NULL ? -1 : sqlite3_value_int(argv[4]));
	if (t >= 0)
		sqlite3_result_text(ctx, problem_type_key(t), -1, SQLITE_STATIC);
}

static int write_ledger(sqlite3 *db, const struct workspace *ws, struct zj_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* The checklist outlives the call; the function is dropped at the
	 * end of it (submission_write). */
	if (sqlite3_create_function_v2(db, "zj_rect_type", 5, SQLITE_UTF8, (void *)(uintptr_t)ws->cl, fn_rect_type,
				       NULL, NULL, NULL) != SQLITE_OK)
		return zj_err(err, _("cannot write the submission: %s"), sqlite3_errmsg(db));

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
	sqlite3_bind_text(st, 1, ws->today, -1, SQLITE_STATIC);
	rc = step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	return run(db,
		   "INSERT INTO sub.rectification_types (id, type)"
		   " SELECT id, zj_rect_type(target, rule, item, article, inventory) FROM main.rectifications ORDER BY id;"
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
	    sqlite3_exec(sdb, schema_v3, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(sdb, schema_v4, NULL, NULL, &msg) != SQLITE_OK ||
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

/* The body of the report as it is printed (the inspector's words or the
 * generated text), so the level above reads what the pages say. */
static int write_narratives(sqlite3 *db, const struct workspace *ws, struct zj_error *err)
{
	struct narrative v[NARR_COUNT];
	long long subj_violated[INV_COUNT] = { 0 };
	sqlite3_stmt *st = NULL;
	int rc = -1;

	/* The generated text counts the subjects with violations, as
	 * write_inventories has just done: read there, not counted again. */
	if (prepare(db, "SELECT inventory, violated_subjects FROM sub.inventories", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct inventory *inv = inventory_by_name((const char *)sqlite3_column_text(st, 0));

		if (inv)
			subj_violated[inv->kind] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		return zj_err(err, _("cannot write the submission: %s"), sqlite3_errmsg(db));
	rc = -1;
	if (narrative_load_counted(db, ws, subj_violated, v, err) < 0)
		return -1;
	if (prepare(db, "INSERT INTO sub.narratives (section, heading, text, source, stale) VALUES (?,?,?,?,?)",
		    &st, err) < 0)
		goto out;
	for (int i = 0; i < NARR_COUNT; i++) {
		sqlite3_bind_text(st, 1, narrative_key((enum narrative_section)i), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, narrative_heading((enum narrative_section)i), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, narrative_text(&v[i]), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, v[i].text ? "inspector" : "generated", -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, v[i].text && v[i].stale);
		if (step_done(db, st, err) < 0)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	narrative_release(v);
	return rc;
}

/* What write_received takes from the workspace for received_cols: the
 * same, except that an accepted unit's overdue rectifications are judged
 * against today (zj_overdue; what its units below reported stays as they
 * reported it), and a refusal's reason is said in Chinese, as the report
 * and the level above read it. */
static const char received_select[] =
	"id, file, file_sha256, file_size, received_at, received_by, status,"
	" CASE WHEN status = 'rejected' THEN zj_reason_zh(reason_code, reason_args, reason) ELSE reason END,"
	" unit, code, level,"
	" period, assessment_id, as_of, checklist_id, checklist_sha256, total, grade, violated, unknown,"
	" rectifications, zj_overdue(open_deadlines, overdue), merged_units, merged_violated, merged_unknown,"
	" merged_rectifications,"
	" CASE WHEN status = 'accepted' THEN zj_overdue(open_deadlines, overdue)"
	"  + coalesce(merged_overdue, overdue) - coalesce(overdue, 0) ELSE merged_overdue END,"
	" signer, signer_fingerprint, signed_at, signature_status, generated_at, issuer,"
	" issuer_fingerprint, signer_not_after, override_reason";

/* A level that merged the reports of the units below carries the record of
 * what it received upward, so the roll-up above can sum over every unit;
 * the files themselves stay with the level that received them. */
static int write_received(sqlite3 *db, struct zj_error *err)
{
	char *sql = sqlite3_mprintf("INSERT INTO sub.submissions (%s) SELECT %s FROM main.submissions ORDER BY id;"
				    "INSERT INTO sub.received_articles SELECT submission, article, score, violated,"
				    " units_violating FROM main.received_articles ORDER BY submission, article;"
				    "INSERT INTO sub.received_types SELECT submission, type, violated, unknown,"
				    " rectifications, units_violating FROM main.received_types ORDER BY submission, type;",
				    received_cols, received_select);
	int rc;

	if (!sql)
		return zj_err(err, "%s", _("out of memory"));
	rc = run(db, sql, err);
	sqlite3_free(sql);
	return rc;
}

int submission_write(sqlite3 *db, const struct workspace *ws, const char *path,
		     const char *generated_at, struct zj_error *err)
{
	return submission_write_hooked(db, ws, path, generated_at, NULL, err);
}

int submission_write_hooked(sqlite3 *db, const struct workspace *ws, const char *path,
			    const char *generated_at, const struct submission_hooks *hooks,
			    struct zj_error *err)
{
	struct subject_tally tally = { .hooks = hooks };
	struct assessment a;
	struct count_job counts;
	sqlite3_stmt *st = NULL;
	char now[21];
	struct stat sb;
	int attached = 0, rc = -1, have_counts = 0;

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
	if (sqlite3_create_function_v2(db, "zj_subject", 6, SQLITE_UTF8, &tally, fn_subject, NULL, NULL, NULL) !=
	    SQLITE_OK) {
		zj_err(err, _("cannot write the submission: %s"), sqlite3_errmsg(db));
		goto out;
	}
	/* The inventories are counted meanwhile (count_job). */
	have_counts = count_job_start(db, &counts) == 0;
	if (run(db, "BEGIN", err) < 0)
		goto out;
	if (write_identity(db, ws, &a, generated_at, err) < 0 || write_items(db, ws, &a, err) < 0 ||
	    run(db, "INSERT INTO sub.answers SELECT item, verdict, note, reason, proposed, answered_at,"
		" answered_by FROM main.answers ORDER BY item;"
		"INSERT INTO sub.proposals SELECT item, verdict, checked, violated, unknown, basis"
		" FROM main.proposals ORDER BY item;", err) < 0 ||
	    write_rules(db, err) < 0 ||
	    (hooks && hooks->begin && hooks->begin(hooks->ctx, db, "sub") < 0) || write_findings(db, err) < 0 ||
	    write_inventories(db, &counts, have_counts, &tally, err) < 0 || write_ledger(db, ws, err) < 0 ||
	    write_received(db, err) < 0 ||
	    write_narratives(db, ws, err) < 0)
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
	sqlite3_create_function_v2(db, "zj_rect_type", 5, SQLITE_UTF8, NULL, NULL, NULL, NULL, NULL);
	sqlite3_create_function_v2(db, "zj_subject", 6, SQLITE_UTF8, NULL, NULL, NULL, NULL, NULL);
	if (attached)
		sqlite3_exec(db, "DETACH DATABASE sub", NULL, NULL, NULL);
	if (rc < 0 && attached)
		unlink(path);
	if (have_counts)
		count_job_release(&counts);
	assessment_release(&a);
	return rc;
}

/* ---- reading ---- */

/* Every query on a file from below is bounded: SUBMISSION_MAX_STEPS
 * virtual-machine steps and SUBMISSION_MAX_SECONDS of wall time in all. */
struct budget {
	long long steps;
	struct timespec deadline;
	int over;		/* 1: steps, 2: time */
};

static int over_budget(void *ctx)
{
	struct budget *b = ctx;
	struct timespec now;

	b->steps += 1000;
	if (b->steps > SUBMISSION_MAX_STEPS) {
		b->over = 1;
		return 1;
	}
	if ((b->steps & 0xffff) < 1000) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > b->deadline.tv_sec ||
		    (now.tv_sec == b->deadline.tv_sec && now.tv_nsec > b->deadline.tv_nsec)) {
			b->over = 2;
			return 1;
		}
	}
	return 0;
}

struct reader {
	sqlite3 *db;
	const char *name;
	struct budget budget;
	struct submission *s;
	struct zj_error *err;
};

/* Why a query failed: the budget, a damaged file, or our own bug. */
static int query_failed(struct reader *r)
{
	if (r->budget.over == 1)
		return zj_err(r->err, _("'%s' is refused: reading it took more than %lld steps"), r->name,
			      (long long)SUBMISSION_MAX_STEPS);
	if (r->budget.over == 2)
		return zj_err(r->err, _("'%s' is refused: reading it took more than %d seconds"), r->name,
			      SUBMISSION_MAX_SECONDS);
	return zj_err(r->err, _("'%s' is a damaged submission: %s"), r->name, sqlite3_errmsg(r->db));
}

static int rprepare(struct reader *r, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK)
		return query_failed(r);
	return 0;
}

/* ---- the schema ---- */

struct schema_obj {
	char *type, *name, *tbl, *sql;
};

static void objs_free(struct schema_obj *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(o[i].type);
		free(o[i].name);
		free(o[i].tbl);
		free(o[i].sql);
	}
	free(o);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

/* Every object of db's main schema, ordered by name. */
static int schema_objects(sqlite3 *db, struct schema_obj **out, size_t *n)
{
	sqlite3_stmt *st;
	struct schema_obj *o = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct schema_obj *no = realloc(o, (cap = cap ? cap * 2 : 32) * sizeof(*o));

			if (!no)
				break;
			o = no;
		}
		o[*n].type = dup_col(st, 0);
		o[*n].name = dup_col(st, 1);
		o[*n].tbl = dup_col(st, 2);
		o[*n].sql = dup_col(st, 3);
		++*n;
	}
	sqlite3_finalize(st);
	*out = o;
	return rc == SQLITE_DONE ? 0 : -1;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The file must hold exactly the objects our own schema creates, each with
 * our CREATE statement byte for byte: no view in place of a table, no
 * extra column, default, generated column, index or trigger. */
/* Our own schema's objects as SQLite records them, made once per process
 * from the constant schema text (a merge reads hundreds of files). */
static int reference_objects(int version, const struct schema_obj **out, size_t *n)
{
	/* [0]: version 2, [1]: version 3, [2]: version 4. */
	static struct schema_obj *want[3];
	static size_t nwant[3];
	int v = version >= 4 ? 2 : version >= 3;
	sqlite3 *ref = NULL;
	int ok;

	if (!want[v]) {
		ok = sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
		     sqlite3_exec(ref, schema, NULL, NULL, NULL) == SQLITE_OK &&
		     (!v || sqlite3_exec(ref, schema_v3, NULL, NULL, NULL) == SQLITE_OK) &&
		     (v < 2 || sqlite3_exec(ref, schema_v4, NULL, NULL, NULL) == SQLITE_OK) &&
		     schema_objects(ref, &want[v], &nwant[v]) == 0;
		sqlite3_close(ref);
		if (!ok) {
			objs_free(want[v], nwant[v]);
			want[v] = NULL;
			return -1;
		}
	}
	*out = want[v];
	*n = nwant[v];
	return 0;
}

static int check_schema(struct reader *r)
{
	const struct schema_obj *want = NULL;
	struct schema_obj *have = NULL;
	size_t nw = 0, nh = 0, i = 0, j = 0;
	int rc = -1;

	if (reference_objects(r->s->schema_version, &want, &nw) < 0) {
		zj_err(r->err, "%s", _("out of memory"));
		goto out;
	}
	if (schema_objects(r->db, &have, &nh) < 0) {
		query_failed(r);
		goto out;
	}
	while (i < nw || j < nh) {
		int c = i == nw ? 1 : j == nh ? -1 : strcmp(want[i].name ? want[i].name : "",
							     have[j].name ? have[j].name : "");
		char what[160];

		if (j < nh)
			utf8_sanitize_copy(have[j].name, what, sizeof(what));
		if (c < 0) {
			zj_err(r->err, _("'%s' is refused: its schema is not the submission format's: %s '%s' is missing"),
			       r->name, want[i].type, want[i].name);
			goto out;
		}
		if (c > 0) {
			char type[32];

			zj_err(r->err, _("'%s' is refused: its schema is not the submission format's: %s '%s' is not part of the format"),
			       r->name, utf8_sanitize_copy(have[j].type, type, sizeof(type)), what);
			goto out;
		}
		if (!same(want[i].type, have[j].type)) {
			char type[32];

			zj_err(r->err, _("'%s' is refused: its schema is not the submission format's: '%s' is a %s where the format has a %s"),
			       r->name, what, utf8_sanitize_copy(have[j].type, type, sizeof(type)), want[i].type);
			goto out;
		}
		if (!same(want[i].tbl, have[j].tbl) || !same(want[i].sql, have[j].sql)) {
			zj_err(r->err, _("'%s' is refused: its schema is not the submission format's: %s '%s' is not defined as the format defines it"),
			       r->name, want[i].type, what);
			goto out;
		}
		i++;
		j++;
	}
	rc = 0;
out:
	objs_free(have, nh);
	return rc;
}

/* ---- the values ---- */

enum ck { CK_TEXT, CK_INT, CK_REAL };

/* What one column may hold: its type, whether NULL, a range (numbers) or
 * a set of words (text). */
struct colck {
	const char *table, *col;
	enum ck kind;
	int null_ok;
	long long lo, hi;		/* CK_INT, CK_REAL */
	const char *words;		/* CK_TEXT: "'a','b'", or NULL for any */
	int since;			/* the format version that added the column (0: all) */
};

#define MAXC SUBMISSION_COUNT_MAX
#define ANY_LO (-9223372036854775807LL - 1)
#define ANY_HI 9223372036854775807LL
#define W_LEVEL "'unit','county','city','province','central'"
#define W_VERDICT "'compliant','partial','noncompliant','na'"
#define W_INV "'apps','accounts','groups'"
#define T(t, c) { t, c, CK_TEXT, 0, 0, 0, NULL, 0 }
#define TN(t, c) { t, c, CK_TEXT, 1, 0, 0, NULL, 0 }
#define TW(t, c, w) { t, c, CK_TEXT, 0, 0, 0, w, 0 }
#define TWN(t, c, w) { t, c, CK_TEXT, 1, 0, 0, w, 0 }
#define I(t, c, lo, hi) { t, c, CK_INT, 0, lo, hi, NULL, 0 }
#define IN(t, c, lo, hi) { t, c, CK_INT, 1, lo, hi, NULL, 0 }
#define R(t, c, lo, hi) { t, c, CK_REAL, 0, lo, hi, NULL, 0 }
#define RN(t, c, lo, hi) { t, c, CK_REAL, 1, lo, hi, NULL, 0 }
/* Text of at most max bytes (lo unused), in a version-3 table. */
#define T3(t, c, max) { t, c, CK_TEXT, 0, 0, max, NULL, 3 }
#define TW3(t, c, w) { t, c, CK_TEXT, 0, 0, 0, w, 3 }
#define I3(t, c, lo, hi) { t, c, CK_INT, 0, lo, hi, NULL, 3 }
/* Columns of the version-4 tables. */
#define T4N(t, c) { t, c, CK_TEXT, 1, 0, 0, NULL, 4 }
#define TW4(t, c, w) { t, c, CK_TEXT, 0, 0, 0, w, 4 }
#define TW4N(t, c, w) { t, c, CK_TEXT, 1, 0, 0, w, 4 }
#define I4(t, c, lo, hi) { t, c, CK_INT, 0, lo, hi, NULL, 4 }
#define I4N(t, c, lo, hi) { t, c, CK_INT, 1, lo, hi, NULL, 4 }
#define W_TYPE "'excess','reporting','nonstandard','alienation'"

/* zhijian-submission(5), version 2, column by column, grouped by table. */
static const struct colck checks[] = {
	T("meta", "key"), T("meta", "value"),
	I("assessment", "id", 1, 1), T("assessment", "assessment_id"), T("assessment", "unit"),
	TW("assessment", "level", W_LEVEL), TN("assessment", "level_label"), TN("assessment", "code"),
	T("assessment", "as_of"), TN("assessment", "period"), T("assessment", "checklist_id"),
	TN("assessment", "checklist_title"), TN("assessment", "checklist_version"),
	T("assessment", "checklist_sha256"), TN("assessment", "scored_as_of"), RN("assessment", "total", 0, 100),
	TN("assessment", "grade"), I("assessment", "items", 0, 100000), I("assessment", "answered", 0, 100000),
	I("assessment", "pending", 0, 100000), I("assessment", "open", 0, 100000),
	I("assessment", "complete", 0, 1), I("assessment", "findings", 0, MAXC),
	I("assessment", "violated", 0, MAXC), I("assessment", "unknown", 0, MAXC),
	T("assessment", "generated_at"), TN("assessment", "generated_by"),
	I("articles", "article", 1, 1000), I("articles", "part", 0, 1000), TN("articles", "part_title"),
	T("articles", "title"), R("articles", "weight", 0, 1000000), RN("articles", "score", 0, 100),
	IN("articles", "checked", 0, MAXC), IN("articles", "violated", 0, MAXC), IN("articles", "unknown", 0, MAXC),
	T("items", "item"), I("items", "article", 1, 1000), I("items", "seq", 1, 100000),
	R("items", "weight", 0, 1000000), T("items", "question"), TN("items", "levels"), TN("items", "rules"),
	TWN("items", "verdict", W_VERDICT), TWN("items", "source", "'answer','proposal'"),
	RN("items", "points", 0, 100),
	T("answers", "item"), TW("answers", "verdict", W_VERDICT), TN("answers", "note"), TN("answers", "reason"),
	TN("answers", "proposed"), T("answers", "answered_at"), TN("answers", "answered_by"),
	T("proposals", "item"), TWN("proposals", "verdict", W_VERDICT), IN("proposals", "checked", 0, MAXC),
	IN("proposals", "violated", 0, MAXC), IN("proposals", "unknown", 0, MAXC), TN("proposals", "basis"),
	T("rules", "rule"), I("rules", "article", 1, 1000), TW("rules", "inventory", W_INV), I("rules", "bit", 0, 62),
	TW("rules", "severity", "'high','medium','low'"), TN("rules", "title"), TN("rules", "message"),
	T("rules", "method"), I("rules", "reads", ANY_LO, ANY_HI), I("rules", "checked", 0, MAXC),
	I("rules", "violated", 0, MAXC), I("rules", "unknown", 0, MAXC),
	TW("fields", "inventory", W_INV), I("fields", "bit", 0, 62), T("fields", "key"), T("fields", "header"),
	TW("inventories", "inventory", W_INV), T("inventories", "title"), I("inventories", "rows", 0, MAXC),
	I("inventories", "subjects", 0, MAXC), I("inventories", "violated_subjects", 0, MAXC),
	I("inventories", "unknown_subjects", 0, MAXC), TN("inventories", "last_import_at"),
	TN("inventories", "last_import_file"), TN("inventories", "last_import_sha256"),
	TW("inventory_counts", "inventory", W_INV), T("inventory_counts", "dimension"),
	TN("inventory_counts", "value"), I("inventory_counts", "count", 0, MAXC),
	I("subjects", "sid", ANY_LO, ANY_HI), TW("subjects", "inventory", W_INV), T("subjects", "subject_id"),
	TN("subjects", "subject_name"), I("subjects", "violated", ANY_LO, ANY_HI), I("subjects", "unknown", ANY_LO, ANY_HI),
	I("subjects", "nulls", ANY_LO, ANY_HI), IN("subjects", "peer", ANY_LO, ANY_HI), IN("subjects", "peer_reasons", 0, 3),
	I("rectifications", "id", ANY_LO, ANY_HI), TW("rectifications", "target", "'finding','item','article'"),
	TWN("rectifications", "inventory", W_INV), TN("rectifications", "subject_id"), TN("rectifications", "rule"),
	TN("rectifications", "item"), I("rectifications", "article", 0, 1000), T("rectifications", "measure"),
	TN("rectifications", "unit"), TN("rectifications", "owner"), TN("rectifications", "deadline"),
	TW("rectifications", "status", "'pending','in_progress','done','verified','cancelled'"),
	TN("rectifications", "cancel_reason"), I("rectifications", "ready", 0, 1),
	I("rectifications", "overdue", 0, 1), T("rectifications", "created_at"),
	TN("rectifications", "created_by"), T("rectifications", "updated_at"),
	I("rect_events", "id", ANY_LO, ANY_HI), I("rect_events", "rect", ANY_LO, ANY_HI), T("rect_events", "at"),
	TN("rect_events", "by"), T("rect_events", "kind"), TN("rect_events", "from_status"),
	TN("rect_events", "to_status"), TN("rect_events", "text"),
	I("rect_evidence", "id", ANY_LO, ANY_HI), I("rect_evidence", "rect", ANY_LO, ANY_HI), T("rect_evidence", "path"),
	T("rect_evidence", "sha256"), IN("rect_evidence", "size", 0, MAXC), T("rect_evidence", "added_at"),
	TN("rect_evidence", "added_by"),
	I("submissions", "id", ANY_LO, ANY_HI), T("submissions", "file"), T("submissions", "file_sha256"),
	IN("submissions", "file_size", 0, MAXC), T("submissions", "received_at"), TN("submissions", "received_by"),
	TW("submissions", "status", "'accepted','superseded','rejected'"), TN("submissions", "reason"),
	TN("submissions", "unit"), TN("submissions", "code"), TWN("submissions", "level", W_LEVEL),
	TN("submissions", "period"), TN("submissions", "assessment_id"), TN("submissions", "as_of"),
	TN("submissions", "checklist_id"), TN("submissions", "checklist_sha256"), RN("submissions", "total", 0, 100),
	TN("submissions", "grade"), IN("submissions", "violated", 0, MAXC), IN("submissions", "unknown", 0, MAXC),
	IN("submissions", "rectifications", 0, MAXC), IN("submissions", "overdue", 0, MAXC),
	IN("submissions", "merged_units", 1, MAXC), IN("submissions", "merged_violated", 0, MAXC),
	IN("submissions", "merged_unknown", 0, MAXC), IN("submissions", "merged_rectifications", 0, MAXC),
	IN("submissions", "merged_overdue", 0, MAXC), TN("submissions", "signer"),
	TN("submissions", "signer_fingerprint"), TN("submissions", "signed_at"),
	TN("submissions", "signature_status"), TN("submissions", "generated_at"), TN("submissions", "issuer"),
	TN("submissions", "issuer_fingerprint"), TN("submissions", "signer_not_after"),
	TN("submissions", "override_reason"),
	I("received_articles", "submission", ANY_LO, ANY_HI), I("received_articles", "article", 1, 1000),
	RN("received_articles", "score", 0, 100), I("received_articles", "violated", 0, MAXC),
	I("received_articles", "units_violating", 0, MAXC),
	TW3("narratives", "section", "'basic','problems','rectification','next'"), T3("narratives", "heading", 64),
	T3("narratives", "text", NARRATIVE_MAX), TW3("narratives", "source", "'generated','inspector'"),
	I3("narratives", "stale", 0, 1),
	TW4("rule_policy", "rule", NULL), TW4N("rule_policy", "type", W_TYPE), T4N("rule_policy", "basis"),
	TW4N("rule_policy", "source", "'text','campaign'"), I4("rule_policy", "zombie", 0, 1),
	I4("rule_policy", "conflict_reads", ANY_LO, ANY_HI), I4("rule_policy", "conflicts", 0, MAXC),
	I4("subject_conflicts", "sid", ANY_LO, ANY_HI), I4("subject_conflicts", "conflicts", ANY_LO, ANY_HI),
	I4N("subject_conflicts", "peer_across", ANY_LO, ANY_HI),
	I4("rectification_types", "id", ANY_LO, ANY_HI), TW4N("rectification_types", "type", W_TYPE),
	I4("received_types", "submission", ANY_LO, ANY_HI), TW4("received_types", "type", W_TYPE ",'none'"),
	I4("received_types", "violated", 0, MAXC), I4("received_types", "unknown", 0, MAXC),
	I4("received_types", "rectifications", 0, MAXC), I4("received_types", "units_violating", 0, MAXC),
};

/* What a column may hold, for the message. */
static void allowed(const struct colck *c, char *buf, size_t size)
{
	int n;

	if (c->kind == CK_TEXT && c->hi > 0)
		n = snprintf(buf, size, _("text of at most %lld bytes"), c->hi);
	else if (c->kind == CK_TEXT)
		n = c->words ? snprintf(buf, size, _("one of %s"), c->words) : snprintf(buf, size, "%s", _("text"));
	else if (c->lo == (-9223372036854775807LL - 1))
		n = snprintf(buf, size, "%s", _("a whole number"));
	else
		n = snprintf(buf, size, c->kind == CK_INT ? _("a whole number from %lld to %lld")
				       : _("a finite number from %lld to %lld"), c->lo, c->hi);
	if (c->null_ok && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%s", _(", or empty"));
}

/* One scan per table, our own SQL: the first row with a value its column
 * does not allow, and which column. */
static int check_values(struct reader *r)
{
	size_t i = 0, n = sizeof(checks) / sizeof(checks[0]);

	while (i < n) {
		const char *table = checks[i].table;
		struct strbuf sql = { 0 };

		/* A table the file's version does not have (its schema was
		 * checked to be that version's). */
		if (checks[i].since > r->s->schema_version) {
			while (i < n && !strcmp(checks[i].table, table))
				i++;
			continue;
		}
		size_t first = i;
		sqlite3_stmt *st;
		int rc;

		sb_adds(&sql, "SELECT bad, CASE bad");
		for (size_t k = first; k < n && !strcmp(checks[k].table, table); k++)
			sb_addf(&sql, " WHEN %zu THEN substr(quote(\"%s\"), 1, 40)", k, checks[k].col);
		sb_adds(&sql, " END FROM (SELECT CASE");
		for (; i < n && !strcmp(checks[i].table, table); i++) {
			const struct colck *c = &checks[i];
			const char *q = c->col;

			if (c->null_ok)
				sb_addf(&sql, " WHEN NOT (\"%s\" IS NULL OR (", q);
			else
				sb_adds(&sql, " WHEN NOT ((");
			switch (c->kind) {
			case CK_TEXT:
				sb_addf(&sql, "typeof(\"%s\") = 'text'", q);
				if (c->hi > 0)
					sb_addf(&sql, " AND length(CAST(\"%s\" AS BLOB)) <= %lld", q, c->hi);
				if (c->words)
					sb_addf(&sql, " AND \"%s\" IN (%s)", q, c->words);
				break;
			case CK_INT:
				sb_addf(&sql, "typeof(\"%s\") = 'integer' AND \"%s\" BETWEEN %lld AND %lld", q, q,
					c->lo, c->hi);
				break;
			case CK_REAL:
				sb_addf(&sql, "typeof(\"%s\") IN ('integer', 'real') AND \"%s\" BETWEEN %lld AND %lld",
					q, q, c->lo, c->hi);
				break;
			}
			sb_addf(&sql, ")) THEN %zu", i);
		}
		sb_addf(&sql, " END AS bad, * FROM main.\"%s\") WHERE bad IS NOT NULL LIMIT 1", table);
		if (!sql.p)
			return zj_err(r->err, "%s", _("out of memory"));
		rc = rprepare(r, sql.p, &st);
		sb_release(&sql);
		if (rc < 0)
			return -1;
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			long long k = sqlite3_column_int64(st, 0);
			char val[64], what[160];

			utf8_sanitize_copy((const char *)sqlite3_column_text(st, 1), val, sizeof(val));
			if (k < 0 || (size_t)k >= n)
				k = (long long)first;
			allowed(&checks[k], what, sizeof(what));
			sqlite3_finalize(st);
			return zj_err(r->err, _("'%s' is refused: %s.%s is %s, but the format allows %s"), r->name,
				      checks[k].table, checks[k].col, val[0] ? val : "NULL", what);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return query_failed(r);
	}
	return 0;
}

/* An identity text: valid UTF-8, no control characters, at most max bytes
 * (compared whole later, so never cut). */
static int take_text(struct reader *r, sqlite3_stmt *st, int col, const char *field, size_t max, char **out)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	size_t len = t ? (size_t)sqlite3_column_bytes(st, col) : 0;

	*out = NULL;
	if (!t)
		return 0;
	if (len > max)
		return zj_err(r->err, _("'%s' is refused: %s is longer than %zu bytes"), r->name, field, max);
	if (strlen(t) != len || !utf8_valid(t, len, NULL))
		return zj_err(r->err, _("'%s' is refused: %s is not valid UTF-8 text"), r->name, field);
	if (utf8_has_control(t))
		return zj_err(r->err, _("'%s' is refused: %s holds control characters"), r->name, field);
	if (!(*out = strdup(t)))
		return zj_err(r->err, "%s", _("out of memory"));
	return 0;
}

static int is_date(const char *s)
{
	int y, m, d;
	char tail;

	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 1900 &&
	       y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int is_timestamp(const char *s)
{
	int y, mo, d, h, mi, se;
	char z, tail;

	return s && strlen(s) == 20 &&
	       sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%c", &y, &mo, &d, &h, &mi, &se, &z, &tail) == 7 && z == 'Z' &&
	       y >= 1900 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && se <= 60;
}

static int load_identity(struct reader *r)
{
	struct submission *s = r->s;
	sqlite3_stmt *st;
	static const struct {
		const char *field;
		size_t max;
	} f[] = {
		{ "assessment.assessment_id", 128 }, { "assessment.unit", 1024 }, { "assessment.level", 16 },
		{ "assessment.code", 128 }, { "assessment.as_of", 16 }, { "assessment.period", 256 },
		{ "assessment.checklist_id", 256 }, { "assessment.checklist_title", 1024 },
		{ "assessment.checklist_version", 256 }, { "assessment.checklist_sha256", 64 },
		{ "assessment.grade", 256 }, { "assessment.generated_at", 32 },
	};
	char **dst[] = { &s->assessment_id, &s->unit, &s->level, &s->code, &s->as_of, &s->period,
			 &s->checklist_id, &s->checklist_title, &s->checklist_version, &s->checklist_sha256,
			 &s->grade, &s->generated_at };
	int rc;

	if (rprepare(r, "SELECT assessment_id, unit, level, code, as_of, period, checklist_id, checklist_title,"
		     " checklist_version, checklist_sha256, grade, generated_at, total, items, answered, pending,"
		     " open, complete, findings, violated, unknown FROM main.assessment", &st) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return query_failed(r);
		return zj_err(r->err, _("'%s' is refused: it holds no assessment record"), r->name);
	}
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (take_text(r, st, (int)i, f[i].field, f[i].max, dst[i]) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	s->total = sqlite3_column_type(st, 12) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 12);
	s->items = sqlite3_column_int64(st, 13);
	s->answered = sqlite3_column_int64(st, 14);
	s->pending = sqlite3_column_int64(st, 15);
	s->open = sqlite3_column_int64(st, 16);
	s->complete = sqlite3_column_int(st, 17);
	s->findings = sqlite3_column_int64(st, 18);
	s->violated = sqlite3_column_int64(st, 19);
	s->unknown = sqlite3_column_int64(st, 20);
	sqlite3_finalize(st);
	if (!s->unit[0])
		return zj_err(r->err, _("'%s' is refused: %s is empty"), r->name, "assessment.unit");
	if (s->code && !s->code[0]) {
		free(s->code);	/* an empty code is no code */
		s->code = NULL;
	}
	if (!is_date(s->as_of))
		return zj_err(r->err, _("'%s' is refused: %s is '%s', not a date (2026-06-30)"), r->name,
			      "assessment.as_of", s->as_of);
	if (!is_timestamp(s->generated_at))
		return zj_err(r->err, _("'%s' is refused: %s is '%s', not a time (2026-06-30T08:00:00Z)"), r->name,
			      "assessment.generated_at", s->generated_at);
	if (strlen(s->checklist_sha256) != 64 || strspn(s->checklist_sha256, "0123456789abcdef") != 64)
		return zj_err(r->err, _("'%s' is refused: %s is not a SHA-256 in hex"), r->name,
			      "assessment.checklist_sha256");
	/* The counts agree with each other. */
	if (s->answered + s->pending + s->open != s->items)
		return zj_err(r->err, _("'%s' is refused: assessment.answered + pending + open (%lld + %lld + %lld) is not assessment.items (%lld)"),
			      r->name, s->answered, s->pending, s->open, s->items);
	if (s->complete != (s->pending == 0 && s->open == 0))
		return zj_err(r->err, _("'%s' is refused: assessment.complete is %d, but %lld items are unanswered"),
			      r->name, s->complete, s->pending + s->open);
	if (s->findings != s->violated + s->unknown)
		return zj_err(r->err, _("'%s' is refused: assessment.findings (%lld) is not violated + unknown (%lld + %lld)"),
			      r->name, s->findings, s->violated, s->unknown);
	return 0;
}

static int load_meta(struct reader *r)
{
	sqlite3_stmt *st;
	int rc, format = 0, version = 0;

	if (rprepare(r, "SELECT key, value FROM main.meta", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);

		if (!strcmp(k, "format"))
			format = !strcmp(v, "zhijian-submission");
		else if (!strcmp(k, "schema_version"))
			version = atoi(v) == r->s->schema_version && strspn(v, "0123456789") == strlen(v);
		else if (!strcmp(k, "generator") && !r->s->generator &&
			 take_text(r, st, 1, "meta.generator", 256, &r->s->generator) < 0) {
			sqlite3_finalize(st);
			return -1;
		} else if (!strcmp(k, "overdue_judged_on") && !r->s->overdue_judged_on && when_is_date(v) &&
			   !(r->s->overdue_judged_on = strdup(v))) {
			sqlite3_finalize(st);
			return zj_err(r->err, "%s", _("out of memory"));
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return query_failed(r);
	if (!format || !version)
		return zj_err(r->err, _("'%s' is refused: meta does not say format zhijian-submission, schema version %d"),
			      r->name, r->s->schema_version);
	return 0;
}

/* a + b within SUBMISSION_COUNT_MAX, or -1. */
static int add_count(long long *a, long long b)
{
	long long v;

	if (b < 0 || __builtin_add_overflow(*a, b, &v) || v > SUBMISSION_COUNT_MAX)
		return -1;
	*a = v;
	return 0;
}

static int load_items(struct reader *r)
{
	struct submission *s = r->s;
	sqlite3_stmt *st;
	long long by_answer = 0, by_proposal = 0, none = 0;
	int rc;

	if (s->items > 0 && !(s->itemv = calloc((size_t)s->items, sizeof(*s->itemv))))
		return zj_err(r->err, "%s", _("out of memory"));
	if (rprepare(r, "SELECT item, verdict, source, points, weight FROM main.items ORDER BY item", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 1), *src = (const char *)sqlite3_column_text(st, 2);
		struct submission_item *it;
		char field[] = "items.item";

		if (s->nitemv == (size_t)s->items) {
			sqlite3_finalize(st);
			return zj_err(r->err, _("'%s' is refused: items holds more rows than assessment.items (%lld)"),
				      r->name, s->items);
		}
		it = &s->itemv[s->nitemv++];
		if (take_text(r, st, 0, field, 64, &it->item) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		it->verdict = v ? verdict_parse(v) : VERDICT_NONE;
		it->weight = sqlite3_column_double(st, 4);
		if (!v != !src || (it->verdict == VERDICT_NA) != (v && sqlite3_column_type(st, 3) == SQLITE_NULL) ||
		    (v && it->verdict != VERDICT_NA && sqlite3_column_double(st, 3) != scoring_points(it->verdict))) {
			sqlite3_finalize(st);
			return zj_err(r->err, _("'%s' is refused: item '%s' has a verdict, source and points that do not agree"),
				      r->name, it->item);
		}
		if (!v)
			none++;
		else if (!strcmp(src, "answer"))
			by_answer++;
		else
			by_proposal++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return query_failed(r);
	if ((long long)s->nitemv != s->items || by_answer != s->answered || by_proposal != s->pending ||
	    none != s->open)
		return zj_err(r->err, _("'%s' is refused: items (%zu rows: %lld answered, %lld proposed, %lld open) do not match assessment (%lld: %lld, %lld, %lld)"),
			      r->name, s->nitemv, by_answer, by_proposal, none, s->items, s->answered, s->pending,
			      s->open);
	return 0;
}

static struct submission_article *article_of(struct submission *s, long long article)
{
	for (size_t i = 0; i < s->narticles; i++)
		if (s->articles[i].article == article)
			return &s->articles[i];
	return NULL;
}

static int load_articles(struct reader *r)
{
	struct submission *s = r->s;
	sqlite3_stmt *st;
	long long violated = 0, unknown = 0;
	size_t cap = 0;
	int rc;

	if (rprepare(r, "SELECT article, score, coalesce(violated, 0) FROM main.articles ORDER BY article", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct submission_article *a;

		if (s->narticles == cap) {
			struct submission_article *na = realloc(s->articles, (cap = cap ? cap * 2 : 32) * sizeof(*na));

			if (!na) {
				sqlite3_finalize(st);
				return zj_err(r->err, "%s", _("out of memory"));
			}
			s->articles = na;
		}
		a = &s->articles[s->narticles++];
		memset(a, 0, sizeof(*a));
		a->article = sqlite3_column_int(st, 0);
		a->score = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 1);
		a->violated = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return query_failed(r);

	/* The findings counts are what the rules say they are; by type too
	 * (a file of format 2 or 3 has no types: all of it is untyped). */
	if (rprepare(r, s->schema_version >= 4
		     ? "SELECT r.violated, r.unknown, p.type, coalesce(p.conflicts, 0) FROM main.rules r"
		       " LEFT JOIN main.rule_policy p ON p.rule = r.rule"
		     : "SELECT violated, unknown, NULL, 0 FROM main.rules", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 2);
		int t = type ? problem_type_parse(type) : -1;
		struct submission_type *ty = &s->types[t < 0 ? PT_COUNT : t];

		if (sqlite3_column_int64(st, 3) > sqlite3_column_int64(st, 1)) {
			sqlite3_finalize(st);
			return zj_err(r->err, _("'%s' is refused: a rule counts more contradictions (rule_policy.conflicts) than unknowns"),
				      r->name);
		}
		if (add_count(&violated, sqlite3_column_int64(st, 0)) < 0 ||
		    add_count(&unknown, sqlite3_column_int64(st, 1)) < 0 ||
		    add_count(&ty->violated, sqlite3_column_int64(st, 0)) < 0 ||
		    add_count(&ty->unknown, sqlite3_column_int64(st, 1)) < 0)
			break;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return zj_err(r->err, _("'%s' is refused: the sum of %s exceeds %lld"), r->name, "rules.violated",
			      SUBMISSION_COUNT_MAX);
	if (rc != SQLITE_DONE)
		return query_failed(r);
	if (violated != s->violated || unknown != s->unknown)
		return zj_err(r->err, _("'%s' is refused: assessment.violated and unknown (%lld, %lld) are not the rules' (%lld, %lld)"),
			      r->name, s->violated, s->unknown, violated, unknown);
	return 0;
}

/* The deadlines of the open rectifications, so the level above counts the
 * overdue ones against its own today.  A deadline that is not a date
 * cannot be judged and is left out; more distinct deadlines than there are
 * SUBMISSION_MAX_DEADLINES refuse the file (they bound the text kept per
 * unit). */
#define SUBMISSION_MAX_DEADLINES 20000
static int load_open_deadlines(struct reader *r)
{
	struct strbuf sb = { 0 };
	sqlite3_stmt *st;
	long long n = 0;
	int rc;

	if (rprepare(r, "SELECT deadline, count(*) FROM main.rectifications WHERE deadline IS NOT NULL"
		     " AND status IN ('pending', 'in_progress') GROUP BY deadline ORDER BY deadline", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);

		if (!d || !when_is_date(d))
			continue;
		if (++n > SUBMISSION_MAX_DEADLINES) {
			sqlite3_finalize(st);
			sb_release(&sb);
			return zj_err(r->err, _("'%s' is refused: rectifications holds more than %d distinct deadlines"),
				      r->name, SUBMISSION_MAX_DEADLINES);
		}
		sb_addf(&sb, "%s%s*%lld", sb.len ? ";" : "", d, sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		sb_release(&sb);
		return query_failed(r);
	}
	r->s->open_deadlines = sb.p ? sb.p : strdup("");
	return r->s->open_deadlines ? 0 : zj_err(r->err, "%s", _("out of memory"));
}

/* What the submitter had received itself: its accepted submissions and
 * their per-article figures, summed without overflow. */
static int load_below(struct reader *r)
{
	struct submission *s = r->s;
	struct submission_below *b = &s->below;
	sqlite3_stmt *st;
	int rc;

	if (rprepare(r, "SELECT coalesce(merged_units, 1), coalesce(merged_violated, 0), coalesce(merged_unknown, 0),"
		     " coalesce(merged_rectifications, 0), coalesce(merged_overdue, 0)"
		     " FROM main.submissions WHERE status = 'accepted'", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b->files++;
		if (add_count(&b->units, sqlite3_column_int64(st, 0)) < 0 ||
		    add_count(&b->violated, sqlite3_column_int64(st, 1)) < 0 ||
		    add_count(&b->unknown, sqlite3_column_int64(st, 2)) < 0 ||
		    add_count(&b->rectifications, sqlite3_column_int64(st, 3)) < 0 ||
		    add_count(&b->overdue, sqlite3_column_int64(st, 4)) < 0) {
			sqlite3_finalize(st);
			return zj_err(r->err, _("'%s' is refused: the sums of submissions.merged_* exceed %lld"), r->name,
				      SUBMISSION_COUNT_MAX);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return query_failed(r);
	if (s->schema_version >= 4) {
		if (rprepare(r, "SELECT r.type, r.violated, r.unknown, r.rectifications, r.units_violating"
			     " FROM main.received_types r JOIN main.submissions s ON s.id = r.submission"
			     " WHERE s.status = 'accepted'", &st) < 0)
			return -1;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int t = problem_type_parse((const char *)sqlite3_column_text(st, 0));
			struct submission_type *ty = &s->types[t < 0 ? PT_COUNT : t];

			if (add_count(&ty->below_violated, sqlite3_column_int64(st, 1)) < 0 ||
			    add_count(&ty->below_unknown, sqlite3_column_int64(st, 2)) < 0 ||
			    add_count(&ty->below_rectifications, sqlite3_column_int64(st, 3)) < 0 ||
			    add_count(&ty->below_units, sqlite3_column_int64(st, 4)) < 0) {
				sqlite3_finalize(st);
				return zj_err(r->err, _("'%s' is refused: the sums of received_types exceed %lld"), r->name,
					      SUBMISSION_COUNT_MAX);
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return query_failed(r);
	}
	if (rprepare(r, "SELECT r.article, r.violated, r.units_violating FROM main.received_articles r"
		     " JOIN main.submissions s ON s.id = r.submission WHERE s.status = 'accepted'", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct submission_article *a = article_of(s, sqlite3_column_int64(st, 0));

		if (!a) {
			long long art = sqlite3_column_int64(st, 0);

			sqlite3_finalize(st);
			return zj_err(r->err, _("'%s' is refused: received_articles names article %lld, which articles does not have"),
				      r->name, art);
		}
		if (add_count(&a->below_violated, sqlite3_column_int64(st, 1)) < 0 ||
		    add_count(&a->below_units, sqlite3_column_int64(st, 2)) < 0) {
			sqlite3_finalize(st);
			return zj_err(r->err, _("'%s' is refused: the sums of received_articles exceed %lld"), r->name,
				      SUBMISSION_COUNT_MAX);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return query_failed(r);
	return 0;
}

static int load_rest(struct reader *r)
{
	struct submission *s = r->s;
	sqlite3_stmt *st;
	int rc;

	if (rprepare(r, "SELECT inventory, rows, subjects FROM main.inventories ORDER BY"
		     " CASE inventory WHEN 'apps' THEN 0 WHEN 'accounts' THEN 1 ELSE 2 END", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && s->ninv < sizeof(s->inv) / sizeof(s->inv[0])) {
		s->inv[s->ninv].name = dup_col(st, 0);
		s->inv[s->ninv].rows = sqlite3_column_int64(st, 1);
		s->inv[s->ninv].subjects = sqlite3_column_int64(st, 2);
		s->ninv++;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return zj_err(r->err, _("'%s' is refused: inventories holds more than three rows"), r->name);
	if (rc != SQLITE_DONE)
		return query_failed(r);
	if (rprepare(r, s->schema_version >= 4
		     ? "SELECT t.type, count(*) FROM main.rectifications x LEFT JOIN main.rectification_types t"
		       " ON t.id = x.id GROUP BY t.type"
		     : "SELECT NULL, count(*) FROM main.rectifications", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		int t = type ? problem_type_parse(type) : -1;

		s->types[t < 0 ? PT_COUNT : t].rectifications += sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return query_failed(r);
	if (rprepare(r, "SELECT count(*), coalesce(sum(overdue), 0) FROM main.rectifications", &st) < 0)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->rectifications = sqlite3_column_int64(st, 0);
		s->overdue = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return query_failed(r);
	return load_open_deadlines(r);
}

static long long pragma_value(struct reader *r, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

/* The connection is set up before the first statement reads the schema. */
static void harden(sqlite3 *db)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_WRITABLE_SCHEMA, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 200);
	sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 10);
	sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 0);
}

static int load(struct reader *r)
{
	long long app, ver;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &r->budget.deadline);
	r->budget.deadline.tv_sec += SUBMISSION_MAX_SECONDS;
	sqlite3_progress_handler(r->db, 1000, over_budget, &r->budget);
	app = pragma_value(r, "PRAGMA main.application_id");
	ver = pragma_value(r, "PRAGMA main.user_version");
	if (app != SUBMISSION_APPLICATION_ID) {
		zj_err(r->err, _("'%s' is not a zhijian submission"), r->name);
		goto out;
	}
	if (ver != SUBMISSION_SCHEMA_VERSION && ver != SUBMISSION_SCHEMA_OLDEST) {
		zj_err(r->err, _("'%s' has submission schema version %lld; this zhijian reads version %d"), r->name, ver,
		       SUBMISSION_SCHEMA_VERSION);
		goto out;
	}
	r->s->schema_version = (int)ver;
	if (check_schema(r) < 0 || check_values(r) < 0 || load_identity(r) < 0 || load_meta(r) < 0 ||
	    load_items(r) < 0 || load_articles(r) < 0 || load_below(r) < 0 || load_rest(r) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_progress_handler(r->db, 0, NULL, NULL);
	return rc;
}

static struct submission *fresh(void)
{
	struct submission *s = calloc(1, sizeof(*s));

	if (s)
		s->total = -1;
	return s;
}

/* Opens the image of a submission in r (name and err set), read-only in
 * memory, and checks it whole as merge does.  On failure returns
 * SUBMISSION_NOT or SUBMISSION_REFUSED with err filled; the caller closes
 * r.db and r.s either way. */
static int reader_open_mem(struct reader *r, const unsigned char *data, size_t len)
{
	unsigned char *img;

	if (len < 512 || memcmp(data, "SQLite format 3", 16) != 0)
		return zj_err(r->err, _("'%s' is not a zhijian submission"), r->name), SUBMISSION_NOT;
	if (!(r->s = fresh()) || sqlite3_open_v2(":memory:", &r->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return zj_err(r->err, "%s", _("out of memory")), SUBMISSION_NOT;
	harden(r->db);
	if (!(img = sqlite3_malloc64(len)))
		return zj_err(r->err, "%s", _("out of memory")), SUBMISSION_NOT;
	memcpy(img, data, len);
	/* FREEONCLOSE hands img to SQLite; READONLY keeps the image as it
	 * came out of the PDF. */
	if (sqlite3_deserialize(r->db, "main", img, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
		return zj_err(r->err, _("'%s' is not a zhijian submission"), r->name), SUBMISSION_NOT;
	if (load(r) < 0)
		return r->s->schema_version ? SUBMISSION_REFUSED : SUBMISSION_NOT;
	return 0;
}

int submission_open_mem(struct submission **out, const unsigned char *data, size_t len,
			const char *name, struct zj_error *err)
{
	struct reader r = { .name = name, .err = err };
	int rc = reader_open_mem(&r, data, len);

	sqlite3_close(r.db);
	if (rc) {
		submission_close(r.s);
		*out = NULL;
		return rc;
	}
	*out = r.s;
	return 0;
}

/* The findings of an open, checked reader. */
static int read_findings(struct reader *r, submission_finding_fn fn, void *ctx, long long *count)
{
	sqlite3_stmt *st;
	int rc;

	if (rprepare(r, "SELECT r.article, s.inventory, s.subject_id, coalesce(s.subject_name, ''), r.rule,"
		     " coalesce(r.title, ''), r.severity, (s.violated >> r.bit) & 1"
		     " FROM main.subjects s JOIN main.rules r ON r.inventory = s.inventory"
		     " AND ((s.violated | s.unknown) >> r.bit) & 1"
		     " ORDER BY r.article, s.inventory, r.bit, s.sid", &st) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char inv[32], sid[256], sname[512], rule[128], title[256], sev[16];
		struct submission_finding f = {
			.article = sqlite3_column_int(st, 0),
			.inventory = utf8_sanitize_copy((const char *)sqlite3_column_text(st, 1), inv, sizeof(inv)),
			.subject_id = utf8_sanitize_copy((const char *)sqlite3_column_text(st, 2), sid, sizeof(sid)),
			.subject_name = utf8_sanitize_copy((const char *)sqlite3_column_text(st, 3), sname, sizeof(sname)),
			.rule = utf8_sanitize_copy((const char *)sqlite3_column_text(st, 4), rule, sizeof(rule)),
			.title = utf8_sanitize_copy((const char *)sqlite3_column_text(st, 5), title, sizeof(title)),
			.severity = utf8_sanitize_copy((const char *)sqlite3_column_text(st, 6), sev, sizeof(sev)),
			.violated = sqlite3_column_int(st, 7),
		};

		(*count)++;
		if (fn(ctx, &f) < 0)
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return query_failed(r);
	return 0;
}

int submission_findings_mem(const unsigned char *data, size_t len, const char *name,
			    submission_finding_fn fn, void *ctx, long long *count, struct zj_error *err)
{
	struct reader r = { .name = name, .err = err };
	/* Checked whole first, exactly as for merge: then read. */
	int rc = reader_open_mem(&r, data, len);

	*count = 0;
	if (!rc)
		rc = read_findings(&r, fn, ctx, count) < 0 ? SUBMISSION_REFUSED : 0;
	sqlite3_close(r.db);
	submission_close(r.s);
	return rc;
}

int submission_open(struct submission **out, const char *path, struct zj_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	/* Into memory first, as a file from a PDF is: one code path. */
	if (file_read_all(path, (size_t)256 << 20, &data, &len, err) < 0)
		return -1;
	rc = submission_open_mem(out, data, len, path, err);
	free(data);
	return rc;
}

void submission_close(struct submission *s)
{
	if (!s)
		return;
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
	free(s->overdue_judged_on);
	free(s->open_deadlines);
	for (size_t i = 0; i < s->ninv; i++)
		free(s->inv[i].name);
	for (size_t i = 0; i < s->nitemv; i++)
		free(s->itemv[i].item);
	free(s->itemv);
	free(s->articles);
	free(s);
}
