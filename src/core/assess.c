#include "core/assess.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/rules.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/when.h"

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

int workspace_check_parent(const char *s, struct zj_error *err)
{
	size_t n = s ? strlen(s) : 0, i = 0;

	if (n > WORKSPACE_PARENT_MAX)
		return zj_err(err, _("the level reported to (主送机关) is %zu bytes long; at most %d are allowed"), n,
			      WORKSPACE_PARENT_MAX);
	if (!utf8_valid(s ? s : "", n, NULL) || utf8_has_control(s ? s : ""))
		return zj_err(err, "%s", _("the level reported to (主送机关) must be text without control characters"));
	/* Blank: spaces and ideographic spaces only. */
	while (i < n && (s[i] == ' ' || !strncmp(s + i, "\u3000", 3)))
		i += s[i] == ' ' ? 1 : 3;
	if (i == n)
		return zj_err(err, "%s", _("the level reported to (主送机关) is empty"));
	return 0;
}

int workspace_set_parent(sqlite3 *db, struct workspace *ws, const char *parent, struct zj_error *err)
{
	sqlite3_stmt *st;
	char *copy = NULL;

	if (parent && workspace_check_parent(parent, err) < 0)
		return -1;
	if (parent && !(copy = strdup(parent)))
		return zj_err(err, "%s", _("out of memory"));
	if (store_begin(db, err) < 0) {
		free(copy);
		return -1;
	}
	if (sqlite3_prepare_v2(db, "UPDATE workspace SET parent = ? WHERE id = 1", -1, &st, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot record the level reported to"));
		goto fail;
	}
	sqlite3_bind_text(st, 1, parent, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		store_error(db, err, _("cannot record the level reported to"));
		goto fail;
	}
	sqlite3_finalize(st);
	if (audit_appendf(db, err, "config", parent ? "parent (主送机关) set to %s" : "parent (主送机关) cleared%s",
			  parent ? parent : "") < 0 ||
	    store_commit(db, err) < 0)
		goto fail;
	free(ws->parent);
	ws->parent = copy;
	return 0;
fail:
	store_rollback(db);
	free(copy);
	return -1;
}

int workspace_init(sqlite3 *db, const struct workspace_init *wi, const char *checklist_path,
		   struct zj_error *err)
{
	struct checklist *cl;
	sqlite3_stmt *st = NULL;
	unsigned char rnd[16];
	char id[40], now[21];
	FILE *f, *ur;
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc = -1;

	f = fopen(checklist_path, "rb");
	if (!f)
		return zj_err(err, _("cannot open checklist '%s': %m"), checklist_path);
	do {
		if (cap - len < 65536) {
			char *t = realloc(text, cap = cap ? cap * 2 : 262144);

			if (!t) {
				fclose(f);
				free(text);
				return zj_err(err, "%s", _("out of memory"));
			}
			text = t;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	cl = checklist_parse(checklist_path, text, len, err);
	if (!cl)
		goto out;
	/* Conditions are checked here too, so a workspace never pins a
	 * checklist that cannot be scored. */
	if (rules_validate(cl, NULL, err) < 0)
		goto out;
	ur = fopen("/dev/urandom", "rb");
	if (!ur || fread(rnd, 1, sizeof(rnd), ur) != sizeof(rnd)) {
		if (ur)
			fclose(ur);
		zj_err(err, "%s", _("cannot read /dev/urandom for the assessment id"));
		goto out;
	}
	fclose(ur);
	rnd[6] = (unsigned char)((rnd[6] & 0x0f) | 0x40);
	rnd[8] = (unsigned char)((rnd[8] & 0x3f) | 0x80);
	snprintf(id, sizeof(id), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7],
		 rnd[8], rnd[9], rnd[10], rnd[11], rnd[12], rnd[13], rnd[14], rnd[15]);
	store_now(now);
	if (sqlite3_prepare_v2(db, "INSERT INTO workspace (id, assessment_id, unit, level, code, as_of, period,"
			       " checklist_id, checklist_version, checklist_sha256, checklist_text, checklist_file,"
			       " created_at, created_by, parent) VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK) {
		store_error(db, err, _("cannot record the workspace"));
		goto out;
	}
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, wi->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, level_key(wi->level), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, wi->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, wi->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, wi->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, cl->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, cl->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, cl->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, text, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, checklist_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, store_user(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, wi->parent && *wi->parent ? wi->parent : NULL, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		store_error(db, err, _("cannot record the workspace"));
		goto out;
	}
	if (audit_appendf(db, err, "init", "workspace for %s (%s), as of %s, checklist %s %s sha256 %s",
			  wi->unit, level_key(wi->level), wi->as_of, cl->id, cl->version ? cl->version : "",
			  cl->sha256) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	checklist_free(cl);
	free(text);
	return rc;
}

int workspace_load(sqlite3 *db, struct workspace *ws, struct zj_error *err)
{
	sqlite3_stmt *st;
	const void *text;
	char name[512];
	int lv;

	memset(ws, 0, sizeof(*ws));
	if (sqlite3_prepare_v2(db, "SELECT assessment_id, unit, level, code, as_of, period, checklist_file,"
			       " created_at, checklist_text, checklist_id, parent FROM workspace WHERE id = 1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the workspace"));
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return zj_err(err, "%s", _("the workspace has no identity record; was 'zhijian init' interrupted?"));
	}
	ws->assessment_id = col_dup(st, 0);
	ws->unit = col_dup(st, 1);
	lv = level_parse((const char *)sqlite3_column_text(st, 2));
	ws->level = lv < 0 ? LEVEL_UNIT : (enum level)lv;
	ws->code = col_dup(st, 3);
	ws->as_of = col_dup(st, 4);
	ws->period = col_dup(st, 5);
	ws->checklist_file = col_dup(st, 6);
	ws->created_at = col_dup(st, 7);
	ws->parent = sqlite3_column_type(st, 10) == SQLITE_NULL ? NULL : col_dup(st, 10);
	ws->today_pinned = when_today(ws->today) == 1;
	text = sqlite3_column_blob(st, 8);
	snprintf(name, sizeof(name), "%s (pinned in the workspace)",
		 sqlite3_column_text(st, 9) ? (const char *)sqlite3_column_text(st, 9) : "checklist");
	ws->cl = checklist_parse(name, text ? text : "", (size_t)sqlite3_column_bytes(st, 8), err);
	sqlite3_finalize(st);
	if (!ws->cl) {
		workspace_release(ws);
		return -1;
	}
	return 0;
}

void workspace_release(struct workspace *ws)
{
	free(ws->assessment_id);
	free(ws->unit);
	free(ws->code);
	free(ws->as_of);
	free(ws->period);
	free(ws->checklist_file);
	free(ws->created_at);
	free(ws->parent);
	checklist_free(ws->cl);
	memset(ws, 0, sizeof(*ws));
}

enum verdict item_effective(const struct item_status *s)
{
	return scoring_effective(s->answer, s->proposal);
}

int assessment_load(sqlite3 *db, const struct checklist *cl, struct assessment *a,
		    struct zj_error *err)
{
	sqlite3_stmt *st = NULL;
	enum verdict *eff = NULL;

	memset(a, 0, sizeof(*a));
	a->cl = cl;
	a->items = calloc(cl->nitems ? cl->nitems : 1, sizeof(*a->items));
	a->article_score = calloc(cl->narticles ? cl->narticles : 1, sizeof(*a->article_score));
	eff = calloc(cl->nitems ? cl->nitems : 1, sizeof(*eff));
	if (!a->items || !a->article_score || !eff) {
		free(eff);
		assessment_release(a);
		return zj_err(err, "%s", _("out of memory"));
	}
	if (sqlite3_prepare_v2(db, "SELECT item, verdict, note, reason, answered_at FROM answers", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct cl_item *it = checklist_item(cl, (const char *)sqlite3_column_text(st, 0));
		struct item_status *s;

		if (!it)
			continue;	/* an item of another checklist version */
		s = &a->items[it - cl->items];
		s->answer = verdict_parse((const char *)sqlite3_column_text(st, 1));
		s->note = col_dup(st, 2);
		s->reason = col_dup(st, 3);
		s->answered_at = col_dup(st, 4);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT item, verdict, checked, violated, unknown, basis, high_violated FROM proposals",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct cl_item *it = checklist_item(cl, (const char *)sqlite3_column_text(st, 0));
		struct item_status *s;

		if (!it)
			continue;
		s = &a->items[it - cl->items];
		s->evaluated = 1;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			s->proposal = verdict_parse((const char *)sqlite3_column_text(st, 1));
		s->checked = sqlite3_column_int64(st, 2);
		s->violated = sqlite3_column_int64(st, 3);
		s->unknown = sqlite3_column_int64(st, 4);
		s->basis = col_dup(st, 5);
		s->high_violated = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT as_of FROM score_runs ORDER BY run DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW) {
		a->scored = 1;
		a->scored_as_of = col_dup(st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;

	for (size_t i = 0; i < cl->nitems; i++) {
		const struct item_status *s = &a->items[i];

		eff[i] = item_effective(s);
		if (s->answer != VERDICT_NONE)
			a->answered++;
		else if (s->proposal != VERDICT_NONE)
			a->pending++;
		else
			a->open++;
	}
	scoring_compute(cl, eff, a->article_score, &a->proposed_total);
	a->assessed = a->answered > 0;
	a->total = a->assessed ? a->proposed_total : -1;
	free(eff);
	return 0;
fail:
	store_error(db, err, _("cannot read the assessment"));
	sqlite3_finalize(st);
	free(eff);
	assessment_release(a);
	return -1;
}

void assessment_release(struct assessment *a)
{
	if (a->items)
		for (size_t i = 0; i < a->cl->nitems; i++) {
			free(a->items[i].note);
			free(a->items[i].reason);
			free(a->items[i].basis);
			free(a->items[i].answered_at);
		}
	free(a->items);
	free(a->article_score);
	free(a->scored_as_of);
	memset(a, 0, sizeof(*a));
}

/* One answer, in the caller's transaction, logged on its own. */
static int record_one(sqlite3 *db, const struct cl_item *it, enum verdict v, const char *note, const char *reason,
		      const char *how, struct zj_error *err)
{
	const char *item = it->id;
	sqlite3_stmt *st = NULL;
	char *proposed = NULL;
	char now[21];
	int kept_reason = 0;

	if (sqlite3_prepare_v2(db, "SELECT verdict FROM proposals WHERE item = ? AND verdict IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		proposed = col_dup(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	/* An override already explained keeps its reason when only the note
	 * changes: the same verdict, not given a new reason. */
	if (!reason && sqlite3_prepare_v2(db, "SELECT reason FROM answers WHERE item = ? AND verdict = ?"
					  " AND reason IS NOT NULL", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, verdict_key(v), -1, SQLITE_STATIC);
		kept_reason = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (proposed && verdict_parse(proposed) != v && !(reason && *reason) && !kept_reason) {
		zj_err(err, _("item %s: the rules propose %s; overriding it with %s needs a written reason (--reason)"),
		       item, checklist_answer_text(it, verdict_parse(proposed)), checklist_answer_text(it, v));
		goto fail;
	}
	/* A note or reason not given keeps the earlier one; an empty one
	 * clears it. */
	if (sqlite3_prepare_v2(db, "INSERT INTO answers (item, verdict, note, reason, proposed,"
			       " answered_at, answered_by) VALUES (?1, ?2, nullif(?3, ''), nullif(?4, ''), ?5, ?6, ?7)"
			       " ON CONFLICT (item) DO UPDATE SET verdict = excluded.verdict,"
			       " note = CASE WHEN ?3 IS NULL THEN note ELSE excluded.note END,"
			       " reason = CASE WHEN ?4 IS NULL THEN reason ELSE excluded.reason END,"
			       " proposed = excluded.proposed, answered_at = excluded.answered_at,"
			       " answered_by = excluded.answered_by", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	store_now(now);
	sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, verdict_key(v), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, proposed, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, store_user(), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;
	sqlite3_finalize(st);
	st = NULL;
	if (audit_appendf(db, err, "answer", "%s %s%s%s%s%s%s", item, verdict_label(v),
			  proposed && verdict_parse(proposed) != v ? " overriding the proposed " : "",
			  proposed && verdict_parse(proposed) != v ? verdict_label(verdict_parse(proposed)) : "",
			  reason && *reason ? ": " : "", reason && *reason ? reason : "", how ? how : "") < 0)
		goto fail;
	free(proposed);
	return 0;
sqlfail:
	store_error(db, err, _("cannot record the answer"));
fail:
	sqlite3_finalize(st);
	free(proposed);
	return -1;
}

int answer_record(sqlite3 *db, const struct workspace *ws, const char *item,
		  enum verdict v, const char *note, const char *reason, struct zj_error *err)
{
	return answer_record_many(db, ws, &item, &v, 1, note, reason, NULL, NULL, err);
}

int answer_record_many(sqlite3 *db, const struct workspace *ws, const char *const *items,
		       const enum verdict *verdicts, size_t n, const char *note, const char *reason,
		       answer_confirm_fn fn, void *ctx, struct zj_error *err)
{
	/* Every item known before anything is written. */
	for (size_t i = 0; i < n; i++)
		if (!checklist_item(ws->cl, items[i]))
			return zj_err(err, _("no check item '%s' (see 'zhijian checklist')"), items[i]);
	if (store_begin(db, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (record_one(db, checklist_item(ws->cl, items[i]), verdicts[i], note, reason, NULL, err) < 0) {
			store_rollback(db);
			return -1;
		}
	}
	if (store_commit(db, err) < 0)
		return -1;
	if (fn)
		for (size_t i = 0; i < n; i++)
			fn(ctx, items[i], verdicts[i]);
	return 0;
}

int answer_confirm_proposals(sqlite3 *db, const struct workspace *ws, int article, answer_confirm_fn fn,
			     void *ctx, long long *confirmed, struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	struct assessment a;
	long long n = 0;

	*confirmed = 0;
	if (article && !checklist_article(cl, article))
		return zj_err(err, _("no article %d (1 to %zu)"), article, cl->narticles);
	if (assessment_load(db, cl, &a, err) < 0)
		return -1;
	if (store_begin(db, err) < 0) {
		assessment_release(&a);
		return -1;
	}
	/* Only what the rules proposed and nobody answered: an answer the
	 * inspector gave, override or not, stays as it is. */
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct item_status *s = &a.items[i];

		if ((article && cl->items[i].article != article) || s->answer != VERDICT_NONE ||
		    s->proposal == VERDICT_NONE)
			continue;
		if (record_one(db, &cl->items[i], s->proposal, NULL, NULL, " (a proposal confirmed in bulk)", err) < 0) {
			store_rollback(db);
			assessment_release(&a);
			return -1;
		}
		n++;
		if (fn)
			fn(ctx, cl->items[i].id, s->proposal);
	}
	assessment_release(&a);
	if (store_commit(db, err) < 0)
		return -1;
	*confirmed = n;
	return 0;
}
