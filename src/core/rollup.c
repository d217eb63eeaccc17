#include "core/rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/audit.h"
#include "core/csvread.h"
#include "core/store.h"
#include "core/submission.h"
#include "util/i18n.h"
#include "util/parse.h"


/* What the submitter had itself merged from below (a city's units, a
 * province's cities), from the submissions table its data carries. */
struct merged {
	long long units, violated, unknown, rectifications, overdue;
};

static void merged_below(sqlite3 *sdb, struct merged *m)
{
	sqlite3_stmt *st;

	memset(m, 0, sizeof(*m));
	if (sqlite3_prepare_v2(sdb, "SELECT count(*), coalesce(sum(merged_units), 0), coalesce(sum(merged_violated), 0),"
			       " coalesce(sum(merged_unknown), 0), coalesce(sum(merged_rectifications), 0),"
			       " coalesce(sum(merged_overdue), 0) FROM submissions WHERE status = 'accepted'",
			       -1, &st, NULL) != SQLITE_OK)
		return;	/* a unit's submission has no such table */
	if (sqlite3_step(st) == SQLITE_ROW) {
		m->units = sqlite3_column_int64(st, 1);
		m->violated = sqlite3_column_int64(st, 2);
		m->unknown = sqlite3_column_int64(st, 3);
		m->rectifications = sqlite3_column_int64(st, 4);
		m->overdue = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
}

/* Is this unit on the expected list (by code when both have one, else by
 * name)?  An empty list expects anyone. */
static int expected(sqlite3 *db, const char *unit, const char *code, int *listed)
{
	sqlite3_stmt *st;
	int yes = 0;

	*listed = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(unit = ?1 OR (code IS NOT NULL AND code = ?2)), 0)"
			       " FROM expected_units", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*listed = sqlite3_column_int64(st, 0) > 0;
		yes = sqlite3_column_int64(st, 1) > 0;
	}
	sqlite3_finalize(st);
	return !*listed || yes;
}

