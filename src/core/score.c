#include "core/score.h"

#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/rectify.h"
#include "core/region.h"
#include "core/store.h"
#include "util/i18n.h"

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

static int set_as_of(sqlite3 *db, const char *as_of, struct zj_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "UPDATE workspace SET as_of = ? WHERE id = 1", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot set the as-of date"));
	sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(db, err, _("cannot set the as-of date"));
}

int score_run(sqlite3 *db, const struct workspace *ws, const char *as_of,
	      const struct rules_progress *progress, long long *ready, long long *reopened,
	      struct zj_error *err)
{
	const char *date = as_of ? as_of : ws->as_of;
	struct assessment sa;
	const char *grade;
	int rc;

	*ready = *reopened = 0;
	if (store_begin(db, err) < 0)
		return -1;
	/* The as-of date is part of the assessment: a later report must
	 * state the date its ages were measured against. */
	if (as_of && set_as_of(db, as_of, err) < 0)
		goto fail;
	if (rules_evaluate(db, ws->cl, date, ws->level, ws->unit, progress, err) < 0)
		goto fail;
	/* A province's and the central office's own items about the
	 * region are judged from what was received. */
	if (region_propose(db, ws, err) < 0)
		goto fail;
	/* The ledger follows the findings: a violation gone makes its
	 * rectification ready for verification, one back reopens it. */
	if (rectify_sync(db, ready, reopened, err) < 0)
		goto fail;
	if (assessment_load(db, ws->cl, &sa, err) < 0)
		goto fail;
	grade = scoring_grade(ws->cl, sa.total);
	/* With nothing answered there is no total (assessment.assessed):
	 * the record says so rather than a sentinel -1.00. */
	if (sa.assessed)
		rc = audit_appendf(db, err, "score", "as of %s: total %.2f %s; %zu proposals; %lld rectifications ready, %lld reopened",
				   date, sa.total, grade ? grade : "—", sa.pending + sa.answered, *ready, *reopened);
	else
		rc = audit_appendf(db, err, "score", "as of %s: total not assessed (no item answered); %zu proposals;"
				   " %lld rectifications ready, %lld reopened", date, sa.pending + sa.answered, *ready, *reopened);
	assessment_release(&sa);
	if (rc < 0)
		goto fail;
	if (store_commit(db, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(db);
	*ready = *reopened = 0;
	return -1;
}

int score_article_stats(sqlite3 *db, struct article_stat **out, size_t *n, struct zj_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT article, checked, violated, unknown FROM article_stats ORDER BY article",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the scores"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct article_stat *s;

		if (*n == cap) {
			struct article_stat *v = realloc(*out, (cap = cap ? cap * 2 : 32) * sizeof(*v));

			if (!v) {
				sqlite3_finalize(st);
				free(*out);
				*out = NULL;
				*n = 0;
				return zj_err(err, "%s", _("out of memory"));
			}
			*out = v;
		}
		s = &(*out)[(*n)++];
		s->article = sqlite3_column_int(st, 0);
		s->checked = sqlite3_column_int64(st, 1);
		s->violated = sqlite3_column_int64(st, 2);
		s->unknown = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_error(db, err, _("cannot read the scores"));
	}
	return 0;
}

int score_freshness_load(sqlite3 *db, struct score_freshness *f, struct zj_error *err)
{
	sqlite3_stmt *st;
	long long last_batch, scored_batch;
	int scored;

	memset(f, 0, sizeof(*f));
	/* The last import that stored rows, and the batch the last run saw
	 * (score_runs.last_batch is max(batch) of imports at run time). */
	if (sqlite3_prepare_v2(db, "SELECT (SELECT max(batch) FROM imports WHERE rows IS NOT NULL),"
			       " r.run IS NOT NULL, r.last_batch, r.as_of, w.as_of FROM workspace w"
			       " LEFT JOIN (SELECT run, last_batch, as_of FROM score_runs ORDER BY run DESC LIMIT 1) r ON 1"
			       " WHERE w.id = 1", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the scores"));
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_error(db, err, _("cannot read the scores"));
	}
	last_batch = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
	scored = sqlite3_column_int(st, 1);
	scored_batch = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2);
	f->scored_as_of = col_dup(st, 3);
	f->as_of = col_dup(st, 4);
	if ((!f->scored_as_of && sqlite3_column_type(st, 3) != SQLITE_NULL) ||
	    (!f->as_of && sqlite3_column_type(st, 4) != SQLITE_NULL)) {
		sqlite3_finalize(st);
		score_freshness_release(f);
		return zj_err(err, "%s", _("out of memory"));
	}
	sqlite3_finalize(st);
	f->imported = last_batch >= 0;
	if (!scored)
		f->state = SCORE_NEVER;
	else if (last_batch > scored_batch)
		f->state = SCORE_IMPORTED_AFTER;
	else if (f->scored_as_of && f->as_of && strcmp(f->scored_as_of, f->as_of))
		f->state = SCORE_OTHER_DATE;
	else
		f->state = SCORE_CURRENT;
	return 0;
}

void score_freshness_release(struct score_freshness *f)
{
	free(f->as_of);
	free(f->scored_as_of);
	memset(f, 0, sizeof(*f));
}
