/*
 * rules.h: evaluating the checklist's rules over the inventories.
 *
 * A rule's `when` is an SQL expression over one inventory's columns: true =
 * violated, false = satisfied, NULL = unknown (a data gap to verify, never a
 * pass).  `scope` selects the rows it applies to (NULL counts as in scope).
 * Expressions are compiled under an authorizer that lets them read the
 * contract columns of their own inventory and call a short list of pure
 * functions, nothing else: no other table, no write, no ATTACH, no PRAGMA,
 * no subquery.  Ages come from age_days(date), measured against the
 * assessment's as-of date, never the clock, so a score is reproducible.
 */
#ifndef ZJ_RULES_H
#define ZJ_RULES_H

#include <sqlite3.h>

#include "core/checklist.h"
#include "util/err.h"

/* Registers age_days() and has_tag() on db; as_of is 'YYYY-MM-DD'.  The
 * functions keep a copy of the date. */
int rules_register_functions(sqlite3 *db, const char *as_of, struct zj_error *err);

/* Whether rule r uses the threshold named: through its `when`
 * (":name", whole), as its per-unit limit, or, for the similarity
 * methods, the thresholds they read by name. */
int rules_uses_threshold(const struct cl_rule *r, const char *name);

/* Compiles every rule of cl against the inventory schema in a private
 * in-memory database; reports "FILE:LINE: rule ID: reason".  Fills
 * reads[i] (if not NULL; cl->nrules entries) with the bitmask of inventory
 * columns rule i reads. */
int rules_validate(const struct checklist *cl, unsigned long long *reads, struct zj_error *err);

struct rules_progress {
	void (*fn)(void *ctx, const char *inventory, long long done, long long total);
	void *ctx;
};

/* Evaluates all rules inside the caller's transaction: replaces the tables
 * rules, findings, article_stats and proposals, and records a score run.
 * level is the workspace's level (items whose `levels` exclude it are
 * proposed 不适用); own_unit (may be NULL) is the assessing unit, whose place
 * name is ignored when app names are compared for duplicates. */
int rules_evaluate(sqlite3 *db, const struct checklist *cl, const char *as_of,
		   enum level level, const char *own_unit, const struct rules_progress *progress,
		   struct zj_error *err);

#endif
