/*
 * sections.h: the parts of the report, one file each, and what they share.
 *
 * Order of the document (report.c): cover, contents, 一 总体情况 (summary),
 * then, only at a level above unit that has received reports from below,
 * 下级单位报送情况 (sec_rollup.c), then 评分方法 (the formula and the
 * not-applicable policy), 逐条自查情况 (one section per article), 清单统计,
 * 问题明细 (the findings by article), 整改台账, 声明与签署.  The Chinese
 * numbers follow from which sections are present: take them from
 * rsec_heading / rsec_no, never write them out.  Numbers come from the
 * submission being embedded (c->sub) wherever it holds them, so the pages
 * say what the data says.
 */
#ifndef ZJ_REPORT_SECTIONS_H
#define ZJ_REPORT_SECTIONS_H

#include <sqlite3.h>

#include "core/assess.h"
#include "core/rectify.h"
#include "report/doc.h"
#include "report/report.h"
#include "util/fmt.h"
#include "util/strbuf.h"

/* One rule as the submission has it. */
struct rrule {
	char *id, *title, *message, *method;
	int article, bit;
	enum inv_kind inv;
	enum severity sev;
	long long checked, violated, unknown, reads;
	/* What the findings pass counted: empty fields behind unknowns. */
	long long *field_gaps;		/* per inventory column */
};

/* The appendix's picks: per rule and state, the worst subjects (most rules
 * violated, then first imported), at most the per-article quota. */
struct rpick {
	long long sid;
	int nviol;
};

struct rgroup {
	size_t rule;			/* index into rctx.rules */
	int unknown;			/* 0: violated findings, 1: unknown */
	int sev;			/* the rule's severity, for ordering */
	long long total;		/* findings in the group */
	struct rpick *v;		/* a heap while scanning, then worst first */
	size_t n, cap;
};

/* The top-level sections, in document order. */
enum rsec {
	RSEC_SUMMARY, RSEC_ROLLUP, RSEC_METHOD, RSEC_ARTICLES, RSEC_INVENTORY,
	RSEC_FINDINGS, RSEC_LEDGER, RSEC_DECLARATION, RSEC_COUNT
};

/* What the level received from below (rroll_load), for the section and
 * the summary's conclusion.  present is 0 for a unit, and for a level
 * that has received nothing: the section is then left out. */
struct rroll {
	int present;
	long long files;		/* submissions rows: every file received */
	long long accepted, superseded, rejected;
	long long units;		/* units counted below the accepted ones */
	long long scored;		/* accepted with a total */
	double mean;			/* of those totals; -1 if none */
	long long expected;		/* rows of expected_units (0: no list) */
	char **missing;			/* expected units with nothing accepted */
	size_t nmissing;
};

struct rctx {
	struct rdoc *d;
	sqlite3 *db;			/* the workspace */
	sqlite3 *sub;			/* the submission, read-only */
	const struct workspace *ws;
	const struct checklist *cl;
	struct assessment a;
	const struct report_options *o;
	struct gain_ctx *gain;		/* NULL if it could not be built */
	struct rrule *rules;
	size_t nrules;
	struct rgroup *groups;		/* 2 per rule: violated, unknown */
	double *item_gain;		/* per item: total points if it became 符合 */
	long long inv_rows[INV_COUNT], inv_subjects[INV_COUNT];
	long long violated, unknown;	/* findings rows */
	long long sev_violated[INV_COUNT][SEV_COUNT], sev_unknown[INV_COUNT][SEV_COUNT];
	long long rect_total, rect_status[RS_COUNT], rect_overdue;
	struct rroll roll;
	char generated_local[96];	/* "2026年7月1日 09:30（UTC+08:00）" */
	char generated_utc[24];
	struct zj_error *err;
};

/* Reads what every section shares, once (sec_common.c): the assessment,
 * the rules with their counts, one pass over the findings for the worst
 * cases and the data gaps, inventory and ledger counts, item gains. */
int rctx_load(struct rctx *c);
void rctx_release(struct rctx *c);

/* What was received from below, into c->roll (sec_rollup.c); called by
 * rctx_load, released by rctx_release. */
int rroll_load(struct rctx *c);
void rroll_release(struct rctx *c);
/* The summary's sentence on what was received ("本级共收到…"), appended. */
void rroll_sentence(const struct rctx *c, struct strbuf *sb);

void sec_cover(struct rctx *c);
int sec_summary(struct rctx *c);
int sec_rollup(struct rctx *c);		/* nothing unless c->roll.present */
void sec_method(struct rctx *c);
int sec_articles(struct rctx *c);
int sec_inventory(struct rctx *c);
int sec_findings(struct rctx *c);
int sec_ledger(struct rctx *c);
void sec_declaration(struct rctx *c);

/* Number of contents entries the sections will make (to reserve pages). */
size_t sections_toc_entries(const struct rctx *c);

/* A section's number as the document has it ("三"; buf or a literal), and
 * its heading ("三、逐条自查情况"). */
const char *rsec_no(const struct rctx *c, enum rsec s, char buf[32]);
const char *rsec_heading(const struct rctx *c, enum rsec s, char buf[96]);

/* Small helpers (sec_common.c). */
/* Scores and counts: fmt_score, fmt_count (util/fmt.h). */
const char *rcn_num(int n, char buf[32]);		/* 16 → 十六 */
const char *rfmt_date(const char *iso, char buf[40]);	/* 2026-06-30 → 2026年6月30日 */
const char *rlevel_cn(enum level l);			/* 县级 */
const char *rverdict_cn(enum verdict v);			/* 符合, or 未作答 */
const char *rseverity_cn(const char *key);		/* high → 高 */
const char *rinventory_cn(enum inv_kind k);		/* 政务应用程序 */
const struct rrule *rctx_rule(const struct rctx *c, const char *id);
/* A sqlite3 error into c->err; returns -1. */
int rctx_sql_error(struct rctx *c, sqlite3 *db, const char *what);

/* Paragraph styles used throughout. */
extern const struct rstyle RST_BODY, RST_SMALL, RST_NOTE, RST_ITEM;

#endif
