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

enum rule_method { RULE_SQL, RULE_SIMILAR_APPS };

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
};

struct cl_threshold {
	char *name;
	double value;
	int line;
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

const char *level_key(enum level l);		/* "province" */
const char *level_label(enum level l);		/* "省级" */
int level_parse(const char *s);			/* -1 if unknown */

#endif