static int record(sqlite3 *db, const struct rollup_file *f, const char *status, const char *reason,
		  const struct submission *s, const struct merged *m, long long *id, struct zj_error *err)
{
	sqlite3_stmt *st;
	char now[21];
	int rc;

	store_now(now);
	if (sqlite3_prepare_v2(db, "INSERT INTO submissions (file, file_sha256, file_size, received_at, received_by,"
			       " status, reason, unit, code, level, period, assessment_id, as_of, checklist_id,"
			       " checklist_sha256, total, grade, violated, unknown, rectifications, overdue,"
			       " merged_units, merged_violated, merged_unknown, merged_rectifications, merged_overdue,"
			       " signer, signer_fingerprint, signed_at, signature_status, data)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot record the submission"));
	sqlite3_bind_text(st, 1, f->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->size);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, store_user(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, reason, -1, SQLITE_STATIC);
	if (s) {
		sqlite3_bind_text(st, 8, s->unit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, s->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, s->level, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 11, s->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 12, s->assessment_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, s->as_of, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 14, s->checklist_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 15, s->checklist_sha256, -1, SQLITE_STATIC);
		if (s->total >= 0)
			sqlite3_bind_double(st, 16, s->total);
		sqlite3_bind_text(st, 17, s->grade, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 18, s->violated);
		sqlite3_bind_int64(st, 19, s->unknown);
		sqlite3_bind_int64(st, 20, s->rectifications);
		sqlite3_bind_int64(st, 21, s->overdue);
	}
	if (m) {
		/* A unit counts itself; a higher level counts what it merged
		 * (its own inventories, if any, are in its own figures). */
		sqlite3_bind_int64(st, 22, m->units ? m->units : 1);
		sqlite3_bind_int64(st, 23, s->violated + m->violated);
		sqlite3_bind_int64(st, 24, s->unknown + m->unknown);
		sqlite3_bind_int64(st, 25, s->rectifications + m->rectifications);
		sqlite3_bind_int64(st, 26, s->overdue + m->overdue);
	}
	sqlite3_bind_text(st, 27, f->signer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 28, f->fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 29, f->signed_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 30, f->signature_status, -1, SQLITE_STATIC);
	if (m && f->data)
		sqlite3_bind_blob(st, 31, f->data, (int)f->len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(db, err, _("cannot record the submission"));
	*id = sqlite3_last_insert_rowid(db);
	return 0;
}

/* The submitter's figures per article, merged with what it had received:
 * its own violated findings plus, from its received_articles, everything
 * below; units_violating counts units below (or the submitter itself when
 * it merged nothing). */
static int record_articles(sqlite3 *db, sqlite3 *sdb, long long id, int merged, struct zj_error *err)
{
	sqlite3_stmt *q = NULL, *ins = NULL;
	int rc = -1, has_below;

	has_below = store_scalar(sdb, "SELECT count(*) FROM sqlite_master WHERE name = 'received_articles'") > 0 &&
		    store_scalar(sdb, "SELECT count(*) FROM sqlite_master WHERE name = 'submissions'") > 0;
	if (sqlite3_prepare_v2(sdb, has_below
			       ? "SELECT a.article, a.score, coalesce(a.violated, 0) + coalesce((SELECT sum(r.violated)"
				 " FROM received_articles r JOIN submissions s ON s.id = r.submission"
				 " WHERE s.status = 'accepted' AND r.article = a.article), 0),"
				 " coalesce((SELECT sum(r.units_violating) FROM received_articles r JOIN submissions s"
				 " ON s.id = r.submission WHERE s.status = 'accepted' AND r.article = a.article), 0)"
				 " FROM articles a"
			       : "SELECT article, score, coalesce(violated, 0), 0 FROM articles",
			       -1, &q, NULL) != SQLITE_OK)
		return 0;	/* an older submission without articles: nothing to add */
	if (sqlite3_prepare_v2(db, "INSERT INTO received_articles (submission, article, score, violated,"
			       " units_violating) VALUES (?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot record the submission"));
		goto out;
	}
	while (sqlite3_step(q) == SQLITE_ROW) {
		long long v = sqlite3_column_int64(q, 2), below = sqlite3_column_int64(q, 3);
		int article = sqlite3_column_int(q, 0);

		if (article < 1 || article > 1000)
			continue;	/* hostile input: not an article */
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_int(ins, 2, article);
		if (sqlite3_column_type(q, 1) == SQLITE_NULL)
			sqlite3_bind_null(ins, 3);
		else
			sqlite3_bind_double(ins, 3, sqlite3_column_double(q, 1));
		sqlite3_bind_int64(ins, 4, v);
		sqlite3_bind_int64(ins, 5, merged ? below : v > 0);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			store_error(db, err, _("cannot record the submission"));
			goto out;
		}
		sqlite3_reset(ins);
	}
	rc = 0;
out:
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	return rc;
}

