/*
 * checklist.h: the policy as data (checklists/NAME.zjc, zhijian-checklist(5)).
 *
 * checklist_parse() reads the whole file into a struct checklist, validating
 * structure and cross references and reporting "FILE:LINE: reason".  Rule
 * conditions are SQL; they are compiled and checked against the inventory
 * schema by rules.h, not here.  The struct owns all its strings; free it
 * with checklist_free().
 */
#ifndef ZJ_CHECKLIST_H
#define ZJ_CHECKLIST_H

#include <stddef.h>

#include "core/inventory.h"
#include "util/err.h"

enum verdict {
	VERDICT_NONE = 0,	/* not answered, no proposal */
	VERDICT_COMPLIANT,	/* 符合 */
	VERDICT_PARTIAL,	/* 基本符合 */
	VERDICT_NONCOMPLIANT,	/* 不符合 */
	VERDICT_NA,		/* 不适用; points and means: core/scoring.h */
};

enum severity { SEV_HIGH, SEV_MEDIUM, SEV_LOW, SEV_COUNT };

enum level { LEVEL_UNIT, LEVEL_COUNTY, LEVEL_CITY, LEVEL_PROVINCE, LEVEL_CENTRAL, LEVEL_COUNT };
#define LEVELS_ALL ((1u << LEVEL_COUNT) - 1)

/* How a rule is evaluated: its `when` per row (SQL), or a pass over the
 * whole inventory in C: similar apps of one host unit (article 5), similar
 * apps of different units, place names stripped (统建共用/同质化, above the
 * unit level), or how many subjects a host unit has per value of a column
 * (accounts per platform, article 7 "严格控制数量"). */
enum rule_method { RULE_SQL, RULE_SIMILAR_APPS, RULE_SIMILAR_ACROSS, RULE_COUNT_PER_UNIT };

/* The 2024 campaign's four problem types (《“指尖上的形式主义”全国整治工作
 * 方案》: 过多过滥、多头填报、建设不规范、功能异化); every inventory rule has one. */
enum problem_type { PT_EXCESS, PT_REPORTING, PT_NONSTANDARD, PT_ALIENATION, PT_COUNT };

/* Where a rule's basis or a threshold's value comes from: the Opinions'
 * text, the campaigns' practice (2021 专项整治, 2024 全国整治), or this
 * checklist's own default (thresholds only). */
enum basis_source { SRC_NONE = -1, SRC_TEXT, SRC_CAMPAIGN, SRC_DEFAULT, SRC_COUNT };

struct cl_part {
	int no;
	char *title;
};

struct cl_article {
	int no, part, line;
	char *title, *text;
	double weight;
	size_t first_item, nitems;	/* items are stored by article */
};

struct cl_item {
	char *id;		/* "6.1" */
	int article, line;
	double weight;
	char *question, *basis;
	char *covers;		/* the part of the item its rules test, if not all */
	size_t nrules;
	size_t *rules;		/* indexes into checklist.rules */
	unsigned levels;	/* bitmask of enum level */
};

struct cl_rule {
	char *id;
	int article, line;
	enum inv_kind inv;
	enum severity sev;
	enum rule_method method;
	char *title, *message, *measure, *when, *scope;
	int when_line, scope_line;
	char *basis;		/* the clause it tests, or the campaign document */
	enum basis_source source;	/* SRC_TEXT (default) or SRC_CAMPAIGN */
	int type;		/* enum problem_type, -1 if not given */
	int zombie;		/* its violations make the 空壳/僵尸 list */
	char *conflict;		/* SQL: TRUE when the row's declarations contradict */
	int conflict_line;
	unsigned levels;	/* levels it is evaluated at (enum level bits) */
	char *count_by;		/* RULE_COUNT_PER_UNIT: the column counted per unit */
	char *limit;		/* RULE_COUNT_PER_UNIT: the threshold of the count */
};

struct cl_threshold {
	char *name;
	double value;
	int line;
	enum basis_source source;	/* SRC_NONE if not given */
	char *basis;			/* why this value; NULL if not given */
};

struct cl_grade {
	char *name;
	double min;
};

