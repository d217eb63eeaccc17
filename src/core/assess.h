/*
 * assess.h: the workspace's identity, the inspector's answers and the
 * scores (DESIGN.md "Rules and scoring").
 *
 * Verdict points: 符合 100, 基本符合 50, 不符合 0; 不适用 is excluded.  An
 * item's effective verdict is the inspector's answer, else the rules'
 * proposal; an item with neither is unanswered and excluded, and the score
 * is then provisional.  An article's score is the weighted mean of its
 * items' points; the total is the weighted mean of the scored articles (the
 * XCCDF "default" model).  -1 means "no score".
 */
#ifndef ZJ_ASSESS_H
#define ZJ_ASSESS_H

#include <sqlite3.h>

#include "core/checklist.h"
#include "util/err.h"

struct workspace {
	char *assessment_id, *unit, *code, *as_of, *period;
	char *checklist_file, *created_at;
	enum level level;
	struct checklist *cl;	/* parsed from the copy pinned at init */
};

struct workspace_init {
	const char *unit, *code, *as_of, *period;
	enum level level;
};

/* Pins the checklist file's text into a new workspace and records its
 * identity; the caller holds the transaction. */
int workspace_init(sqlite3 *db, const struct workspace_init *wi, const char *checklist_path,
		   struct zj_error *err);
int workspace_load(sqlite3 *db, struct workspace *ws, struct zj_error *err);
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
	double total;
	size_t answered, pending, open;	/* answered; proposal only; neither */
	int scored;			/* a score run exists */
	char *scored_as_of;
};

enum verdict item_effective(const struct item_status *s);

/* What the rules found for one rule-linked item, summed over inventories:
 * subjects in scope, subjects violating, subjects unknown (and not
 * violating), subjects violating a high-severity rule. */
struct item_counts {
	long long checked, violated, unknown, high_violated;
};

/* The verdict the rules propose for an item (DESIGN.md): not this level's
 * duty → 不适用; no rule → none; nothing in scope → 不适用 if the inventory
 * was imported, else none; a high-severity violation → 不符合; otherwise a
 * violation rate up to cl->partial_rate → 基本符合, above → 不符合; only
 * unknowns → none (a data gap is never a pass); else 符合.  *basis names
 * the case ("level", "no-data", "no-subjects", "high", "rate", "unknown",
 * "clean"), or is left NULL for an item with no rule. */
enum verdict proposal_for(const struct checklist *cl, const struct cl_item *it,
			  const struct item_counts *c, int imported, enum level level,
			  const char **basis);

/* Pure arithmetic over effective verdicts (one per item, in cl order). */
void scoring_compute(const struct checklist *cl, const enum verdict *effective,
		     double *article_score, double *total);

int assessment_load(sqlite3 *db, const struct checklist *cl, struct assessment *a,
		    struct zj_error *err);
void assessment_release(struct assessment *a);

/* Records an answer in its own transaction.  If the rules proposed a
 * different verdict, reason is required (an override must say why).  A
 * NULL note or reason keeps what an earlier answer had; "" clears it. */
int answer_record(sqlite3 *db, const struct workspace *ws, const char *item,
		  enum verdict v, const char *note, const char *reason, struct zj_error *err);

#endif
