/*
 * policy.h: what the checklist's policy says about the findings, for the
 * report, the TUI, the CLI and the level above (DESIGN.md "Rules and
 * scoring", "The report").
 *
 *   - the campaign's four problem types: findings and rectifications
 *     counted by type (policy_by_type), so a province can sum them;
 *   - the type of a rectification (policy_rect_type);
 *   - the 空壳/僵尸 list: the subjects violating a rule marked `zombie = yes`
 *     (policy_zombies), and only those;
 *   - every threshold with where its value comes from: the checklist itself
 *     (struct cl_threshold: value, source, basis; and [scoring]
 *     partial_rate), labelled by basis_source_label().
 *
 * All of it reads the workspace's last score run (tables rules, findings,
 * rectifications); nothing here writes.  Callers format what it returns.
 */
#ifndef ZJ_POLICY_H
#define ZJ_POLICY_H

#include <sqlite3.h>

#include "core/checklist.h"
#include "util/err.h"

/* Per problem type; index PT_COUNT holds what has no type (rules of an
 * older checklist, rectifications of an item or article whose rules are
 * of several types). */
struct type_count {
	long long violated, unknown;	/* findings: one per subject and rule */
	long long subjects;		/* subjects violating a rule of the type */
	long long rectifications;	/* ledger entries of the type, any status */
	long long open;			/* of those, pending or in progress */
	long long overdue;		/* open, deadline before `today` */
};

/* Counts by type into out[PT_COUNT + 1]; today ('YYYY-MM-DD', may be NULL:
 * overdue stays 0) decides what is overdue.  A workspace never scored has
 * no findings: zeros.  With count_subjects 0 the subjects stay 0 and the
 * findings are not read: a caller that passes over them anyway (the
 * report) counts them itself, with policy_type_of() of each rule. */
int policy_by_type(sqlite3 *db, const struct checklist *cl, const char *today, int count_subjects,
		   struct type_count out[PT_COUNT + 1], struct zj_error *err);

/* The index into policy_by_type's out[] of a rule's stored type key
 * (rules.type; NULL or unknown: PT_COUNT). */
int policy_type_of(const char *key);

/* The type a rectification counts under: its rule's; for a finding of a
 * whole article, an item or an article, the one type all the rules it
 * covers share; otherwise -1 (none).  inventory is the enum inv_kind of a
 * finding, else -1; rule, item may be NULL. */
int policy_rect_type(const struct checklist *cl, const char *target, const char *rule,
		     const char *item, int article, int inventory);

/* One subject of the 空壳/僵尸 list, as the inventory has it; NULL / -1
 * for an empty cell. */
struct zombie_row {
	enum inv_kind inv;
	const char *id, *name, *host_unit, *status, *audience, *last_updated_on;
	long long monthly_active_users, registered_users;	/* apps; -1 unknown */
	const char *rules;	/* titles of the zombie rules it violates, "、"-joined */
};

typedef int (*zombie_fn)(void *ctx, const struct zombie_row *z);

/* Calls fn for at most limit subjects (0: all) violating a rule marked
 * zombie, apps first by monthly active users ascending; *total (may be
 * NULL) is how many there are in all.  fn returning non-zero stops with
 * -1. */
int policy_zombies(sqlite3 *db, long long limit, zombie_fn fn, void *ctx, long long *total,
		   struct zj_error *err);

#endif