struct checklist {
	char *file;		/* name used in messages */
	char *id, *title, *version, *issuer, *issued;
	char sha256[65];	/* of the file's bytes */
	double partial_rate;	/* [scoring] partial_rate, see core/scoring.h */
	enum basis_source partial_rate_source;	/* SRC_NONE if not given */
	char *partial_rate_basis;
	struct cl_part *parts;
	size_t nparts;
	struct cl_article *articles;	/* articles[i].no == i + 1 */
	size_t narticles;
	struct cl_item *items;	/* in article order, then item order */
	size_t nitems;
	struct cl_rule *rules;
	size_t nrules;
	struct cl_threshold *thresholds;
	size_t nthresholds;
	struct cl_grade *grades;	/* highest minimum first (scoring_grade) */
	size_t ngrades;
};

/* Parses text (len bytes, need not be NUL-terminated); `file` names it in
 * messages.  Returns NULL with err filled on any problem. */
struct checklist *checklist_parse(const char *file, const char *text, size_t len, struct zj_error *err);
struct checklist *checklist_load(const char *path, struct zj_error *err);
void checklist_free(struct checklist *cl);

const struct cl_article *checklist_article(const struct checklist *cl, int no);
const struct cl_item *checklist_item(const struct checklist *cl, const char *id);
int checklist_rule_index(const struct checklist *cl, const char *id);	/* -1 if none */
const struct cl_threshold *checklist_threshold(const struct checklist *cl, const char *name);

/* The default checklist file: $ZHIJIAN_CHECKLIST, else ../checklists/ from
 * the running binary's directory (a build tree, so build/zhijian uses the
 * checklist it was built with), else the installed one.  Static storage;
 * NULL if none is found. */
const char *checklist_default_path(void);

/* Verdicts: parse accepts 符合/基本符合/不符合/不适用 and
 * compliant/partial/noncompliant/na (ASCII case-insensitive). */
enum verdict verdict_parse(const char *s);
const char *verdict_key(enum verdict v);	/* "compliant", … ; "" for NONE */
const char *verdict_label(enum verdict v);	/* "符合", … */

const char *severity_key(enum severity s);	/* "high" */
const char *severity_label(enum severity s);	/* "高" */
int severity_parse(const char *s);		/* -1 if unknown */

/* Problem types: keys excess, reporting, nonstandard, alienation; labels
 * 过多过滥, 多头填报, 建设不规范, 功能异化; parse accepts either (-1 if
 * neither). */
const char *problem_type_key(int t);		/* "" if out of range */
const char *problem_type_label(int t);		/* "" if out of range */
int problem_type_parse(const char *s);

/* Basis sources: keys text, campaign, default; labels 《意见》原文,
 * 专项整治实践, 本清单默认值. */
const char *basis_source_key(int s);
const char *basis_source_label(int s);
int basis_source_parse(const char *s);

/* What `zhijian checklist check` (and `init` with a file) asks beyond
 * what the parser needs to score: every inventory rule has a basis and a
 * type; a basis from the text is a verbatim clause of the rule's article,
 * and a high-severity rule's basis says 不得 (high means 明令禁止); every
 * item's basis is a clause of its article; every threshold, and the
 * partial rate, says where its value comes from and why; a message names
 * only thresholds that exist ({name}).  Returns 0, or -1 with
 * "FILE:LINE: reason". */
int checklist_lint(const struct checklist *cl, struct zj_error *err);

/* Whether the item asks "是否存在…" (a problem exists), so that 符合 means
 * the answer 否. */
int checklist_item_asks_existence(const struct cl_item *it);

/* The verdict as the item's question reads: for a "是否存在…" question,
 * where 符合 means the answer 否, 否，符合 / 个别存在，基本符合 / 是，不符合;
 * for the others (是否建立…, where 符合 means 是) and for 不适用 and none,
 * verdict_label.  Static strings. */
const char *checklist_answer_text(const struct cl_item *it, enum verdict v);

/* Expands {name} in a rule message with the threshold's value (%g);
 * unknown names stay as written.  Returns a malloc'd string the caller
 * frees, or NULL when out of memory. */
char *checklist_expand_message(const struct checklist *cl, const char *message);

const char *level_key(enum level l);		/* "province" */
const char *level_label(enum level l);		/* "省级" */
/* The reader's word for a level, for the CLI and the TUI alike: the
 * Chinese term under a Chinese catalogue (i18n_chinese_labels), the key else. */
const char *level_word(enum level l);		/* "省级" / "province" */
int level_parse(const char *s);			/* -1 if unknown */

#endif
