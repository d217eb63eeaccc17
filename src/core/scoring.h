/*
 * scoring.h: the scoring model, all of it, in one place (DESIGN.md "Rules
 * and scoring"; zhijian(1) SCORING says the same for users).  Pure
 * arithmetic over the checklist and counts: no database, no I/O.  The rules
 * (rules.c) count, the assessment (assess.c) stores and loads, the ledger
 * (rectify.c) asks what a fix would gain; all of them decide here.
 *
 * Verdict points.  符合 100, 基本符合 50, 不符合 0.  不适用 has no points
 * and is left out of every mean (the not-applicable policy), and so is an
 * item with no verdict at all, which makes the score provisional.
 *
 * Effective verdict.  The inspector's answer if there is one, else the
 * rules' proposal, else none.
 *
 * Means (the XCCDF "default" model).  An article's score is the mean of its
 * items' points weighted by item weight, over the items that have points;
 * an article with none has no score.  The total is the mean of the scored
 * articles' scores weighted by article weight; with none, no total.  "No
 * score" is -1 everywhere.
 *
 * Grade.  The first of the checklist's [grades] bands (highest minimum
 * first) whose minimum the total reaches; below all of them, the lowest.
 *
 * Proposal.  For an item linked to rules, from what the last score counted
 * over the subjects in scope of its rules; the first case that holds:
 *
 *	case		when					proposes
 *	level		the item's levels exclude this level	不适用
 *	(manual)	the item has no rule			nothing (basis NONE)
 *	no-data		no subject in scope, inventory absent	nothing
 *	no-subjects	no subject in scope, inventory imported	不适用
 *	high		a subject violates a high-severity rule	不符合
 *	decided-rate	some violate: rate <= partial_rate	基本符合
 *			              rate >  partial_rate	不符合
 *	unknown		none violate, some unknown (data gap)	nothing: never a pass
 *	clean		none violate, none unknown		符合
 *
 * The violation rate is violating subjects over the subjects in scope whose
 * answer is known (scoring_violation_rate): a subject with missing data is
 * neither a pass nor a violation, so it is left out of the denominator too
 * ("数据缺失不视为符合"), and one violation among thirty gaps is a rate of
 * 1, not 1/31.  The case's key is stored with the proposal (the workspace's
 * and the submission's proposals.basis), so keys never change meaning; a
 * new case takes a new key.  "rate" (the rate over every subject in scope,
 * gaps included) is no longer proposed; older workspaces and submissions may
 * still hold it.
 *
 * Gain if fixed.  What the total would become, minus what it is, if one
 * subject stopped violating some rules (its items' counts are adjusted and
 * their proposals made again), or if items were made 符合.  An item the
 * inspector answered differently from the rules keeps its answer; an item
 * that follows the rules (unanswered, or answered as proposed) follows the
 * new proposal.
 */
#ifndef ZJ_SCORING_H
#define ZJ_SCORING_H

#include <stddef.h>

#include "core/checklist.h"
#include "core/inventory.h"

/* 100, 50, 0; -1 for 不适用 and none. */
double scoring_points(enum verdict v);

/* The answer if given, else the proposal. */
enum verdict scoring_effective(enum verdict answer, enum verdict proposal);

/* Weighted means over effective verdicts (one per item, in cl order):
 * article_score[cl->narticles] and *total, -1 where there is no score. */
void scoring_compute(const struct checklist *cl, const enum verdict *effective,
		     double *article_score, double *total);

/* The grade band's name for a score; NULL for no score (< 0) or no bands. */
const char *scoring_grade(const struct checklist *cl, double score);

/* ---- proposals ---- */

enum proposal_basis {
	PB_NONE,		/* manual item: no proposal, nothing stored */
	PB_LEVEL, PB_NO_DATA, PB_NO_SUBJECTS, PB_HIGH,
	PB_RATE,		/* no longer proposed: see "decided-rate" */
	PB_UNKNOWN, PB_CLEAN,
	PB_DECIDED_RATE,
	PB_COUNT
};

/* "level", "no-data", …; NULL for PB_NONE. */
const char *proposal_basis_key(enum proposal_basis b);

/* What the rules counted for one item, summed over its rules' inventories:
 * subjects in scope, subjects violating, subjects unknown (and not
 * violating), subjects violating a high-severity rule. */
struct proposal_counts {
	long long checked, violated, unknown, high_violated;
};

struct proposal {
	enum verdict verdict;	/* VERDICT_NONE: nothing proposed */
	enum proposal_basis basis;
};

/* The proposal for item it (see the table above).  imported: one of the
 * inventories its rules read has been imported. */
struct proposal scoring_propose(const struct checklist *cl, const struct cl_item *it,
				const struct proposal_counts *c, int imported, enum level level);

/* Violating subjects over subjects in scope whose answer is known
 * (checked - unknown), 0 to 1; -1 if there is none. */
double scoring_violation_rate(const struct proposal_counts *c);

/* ---- gain if fixed ---- */

/* One item as the last score left it. */
struct scoring_item {
	enum verdict answer, proposal;	/* VERDICT_NONE: none */
	struct proposal_counts counts;
	/* The bits of its rules in each inventory's finding masks. */
	unsigned long long rule_bits[INV_COUNT];
};

/* The baseline and scratch space for asking "what if" many times.  items
 * (cl->nitems, in cl order) and cl are borrowed and must outlive it;
 * high_bits[k] are the bits of high-severity rules in inventory k. */
struct scoring_gain {
	const struct checklist *cl;
	const struct scoring_item *items;
	enum level level;
	unsigned long long high_bits[INV_COUNT];
	enum verdict *effective, *scratch;
	double *articles;
	double total;		/* the baseline; -1: no score */
};

/* Returns 0, or -1 when out of memory. */
int scoring_gain_init(struct scoring_gain *g, const struct checklist *cl, enum level level,
		      const struct scoring_item *items, const unsigned long long high_bits[INV_COUNT]);
void scoring_gain_release(struct scoring_gain *g);

/* A subject of inventory kind, whose finding masks are violated/unknown,
 * no longer violates the rules whose bits are in fixed: the points the total
 * gains (may be 0), or -1 if there is no total. */
double scoring_gain_fix(struct scoring_gain *g, int kind, unsigned long long violated,
			unsigned long long unknown, unsigned long long fixed);

/* Item `item` (or, item NULL, every item of article `article`) becomes
 * 符合 unless it is 不适用: the points the total gains, or -1. */
double scoring_gain_compliant(struct scoring_gain *g, const char *item, int article);

/*
 * The next step of an item that follows the rules: one subject fixed rarely
 * moves a three-step verdict, so say what would.  From the item's counts,
 * the fewest violating subjects that must stop violating (those violating a
 * high-severity rule first) for the rules to propose the next better
 * verdict (基本符合 after 不符合, 符合 after 基本符合), what that verdict is,
 * and the points the total would gain with it.  found 0: there is no next
 * step (the item is 符合, not applicable, answered differently from the
 * rules, has no rule, or can only pass once its unknown subjects are
 * verified: then unknown says how many).
 */
struct scoring_next {
	int found;
	enum verdict from, to;
	long long fix;			/* subjects to fix */
	long long of;			/* of the item's violating subjects */
	long long unknown;		/* subjects to verify before 符合 can be proposed */
	double gain;			/* points of the total; -1 unknown */
};
void scoring_next_step(struct scoring_gain *g, size_t item, struct scoring_next *out);

#endif
