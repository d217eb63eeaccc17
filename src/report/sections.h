/*
 * sections.h: the parts of the report, one file each, and what they share.
 *
 * The report is an official document (公文, GB/T 9704; DESIGN.md "The
 * report"), in this order (report.c):
 *
 *   正文 (sec_body.c)       title "关于……落实情况的自查报告", 主送机关, the
 *                            four sections (the inspector's words or the
 *                            generated text, core/narrative.h), 附件说明,
 *                            落款 with the date and room for the seal;
 *   附件1 评分明细 (sec_scoring.c)   the formula, every threshold with its
 *                            basis, the article scores, every article and
 *                            item;
 *   附件2 问题清单 (sec_problems.c)  the inventories, the problems by type
 *                            and article, the 空壳/僵尸 list, duplicates, the
 *                            findings;
 *   附件3 整改台账 (sec_ledger.c);
 *   附件4 下级单位报送情况 (sec_rollup.c), at every level above the unit;
 *   数据与签名说明 (sec_data.c)  the report's machine data, and nowhere else.
 *
 * Numbers come from the submission being embedded (c->sub) wherever it
 * holds them, so the pages say what the data says; the body's text is the
 * submission's too (its table narratives).  Annex numbers follow from which
 * annexes are present: take them from ranx_no, never write them out.
 */
#ifndef ZJ_REPORT_SECTIONS_H
#define ZJ_REPORT_SECTIONS_H

#include <sqlite3.h>

#include "core/assess.h"
#include "core/narrative.h"
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
	int zombie;			/* marked for the 空壳/僵尸 list */
	int type;			/* policy_type_of() its campaign type */
	/* What the findings pass counted: empty fields behind unknowns. */
	long long *field_gaps;		/* per inventory column */
};

/* The problem list's picks: per rule and state, the worst subjects (most
 * rules violated, then first imported), at most the per-article quota. */
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

/* The annexes, in document order. */
enum ranx { RANX_SCORING, RANX_PROBLEMS, RANX_LEDGER, RANX_ROLLUP, RANX_COUNT };

/* What the level received from below (rroll_load).  present is 0 for a
 * unit: the annex is then left out. */
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

/* A section of the body as embedded. */
struct rnarr {
	char *text;
	int inspector;			/* the inspector's words (else generated) */
	int stale;
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
	struct rscan *scan;		/* the findings pass while it is made */
	/* From the findings pass too, so the problem list reads the
	 * findings once: subjects violating a rule marked zombie, and the
	 * apps' similarity pairs (workspace rowids, subject then peer, in
	 * subject order) of the rules of method similar-apps. */
	long long zombies;
	long long type_subjects[PT_COUNT + 1];	/* as policy_by_type() counts */
	long long *dup_pairs;
	size_t ndup_pairs;
	double *item_gain;		/* per item: total points if it became 符合 */
	long long inv_rows[INV_COUNT], inv_subjects[INV_COUNT];
	long long violated, unknown;	/* findings rows */
	long long sev_violated[INV_COUNT][SEV_COUNT], sev_unknown[INV_COUNT][SEV_COUNT];
	long long rect_total, rect_status[RS_COUNT], rect_overdue;
	struct rroll roll;
	struct rnarr narr[NARR_COUNT];
	char audit_head[72], audit_count[24];
	int audit_intact;
	char sub_sha256[72];		/* of the embedded file */
	long long sub_bytes;
	char date_cn[40];		/* 成文日期: "2026年12月2日" */
	char generated_local[96];	/* "2026年7月1日 09:30（UTC+08:00）" */
	char generated_utc[24];
	struct zj_error *err;
};

/* Reads what every section shares, once (sec_common.c): the assessment,
 * the rules with their counts, one pass over the findings for the worst
 * cases and the data gaps, inventory and ledger counts, item gains, the
 * body's sections and the audit log's head as embedded. */
int rctx_load(struct rctx *c);
void rctx_release(struct rctx *c);

/* The findings pass of rctx_load, made while the submission is written:
 * core/submission.h's hooks, with the context as ctx (rctx_load needs
 * it made). */
struct submission_subject;
int rctx_scan_begin(void *ctx, sqlite3 *db, const char *schema);
int rctx_scan_subject(void *ctx, const struct submission_subject *s);

/* What was received from below, into c->roll (sec_rollup.c); called by
 * rctx_load, released by rctx_release. */
int rroll_load(struct rctx *c);
void rroll_release(struct rctx *c);

void sec_body(struct rctx *c);
/* Appends a stage's wall and CPU ms to $ZHIJIAN_REPORT_TRACE (report.c). */
void rtrace(const char *stage);
int sec_scoring(struct rctx *c);
int sec_problems(struct rctx *c);
/* The findings by article under heading top (sec_findings.c). */
int rfindings(struct rctx *c, HPDF_Outline top);
int sec_ledger(struct rctx *c);
int sec_rollup(struct rctx *c);		/* nothing unless c->roll.present */
void sec_data(struct rctx *c);

/* Whether an annex is in this report, its number (1-based), its title
 * ("评分明细"), and the first page of an annex: "附件2" at the top left,
 * the title centred under it, and a bookmark "附件2 问题清单" (returned). */
int ranx_present(const struct rctx *c, enum ranx a);
int ranx_no(const struct rctx *c, enum ranx a);
const char *ranx_title(enum ranx a);
HPDF_Outline ranx_begin(struct rctx *c, enum ranx a);

/* Headings inside an annex: "一、计分方法" in 黑, "（一）……" in 楷. */
HPDF_Outline rhead1(struct rctx *c, HPDF_Outline parent, const char *title, double keep);
HPDF_Outline rhead2(struct rctx *c, HPDF_Outline parent, const char *title, double keep);

/* Small helpers (sec_common.c). */
/* Scores and counts: fmt_score, fmt_count (util/fmt.h). */
const char *rcn_num(int n, char buf[32]);		/* 16 → 十六 */
const char *rfmt_date(const char *iso, char buf[40]);	/* 2026-06-30 → 2026年6月30日 */
const char *rlevel_cn(enum level l);			/* 县级 */
const char *rverdict_cn(enum verdict v);			/* 符合, or 未作答 */
const char *rseverity_cn(const char *key);		/* high → 高 */
const char *rinventory_cn(enum inv_kind k);		/* 政务应用程序 */
const struct rrule *rctx_rule(const struct rctx *c, const char *id);
/* "54.2%（83/153）": a share with what it is a share of; "—" for none. */
const char *rpct(long long part, long long whole, char buf[64]);
/* A sqlite3 error into c->err; returns -1. */
int rctx_sql_error(struct rctx *c, sqlite3 *db, const char *what);

/* Paragraph styles: the body (三号宋, 22 lines a page), the annexes'
 * running text (小四), notes, an item's fields. */
extern const struct rstyle RST_GW, RST_BODY, RST_SMALL, RST_NOTE, RST_ITEM;

#endif
