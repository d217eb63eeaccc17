/*
 * score.h: the score use case — running the rules over the inventories,
 * what the run counted per article, and whether the last run still
 * describes the workspace.  What a score means (verdict points, weighted
 * means, grades) is core/scoring.h; evaluating the rules is core/rules.h.
 *
 * `zhijian score`, `status`, `report` and the TUI dashboard all call these,
 * so "is the score stale" has one answer everywhere.
 */
#ifndef ZJ_SCORE_H
#define ZJ_SCORE_H

#include <stddef.h>
#include <sqlite3.h>

#include "core/assess.h"
#include "core/rules.h"
#include "util/err.h"

/* In its own transaction: sets the workspace's as-of date to as_of
 * ('YYYY-MM-DD', or NULL to keep it), evaluates every rule, makes the
 * ledger follow the findings (rectify_sync: *ready rectifications whose
 * violation is gone, *reopened whose violation came back) and appends the
 * run to the audit log.  Nothing is stored on failure.  progress may be
 * NULL. */
int score_run(sqlite3 *db, const struct workspace *ws, const char *as_of,
	      const struct rules_progress *progress, long long *ready, long long *reopened,
	      struct zj_error *err);

/* What the last run counted for one article (table article_stats). */
struct article_stat {
	int article;
	long long checked, violated, unknown;
};

/* The last run's counts, by article; *out is malloc'd (NULL when *n is 0),
 * the caller frees it. */
int score_article_stats(sqlite3 *db, struct article_stat **out, size_t *n, struct zj_error *err);

/* Whether the findings describe the inventories as they are, measured at
 * the workspace's as-of date. */
enum score_state {
	SCORE_CURRENT,		/* they do */
	SCORE_NEVER,		/* no score run yet */
	SCORE_IMPORTED_AFTER,	/* an inventory was imported after the last run */
	SCORE_OTHER_DATE,	/* the last run measured ages at another as-of date */
};

struct score_freshness {
	enum score_state state;
	int imported;		/* some inventory was ever imported (else nothing needs a score) */
	char *as_of;		/* the workspace's as-of date as stored now (another process may
				 * have changed it since the workspace was loaded) */
	char *scored_as_of;	/* the last run's as-of date, or NULL */
};

/* Fills f; the strings are malloc'd, free them with
 * score_freshness_release. */
int score_freshness_load(sqlite3 *db, struct score_freshness *f, struct zj_error *err);
void score_freshness_release(struct score_freshness *f);

#endif