int rollup_receive(sqlite3 *db, const struct workspace *ws, const struct rollup_file *f,
		   int replace, struct rollup_outcome *out, struct zj_error *err)
{
	struct submission *s = NULL;
	struct zj_error serr;
	struct merged m;
	sqlite3_stmt *st;
	char *reason = NULL;
	long long prior = 0, same_file = 0;
	int level, rc = -1, listed;

	memset(out, 0, sizeof(*out));
	out->total = -1;

	/* The same bytes twice: say so rather than "duplicate unit". */
	if (sqlite3_prepare_v2(db, "SELECT id FROM submissions WHERE file_sha256 = ? AND status <> 'rejected'",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the submissions"));
	sqlite3_bind_text(st, 1, f->sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		same_file = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);

	if (!f->signature_ok) {
		reason = sqlite3_mprintf(_("signature: %s"), f->signature_reason ? f->signature_reason : "?");
		goto reject;
	}
	if (!f->data) {
		reason = sqlite3_mprintf("%s", _("the report carries no submission data"));
		goto reject;
	}
	if (submission_open_mem(&s, f->data, f->len, f->path, &serr) < 0) {
		reason = sqlite3_mprintf(_("the embedded data cannot be read: %s"), serr.msg);
		goto reject;
	}
	snprintf(out->unit, sizeof(out->unit), "%s", s->unit ? s->unit : "");
	snprintf(out->period, sizeof(out->period), "%s", s->period ? s->period : "");
	out->total = s->total;
	if (same_file) {
		reason = sqlite3_mprintf(_("this very file was already received (#%lld)"), same_file);
		goto reject;
	}
	level = s->level ? level_parse(s->level) : -1;
	if (level < 0 || level >= (int)ws->level) {
		reason = sqlite3_mprintf(_("a report of level %s cannot be merged by a %s workspace"),
					 s->level ? s->level : "?", level_key(ws->level));
		goto reject;
	}
	if (store_scalar(s->db, "SELECT complete FROM assessment") != 1) {
		reason = sqlite3_mprintf("%s", _("it is a draft (items are unanswered); only a final report can be merged"));
		goto reject;
	}
	if (!s->period || !ws->period || strcmp(s->period, ws->period)) {
		reason = sqlite3_mprintf(_("period '%s', but this level collects '%s'"),
					 s->period ? s->period : "?", ws->period ? ws->period : "?");
		goto reject;
	}
	if (!s->checklist_id || strcmp(s->checklist_id, ws->cl->id) ||
	    !s->checklist_sha256 || strcmp(s->checklist_sha256, ws->cl->sha256)) {
		reason = sqlite3_mprintf(_("checklist %s (sha256 %.12s…), but this level uses %s (sha256 %.12s…)"),
					 s->checklist_id ? s->checklist_id : "?",
					 s->checklist_sha256 ? s->checklist_sha256 : "?", ws->cl->id, ws->cl->sha256);
		goto reject;
	}
	if (!expected(db, s->unit, s->code, &listed)) {
		reason = sqlite3_mprintf(_("unit '%s' is not among the units expected to report here"), s->unit);
		goto reject;
	}
	if (sqlite3_prepare_v2(db, "SELECT id, received_at FROM submissions WHERE unit = ? AND period = ?"
			       " AND status = 'accepted'", -1, &st, NULL) != SQLITE_OK)
		goto sql;
	sqlite3_bind_text(st, 1, s->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->period, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		prior = sqlite3_column_int64(st, 0);
		if (!replace)
			reason = sqlite3_mprintf(_("a report of %s for %s was already received (#%lld, %s); use --replace to supersede it"),
						 s->unit, s->period, prior, sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (reason)
		goto reject;

	merged_below(s->db, &m);
	if (record(db, f, "accepted", NULL, s, &m, &out->id, err) < 0)
		goto out;
	if (prior) {
		char *sql = sqlite3_mprintf("UPDATE submissions SET status = 'superseded',"
					    " reason = 'superseded by #%lld' WHERE id = %lld", out->id, prior);

		if (!sql || store_exec(db, sql, err) < 0) {
			sqlite3_free(sql);
			goto out;
		}
		sqlite3_free(sql);
		out->superseded = prior;
	}
	if (record_articles(db, s->db, out->id, m.units > 0, err) < 0)
		goto out;
	out->accepted = 1;
	if (audit_appendf(db, err, "merge", "#%lld accepted: %s %s, total %.2f, signed by %s, file %s sha256 %s%s",
			  out->id, s->unit, s->period, s->total, f->signer ? f->signer : "?", f->path, f->sha256,
			  prior ? " (supersedes an earlier one)" : "") < 0)
		goto out;
	rc = 0;
	goto out;
reject:
	if (!reason) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
	if (record(db, f, "rejected", reason, s, NULL, &out->id, err) < 0 ||
	    audit_appendf(db, err, "merge", "#%lld rejected: %s: %s", out->id, f->path, reason) < 0)
		goto out;
	rc = 0;
	goto out;
sql:
	store_error(db, err, _("cannot read the submissions"));
out:
	sqlite3_free(reason);
	submission_close(s);
	return rc;
}

long long rollup_expect(sqlite3 *db, const char *csv_path, struct zj_error *err)
{
	struct csvread *r = NULL;
	struct csvread_record rec;
	sqlite3_stmt *st = NULL;
	int unit_col = -1, code_col = -1, level_col = -1, got;
	long long n = 0;
	char now[21];

	if (csvread_open(&r, csv_path, CSVREAD_AUTO, err) < 0)
		return -1;
	got = csvread_next(r, &rec, err);
	if (got <= 0) {
		if (got == 0)
			zj_err(err, _("%s: the file is empty (expected a header with 单位名称)"), csv_path);
		csvread_close(r);
		return -1;
	}
	for (size_t i = 0; i < rec.nfields; i++) {
		const char *t;
		size_t tl;

		if (!parse_text(rec.fields[i], rec.lens[i], &t, &tl))
			continue;
		if ((tl == 4 && !strncasecmp(t, "unit", 4)) || (tl == 4 && !strncasecmp(t, "name", 4)) ||
		    (tl == strlen("单位名称") && !memcmp(t, "单位名称", tl)) || (tl == strlen("单位") && !memcmp(t, "单位", tl)))
			unit_col = (int)i;
		else if ((tl == 4 && !strncasecmp(t, "code", 4)) || (tl == strlen("单位代码") && !memcmp(t, "单位代码", tl)))
			code_col = (int)i;
		else if ((tl == 5 && !strncasecmp(t, "level", 5)) || (tl == strlen("层级") && !memcmp(t, "层级", tl)))
			level_col = (int)i;
	}
	if (unit_col < 0) {
		zj_err(err, _("%s:%ld: missing required column '单位名称' (unit)"), csv_path, rec.line);
		csvread_close(r);
		return -1;
	}
	if (store_begin(db, err) < 0 || store_exec(db, "DELETE FROM expected_units", err) < 0 ||
	    sqlite3_prepare_v2(db, "INSERT INTO expected_units (unit, code, level, added_at) VALUES (?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK) {
		if (!sqlite3_get_autocommit(db))
			store_error(db, err, _("cannot record the expected units"));
		goto fail;
	}
	store_now(now);
	while ((got = csvread_next(r, &rec, err)) > 0) {
		const char *u, *c = NULL, *l = NULL;
		size_t ul, cl = 0, ll = 0;

		if ((size_t)unit_col >= rec.nfields || !parse_text(rec.fields[unit_col], rec.lens[unit_col], &u, &ul))
			continue;	/* a blank line of the list */
		for (size_t i = 0; i < rec.nfields; i++)
			if (rec.errs[i] != CSVREAD_FIELD_OK) {
				zj_err(err, _("%s:%ld: column %zu is not readable text"), csv_path, rec.line, i + 1);
				goto fail;
			}
		if (code_col >= 0 && (size_t)code_col < rec.nfields)
			parse_text(rec.fields[code_col], rec.lens[code_col], &c, &cl);
		if (level_col >= 0 && (size_t)level_col < rec.nfields)
			parse_text(rec.fields[level_col], rec.lens[level_col], &l, &ll);
		if (l && ll) {
			char lv[32];

			snprintf(lv, sizeof(lv), "%.*s", (int)ll, l);
			if (level_parse(lv) < 0) {
				zj_err(err, _("%s:%ld: column '层级': '%s' is not a level"), csv_path, rec.line, lv);
				goto fail;
			}
		}
		sqlite3_bind_text(st, 1, u, (int)ul, SQLITE_STATIC);
		if (c && cl)
			sqlite3_bind_text(st, 2, c, (int)cl, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 2);
		if (l && ll)
			sqlite3_bind_text(st, 3, l, (int)ll, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 3);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY)
				zj_err(err, _("%s:%ld: unit '%.*s' is listed twice"), csv_path, rec.line, (int)ul, u);
			else
				store_error(db, err, _("cannot record the expected units"));
			goto fail;
		}
		sqlite3_reset(st);
		n++;
	}
	if (got < 0)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if (audit_appendf(db, err, "expect", "%lld units expected to report, from %s", n, csv_path) < 0 ||
	    store_commit(db, err) < 0)
		goto fail;
	csvread_close(r);
	return n;
fail:
	sqlite3_finalize(st);
	store_rollback(db);
	csvread_close(r);
	return -1;
}
