/*
 * assess.h: the workspace's identity, the inspector's answers and the
 * scores as stored (DESIGN.md "Rules and scoring").
 *
 * What the scores mean (verdict points, the weighted means, proposals, the
 * grade) is core/scoring.h; this module loads the answers and the last
 * score run's proposals and applies that model to them.  -1 means "no
 * score".
 */
#ifndef ZJ_ASSESS_H
#define ZJ_ASSESS_H

#include <sqlite3.h>

#include "core/checklist.h"
#include "core/scoring.h"
#include "util/err.h"

struct workspace {
	char *assessment_id, *unit, *code, *as_of, *period;
	char *parent;		/* 主送机关: the level reported to; NULL if not set */
	char *checklist_file, *created_at;
	/* The date deadlines are judged against (util/when.h: the clock, or
	 * --today / ZHIJIAN_TODAY), fixed when the workspace is loaded. */
	char today[11];
	int today_pinned;
	enum level level;
	struct checklist *cl;	/* parsed from the copy pinned at init */
};

struct workspace_init {
	const char *unit, *code, *as_of, *period;
	enum level level;
	const char *parent;	/* 主送机关, or NULL */
};

/* Pins the checklist file's text into a new workspace and records its
 * identity; the caller holds the transaction. */
int workspace_init(sqlite3 *db, const struct workspace_init *wi, const char *checklist_path,
		   struct zj_error *err);
int workspace_load(sqlite3 *db, struct workspace *ws, struct zj_error *err);
/* Sets (or with NULL clears) the level the workspace reports to, the
 * report's 主送机关, in its own transaction, logged; updates ws. */
int workspace_set_parent(sqlite3 *db, struct workspace *ws, const char *parent, struct zj_error *err);
/* The longest 主送机关 accepted, in bytes (a name, not a paragraph). */
#define WORKSPACE_PARENT_MAX 256
/* Fails, saying why, unless s is a name the report can print as 主送机关:
 * valid UTF-8, no control characters, not blank, at most
 * WORKSPACE_PARENT_MAX bytes. */
int workspace_check_parent(const char *s, struct zj_error *err);
void workspace_release(struct workspace *ws);

struct item_status {
	enum verdict answer;	/* VERDICT_NONE: not answered */
	enum verdict proposal;	/* VERDICT_NONE: nothing proposed */
	int evaluated;		/* the last score run looked at this item */
	long long checked, violated, unknown, high_violated;
	char *note, *reason, *basis, *answered_at;
};

struct assessment {
	const struct checklist *cl;
	struct item_status *items;	/* cl->nitems, same order */
	double *article_score;		/* cl->narticles */
	/* The total: -1 until the inspector has answered an item, even where
	 * the rules' proposals alone would give one.  Proposals are the rules'
	 * reading of the inventories, not an assessment: a province whose only
	 * proposals are two article-15 items judged from what it received
	 * would otherwise headline "0.0 较差" with nothing answered.  With
	 * nothing answered, every view says "not yet assessed" (未评估). */
	double total;
	/* The same mean over the effective verdicts, proposals included,
	 * answered or not: the baseline what-if gains are measured from. */
	double proposed_total;
	int assessed;			/* 0: not yet assessed (未评估), total -1 */
	size_t answered, pending, open;	/* answered; proposal only; neither */
	int scored;			/* a score run exists */
	char *scored_as_of;
};

/* The item's effective verdict (scoring_effective). */
enum verdict item_effective(const struct item_status *s);

int assessment_load(sqlite3 *db, const struct checklist *cl, struct assessment *a,
		    struct zj_error *err);
void assessment_release(struct assessment *a);

/* Records an answer in its own transaction.  If the rules proposed a
 * different verdict, reason is required (an override must say why).  A
 * NULL note or reason keeps what an earlier answer had; "" clears it. */
int answer_record(sqlite3 *db, const struct workspace *ws, const char *item,
		  enum verdict v, const char *note, const char *reason, struct zj_error *err);

/* Records several answers, verdicts[i] for items[i], with one note and
 * reason, in one transaction: all or none, each recorded and logged as
 * answer_record would (an override without a reason refuses the whole).
 * fn (may be NULL) is called for each one recorded. */
typedef void (*answer_confirm_fn)(void *ctx, const char *item, enum verdict v);
int answer_record_many(sqlite3 *db, const struct workspace *ws, const char *const *items,
		       const enum verdict *verdicts, size_t n, const char *note, const char *reason,
		       answer_confirm_fn fn, void *ctx, struct zj_error *err);

/* Confirms, in one transaction, every proposal of article `article` (0:
 * every article) that nobody answered yet: each recorded and logged as if
 * answered one by one ("proposed").  Items the inspector answered, and
 * items without a proposal, are left as they are.  fn (may be NULL) is
 * called for each one confirmed; *confirmed is how many. */
int answer_confirm_proposals(sqlite3 *db, const struct workspace *ws, int article, answer_confirm_fn fn,
			     void *ctx, long long *confirmed, struct zj_error *err);

#endif
