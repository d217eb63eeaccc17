/*
 * region.h: a level above the unit assesses two things (DESIGN.md "Ledger
 * and levels"): its own duties, 本级, which are its own checklist items and
 * their score, and the state of its region, 辖区, from what the units below
 * sent: units expected, reported, missing and refused, the mean and spread
 * of their totals, their violations and their overdue rectifications.
 * Both are headlined together, so a region of poor units never reads as
 * an excellent score.
 *
 * A province's article 15 items and the central office's article 16 items
 * about organising the inspection below and following it up also get
 * proposals from what was received (region_propose); a county or city shows
 * its region without extra items.
 */
#ifndef ZJ_REGION_H
#define ZJ_REGION_H

#include <sqlite3.h>

#include "core/assess.h"
#include "util/err.h"

#define REGION_GRADES_MAX 8

struct region {
	int present;			/* a level above the unit that received or expects
					 * reports: its region is shown beside its own score */
	long long expected;		/* units on the expected list; 0 when none was imported */
	long long reported;		/* units with an accepted report for the period */
	long long missing;		/* expected units with nothing accepted */
	long long refused;		/* files refused (rejected) */
	long long units;		/* units the accepted reports cover (their own merges included) */
	long long scored;		/* accepted reports with a total */
	double mean, sd, min, max;	/* of those totals; -1 when none */
	char min_unit[128], max_unit[128];
	/* accepted reports per grade band of the checklist (grades[i] is
	 * cl->grades[i]) */
	long long grades[REGION_GRADES_MAX];
	long long violated;		/* violated findings over every unit below */
	long long rectifications, overdue;	/* over every unit below; overdue judged
						 * against today (each unit's own), as
						 * reported for what they merged */
	char today[11];
};

/* Reads the region of the workspace (present = 0 for a unit). */
int region_load(sqlite3 *db, const struct workspace *ws, struct region *r, struct zj_error *err);

/* The grade of the region's mean total, or NULL when no report has one. */
const char *region_grade(const struct workspace *ws, const struct region *r);

/*
 * In the caller's transaction: replaces the proposals of this level's items
 * that are judged from what was received (a province: 15.1 from the units'
 * totals, 15.3 from who reported, 15.4 from the region's overdue
 * rectifications; the central office: 16.1 from who reported, 16.3 from the
 * totals, 16.4 from the overdue rectifications).  With nothing received
 * and no expected list, they propose nothing (they wait for the inspector,
 * or for the reports).  Stored with the basis keys received-coverage (or
 * received-nolist, proposing nothing), received-scores, received-overdue
 * and received-unrectified; checked/violated hold the counts the verdict
 * came from.  Returns the number of proposals written.
 */
int region_propose(sqlite3 *db, const struct workspace *ws, struct zj_error *err);

/* What a proposal of region_propose was judged from, for people, in
 * Chinese (zh) or the locale's language: "3 of 4 expected units reported";
 * NULL when basis is not one of its keys. */
const char *region_basis_text(const char *basis, long long checked, long long violated, int zh,
			      char *buf, size_t size);

#endif
