#include "core/region.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rollup.h"
#include "core/scoring.h"
#include "core/store.h"
#include "util/i18n.h"

static int query_failed(sqlite3 *db, struct zj_error *err)
{
	return store_error(db, err, _("cannot read what was received"));
}

int region_load(sqlite3 *db, const struct workspace *ws, struct region *r, struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	sqlite3_stmt *st;
	double sum = 0, sq = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->mean = r->sd = r->min = r->max = -1;
	memcpy(r->today, ws->today, sizeof(r->today));
	if (ws->level == LEVEL_UNIT)
		return 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM expected_units),"
			       " (SELECT count(*) FROM expected_units e WHERE NOT EXISTS (SELECT 1 FROM submissions s"
			       "  WHERE s.status = 'accepted' AND s.period = ?1"
			       "  AND (s.unit = e.unit OR (e.code IS NOT NULL AND s.code = e.code)))),"
			       " (SELECT count(DISTINCT unit) FROM submissions WHERE status = 'accepted'),"
			       " (SELECT count(*) FROM submissions WHERE status = 'rejected'),"
			       " coalesce(sum(coalesce(merged_units, 1)), 0),"
			       " coalesce(sum(coalesce(merged_violated, violated, 0)), 0),"
			       " coalesce(sum(coalesce(merged_rectifications, rectifications, 0)), 0),"
			       " coalesce(sum(zj_overdue(open_deadlines, overdue) + coalesce(merged_overdue, overdue, 0)"
			       "  - coalesce(overdue, 0)), 0)"
			       " FROM submissions WHERE status = 'accepted'", -1, &st, NULL) != SQLITE_OK)
		return query_failed(db, err);
	sqlite3_bind_text(st, 1, ws->period, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->expected = sqlite3_column_int64(st, 0);
		r->missing = sqlite3_column_int64(st, 1);
		r->reported = sqlite3_column_int64(st, 2);
		r->refused = sqlite3_column_int64(st, 3);
		r->units = sqlite3_column_int64(st, 4);
		r->violated = sqlite3_column_int64(st, 5);
		r->rectifications = sqlite3_column_int64(st, 6);
		r->overdue = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return query_failed(db, err);
	/* A county or city that neither received nor expects anything (one
	 * that inspects only itself) has no region to show. */
	r->present = r->expected || r->reported || r->refused ||
		     store_scalar(db, "SELECT count(*) FROM submissions") > 0;

	/* The totals: mean, spread and grade bands, in C (SQLite has no
	 * standard deviation). */
	if (sqlite3_prepare_v2(db, "SELECT coalesce(unit, ''), total FROM submissions"
			       " WHERE status = 'accepted' AND total IS NOT NULL ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return query_failed(db, err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double t = sqlite3_column_double(st, 1);
		const char *u = (const char *)sqlite3_column_text(st, 0);

		if (!r->scored || t < r->min) {
			r->min = t;
			snprintf(r->min_unit, sizeof(r->min_unit), "%s", u);
		}
		if (!r->scored || t > r->max) {
			r->max = t;
			snprintf(r->max_unit, sizeof(r->max_unit), "%s", u);
		}
		r->scored++;
		sum += t;
		sq += t * t;
		for (size_t g = 0; g < cl->ngrades && g < REGION_GRADES_MAX; g++)
			if (t >= cl->grades[g].min) {
				r->grades[g]++;
				break;
			}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return query_failed(db, err);
	if (r->scored) {
		double var;

		r->mean = sum / (double)r->scored;
		var = sq / (double)r->scored - r->mean * r->mean;
		r->sd = var > 0 ? sqrt(var) : 0;
	}
	return 0;
}

const char *region_grade(const struct workspace *ws, const struct region *r)
{
	return r->scored ? scoring_grade(ws->cl, r->mean) : NULL;
}

/* ---- the level's own items judged from what was received ---- */

enum duty { D_COVERAGE, D_SCORES, D_OVERDUE };

/* The items of the 2023 Opinions' checklist that are about the region:
 * organising the inspection and reporting upward (who reported), the state
 * of the region (the units' totals), and following up (their overdue
 * rectifications).  An item the checklist lacks, or that does not apply at
 * the level, is skipped. */
static const struct {
	enum level level;
	const char *item;
	enum duty duty;
} duties[] = {
	{ LEVEL_PROVINCE, "15.1", D_SCORES },
	{ LEVEL_PROVINCE, "15.3", D_COVERAGE },
	{ LEVEL_PROVINCE, "15.4", D_OVERDUE },
	{ LEVEL_CENTRAL, "16.1", D_COVERAGE },
	{ LEVEL_CENTRAL, "16.3", D_SCORES },
	{ LEVEL_CENTRAL, "16.4", D_OVERDUE },
};

struct judged {
	enum verdict v;		/* VERDICT_NONE: nothing proposed (needs the inspector) */
	const char *basis;
	long long checked, violated, unknown;
	int store;		/* 0: no row at all */
};

static enum verdict by_rate(long long bad, long long of, double partial)
{
	if (!bad)
		return VERDICT_COMPLIANT;
	return (double)bad <= partial * (double)of ? VERDICT_PARTIAL : VERDICT_NONCOMPLIANT;
}

static struct judged judge(const struct workspace *ws, const struct region *r, enum duty d)
{
	const struct checklist *cl = ws->cl;
	struct judged j = { VERDICT_NONE, NULL, 0, 0, 0, 1 };
	size_t low = cl->ngrades ? cl->ngrades - 1 : 0;

	switch (d) {
	case D_COVERAGE:
		j.basis = "received-coverage";
		if (r->expected) {
			j.checked = r->expected;
			j.violated = r->missing;
			j.v = by_rate(r->missing, r->expected, cl->partial_rate);
		} else if (r->reported || r->refused) {
			/* Without the list of who must report, who is
			 * missing cannot be told: the inspector says. */
			j.basis = "received-nolist";
			j.checked = r->reported;
			j.unknown = 1;
		} else {
			j.store = 0;
		}
		break;
	case D_SCORES:
		j.basis = "received-scores";
		if (!r->scored) {
			j.store = 0;
			break;
		}
		j.checked = r->scored;
		j.violated = cl->ngrades > 1 ? r->grades[low] : 0;
		if (cl->ngrades > 1 && r->mean < cl->grades[low - 1].min)
			j.v = VERDICT_NONCOMPLIANT;	/* the mean itself is in the lowest band */
		else if (j.violated || (cl->ngrades > 2 && r->mean < cl->grades[1].min))
			j.v = VERDICT_PARTIAL;
		else
			j.v = VERDICT_COMPLIANT;
		break;
	case D_OVERDUE:
		if (!r->reported) {
			j.store = 0;
			break;
		}
		if (!r->rectifications && r->violated) {
			/* Problems found below and nothing set to fix them. */
			j.basis = "received-unrectified";
			j.checked = r->violated;
			j.violated = r->violated;
			j.v = VERDICT_NONCOMPLIANT;
			break;
		}
		j.basis = "received-overdue";
		j.checked = r->rectifications;
		j.violated = r->overdue;
		j.v = by_rate(r->overdue, r->rectifications, cl->partial_rate);
		break;
	}
	return j;
}

int region_propose(sqlite3 *db, const struct workspace *ws, struct zj_error *err)
{
	struct region r;
	sqlite3_stmt *del = NULL, *ins = NULL;
	int n = 0;

	if (ws->level != LEVEL_PROVINCE && ws->level != LEVEL_CENTRAL)
		return 0;
	if (region_load(db, ws, &r, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, "DELETE FROM proposals WHERE item = ?", -1, &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO proposals (item, verdict, checked, violated, unknown, basis,"
			       " high_violated) VALUES (?, ?, ?, ?, ?, ?, 0)", -1, &ins, NULL) != SQLITE_OK)
		goto fail;
	for (size_t i = 0; i < sizeof(duties) / sizeof(duties[0]); i++) {
		const struct cl_item *it = checklist_item(ws->cl, duties[i].item);
		struct judged j;

		if (duties[i].level != ws->level || !it || it->nrules || !(it->levels & (1u << ws->level)))
			continue;
		j = judge(ws, &r, duties[i].duty);
		sqlite3_bind_text(del, 1, it->id, -1, SQLITE_STATIC);
		if (sqlite3_step(del) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(del);
		if (!j.store)
			continue;
		sqlite3_bind_text(ins, 1, it->id, -1, SQLITE_STATIC);
		if (j.v == VERDICT_NONE)
			sqlite3_bind_null(ins, 2);
		else
			sqlite3_bind_text(ins, 2, verdict_key(j.v), -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, j.checked);
		sqlite3_bind_int64(ins, 4, j.violated);
		sqlite3_bind_int64(ins, 5, j.unknown);
		sqlite3_bind_text(ins, 6, j.basis, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(ins);
		n++;
	}
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	return n;
fail:
	store_error(db, err, _("cannot record the proposals from what was received"));
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	return -1;
}

const char *region_basis_text(const char *basis, long long checked, long long violated, int zh,
			      char *buf, size_t size)
{
	if (!basis)
		return NULL;
	if (!strcmp(basis, "received-coverage")) {
		snprintf(buf, size, zh ? "应报送单位%lld个，未报送或所报均被退回%lld个" :
			 _("%lld units expected to report, %lld of them missing or refused"), checked, violated);
	} else if (!strcmp(basis, "received-nolist")) {
		snprintf(buf, size, zh ? "已接收%lld个单位的报告；未导入应报送单位名单，无法核对未报送的单位" :
			 _("%lld units reported; without the list of the units expected, who is missing cannot be told"),
			 checked);
	} else if (!strcmp(basis, "received-scores")) {
		snprintf(buf, size, zh ? "已接收报告%lld份，其中%lld份为最低等级" :
			 _("%lld reports received, %lld of them in the lowest grade"), checked, violated);
	} else if (!strcmp(basis, "received-overdue")) {
		snprintf(buf, size, zh ? "辖区整改事项%lld项，逾期未完成%lld项" :
			 _("%lld rectifications in the region, %lld of them overdue"), checked, violated);
	} else if (!strcmp(basis, "received-unrectified")) {
		snprintf(buf, size, zh ? "辖区发现问题%lld项，未登记整改事项" :
			 _("%lld violations found in the region and no rectification recorded"), checked);
	} else {
		return NULL;
	}
	return buf;
}
