/*
 * overview.h: where the assessment stands, as `zhijian status` prints it
 * and the TUI dashboard draws it — the inventories and their last imports,
 * whether the last score still holds (core/score.h), what the rules found
 * by severity, and the ledger's counts and next deadlines (core/rectify.h).
 * The answers and scores themselves are struct assessment (core/assess.h).
 *
 * Ownership: the caller owns the struct filled and releases it with
 * overview_release.
 */
#ifndef ZJ_OVERVIEW_H
#define ZJ_OVERVIEW_H

#include <stddef.h>
#include <sqlite3.h>

#include "core/checklist.h"
#include "core/inventory.h"
#include "core/rectify.h"
#include "core/score.h"
#include "util/err.h"

struct overview {
	struct overview_inv {
		long long rows;
		char *last_file, *last_at;	/* the last import that stored rows; NULL: never */
	} inv[INV_COUNT];
	struct score_freshness score;
	/* The last run's findings by the severity of their rule: violations,
	 * and unknowns (subjects to verify). */
	long long violated[SEV_COUNT], unknown[SEV_COUNT];
	struct rect_counts ledger;
	struct rect_due *due;		/* the open rectifications due first */
	size_t ndue;
};

/* Reads it all; a rectification is overdue when its deadline is before
 * overdue_date ('YYYY-MM-DD'); at most ndue entries in due.  On failure
 * ov is empty and err says what could not be read. */
int overview_load(sqlite3 *db, const char *overdue_date, size_t ndue, struct overview *ov,
		  struct zj_error *err);
void overview_release(struct overview *ov);

#endif
