#include "core/checklist.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/hash.h"
#include "util/selfpath.h"


#define CHECKLIST_MAX_BYTES (16 * 1024 * 1024)

enum section { SEC_NONE, SEC_CHECKLIST, SEC_GRADES, SEC_SCORING, SEC_THRESHOLDS,
	       SEC_PART, SEC_ARTICLE, SEC_ITEM, SEC_RULE };

struct parser {
	struct checklist *cl;
	const char *file;
	struct zj_error *err;
	enum section sec;
	int sec_line;
	void *cur;		/* the part / article / item / rule being filled */
	char *seen;		/* ",key," list of keys set in this section */
	size_t seen_len;
	/* The item list grows unordered while parsing; sorted at the end. */
	struct cl_item *items;
	size_t nitems, cap_items;
	size_t cap_rules, cap_th, cap_grades, cap_parts, cap_articles;
	char **item_rule_ids;	/* per item: the raw "rules =" text */
	unsigned singletons;	/* bit i: section names[i] already seen */
};

static int perr(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, int line, const char *fmt, ...)
{
	char msg[ZJ_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return zj_err(p->err, "%s:%d: %s", p->file, line, msg);
}

static void *grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void *n;
	size_t c;

	if (need <= *cap)
		return arr;
	c = *cap ? *cap * 2 : 16;
	while (c < need)
		c *= 2;
	n = realloc(arr, c * size);
	if (!n)
		return NULL;
	memset((char *)n + *cap * size, 0, (c - *cap) * size);
	*cap = c;
	return n;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int parse_number(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end != s && !*end && !errno ? 0 : -1;
}

static int parse_posint(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < 1 || v > 1000)
		return -1;
	*out = (int)v;
	return 0;
}

static const char *const level_keys[LEVEL_COUNT] = { "unit", "county", "city", "province", "central" };
static const char *const level_labels[LEVEL_COUNT] = { "单位", "县级", "市级", "省级", "中央" };
static const char *const sev_keys[SEV_COUNT] = { "high", "medium", "low" };
static const char *const sev_labels[SEV_COUNT] = { "高", "中", "低" };

static const char *const type_keys[PT_COUNT] = { "excess", "reporting", "nonstandard", "alienation" };
static const char *const type_labels[PT_COUNT] = { "过多过滥", "多头填报", "建设不规范", "功能异化" };
static const char *const source_keys[SRC_COUNT] = { "text", "campaign", "default" };
static const char *const source_labels[SRC_COUNT] = { "《意见》原文", "专项整治实践", "本清单默认值" };

const char *problem_type_key(int t) { return t >= 0 && t < PT_COUNT ? type_keys[t] : ""; }
const char *problem_type_label(int t) { return t >= 0 && t < PT_COUNT ? type_labels[t] : ""; }
const char *basis_source_key(int s) { return s >= 0 && s < SRC_COUNT ? source_keys[s] : ""; }
const char *basis_source_label(int s) { return s >= 0 && s < SRC_COUNT ? source_labels[s] : ""; }

int problem_type_parse(const char *s)
{
	for (int i = 0; i < PT_COUNT; i++)
		if (!strcasecmp(s, type_keys[i]) || !strcmp(s, type_labels[i]))
			return i;
	return -1;
}

int basis_source_parse(const char *s)
{
	for (int i = 0; i < SRC_COUNT; i++)
		if (!strcasecmp(s, source_keys[i]) || !strcmp(s, source_labels[i]))
			return i;
	return -1;
}

const char *level_key(enum level l) { return l < LEVEL_COUNT ? level_keys[l] : ""; }
const char *level_label(enum level l) { return l < LEVEL_COUNT ? level_labels[l] : ""; }
const char *level_word(enum level l) { return i18n_chinese_labels() ? level_label(l) : level_key(l); }
const char *severity_key(enum severity s) { return s < SEV_COUNT ? sev_keys[s] : ""; }
const char *severity_label(enum severity s) { return s < SEV_COUNT ? sev_labels[s] : ""; }

int level_parse(const char *s)
{
	for (int i = 0; i < LEVEL_COUNT; i++)
		if (!strcasecmp(s, level_keys[i]) || !strcmp(s, level_labels[i]))
			return i;
	return -1;
}

int severity_parse(const char *s)
{
	for (int i = 0; i < SEV_COUNT; i++)
		if (!strcasecmp(s, sev_keys[i]) || !strcmp(s, sev_labels[i]))
			return i;
	return -1;
}

/* The verdict words and their English forms only: yes/no are not verdicts,
 * since 17 questions ask "是否存在…问题", where yes means 不符合. */
static const struct {
	enum verdict v;
	const char *key, *label, *alias;	/* alias may be NULL */
} verdicts[] = {
	{ VERDICT_COMPLIANT, "compliant", "符合", NULL },
	{ VERDICT_PARTIAL, "partial", "基本符合", "partially" },
	{ VERDICT_NONCOMPLIANT, "noncompliant", "不符合", "non-compliant" },
	{ VERDICT_NA, "na", "不适用", "n/a" },
};

enum verdict verdict_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (!strcasecmp(s, verdicts[i].key) || !strcmp(s, verdicts[i].label) ||
		    (verdicts[i].alias && !strcasecmp(s, verdicts[i].alias)))
			return verdicts[i].v;
	return VERDICT_NONE;
}

const char *verdict_key(enum verdict v)
{
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (verdicts[i].v == v)
			return verdicts[i].key;
	return "";
}

const char *verdict_label(enum verdict v)
{
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (verdicts[i].v == v)
			return verdicts[i].label;
	return "";
}

/* Records key as set in the current section; fails on a repeat. */
static int mark_seen(struct parser *p, const char *key, int line)
{
	size_t kl = strlen(key);
	char *n;

	for (char *s = p->seen; s && (s = strstr(s, key)); s += kl)
		if (s > p->seen && s[-1] == ',' && s[kl] == ',')
			return perr(p, line, _("key '%s' is set twice in this section"), key);
	n = realloc(p->seen, p->seen_len + kl + 3);
	if (!n)
		return perr(p, line, "%s", _("out of memory"));
	p->seen = n;
	p->seen_len += (size_t)sprintf(p->seen + p->seen_len, ",%s,", key);
	return 0;
}

static int set_str(struct parser *p, char **dst, const char *val, int line)
{
	(void)line;
	free(*dst);
	*dst = strdup(val);
	return *dst ? 0 : perr(p, line, "%s", _("out of memory"));
}

static int unknown_key(struct parser *p, const char *key, int line)
{
	return perr(p, line, _("unknown key '%s' in this section"), key);
}

/* "province, central" into a bitmask of enum level. */
static int parse_levels(struct parser *p, const char *val, unsigned *out, int line)
{
	char *copy = strdup(val), *save = NULL;

	if (!copy)
		return perr(p, line, "%s", _("out of memory"));
	*out = 0;
	for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		int l = level_parse(tok);

		if (l < 0) {
			perr(p, line, _("'%s' is not a level (unit, county, city, province, central)"), tok);
			free(copy);
			return -1;
		}
		*out |= 1u << l;
	}
	free(copy);
	if (!*out)
		return perr(p, line, "%s", _("levels is empty"));
	return 0;
}

static int parse_source(struct parser *p, const char *val, enum basis_source *out, int line)
{
	int v = basis_source_parse(val);

	if (v < 0)
		return perr(p, line, _("'%s' is not a basis source (text, campaign, default)"), val);
	*out = (enum basis_source)v;
	return 0;
}

static int field(struct parser *p, const char *key, const char *val, int line)
{
	struct checklist *cl = p->cl;

	if (mark_seen(p, key, line) < 0)
		return -1;
	switch (p->sec) {
	case SEC_NONE:
		return perr(p, line, "%s", _("key outside any [section]"));
	case SEC_CHECKLIST:
		if (!strcmp(key, "id")) return set_str(p, &cl->id, val, line);
		if (!strcmp(key, "title")) return set_str(p, &cl->title, val, line);
		if (!strcmp(key, "version")) return set_str(p, &cl->version, val, line);
		if (!strcmp(key, "issuer")) return set_str(p, &cl->issuer, val, line);
		if (!strcmp(key, "issued")) return set_str(p, &cl->issued, val, line);
		return unknown_key(p, key, line);
	case SEC_SCORING:
		if (!strcmp(key, "partial_rate")) {
			if (parse_number(val, &cl->partial_rate) < 0 || cl->partial_rate < 0 || cl->partial_rate > 1)
				return perr(p, line, _("'%s' is not a rate between 0 and 1"), val);
			return 0;
		}
		if (!strcmp(key, "partial_rate.source"))
			return parse_source(p, val, &cl->partial_rate_source, line);
		if (!strcmp(key, "partial_rate.basis"))
			return set_str(p, &cl->partial_rate_basis, val, line);
		return unknown_key(p, key, line);
	case SEC_GRADES: {
		struct cl_grade *g;

		cl->grades = grow(cl->grades, &p->cap_grades, cl->ngrades + 1, sizeof(*g));
		if (!cl->grades)
			return perr(p, line, "%s", _("out of memory"));
		g = &cl->grades[cl->ngrades];
		if (parse_number(val, &g->min) < 0 || g->min < 0 || g->min > 100)
			return perr(p, line, _("grade '%s': '%s' is not a score from 0 to 100"), key, val);
		if (!(g->name = strdup(key)))
			return perr(p, line, "%s", _("out of memory"));
		cl->ngrades++;
		return 0;
	}
	case SEC_THRESHOLDS: {
		struct cl_threshold *t;
		const char *dot = strchr(key, '.');

		if (dot) {
			/* NAME.source and NAME.basis say where NAME's value
			 * comes from, next to it. */
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)(dot - key), key);
			t = NULL;
			for (size_t i = 0; i < cl->nthresholds; i++)
				if (!strcmp(cl->thresholds[i].name, name))
					t = &cl->thresholds[i];
			if (!t)
				return perr(p, line, _("'%s': threshold '%s' is not set above"), key, name);
			if (!strcmp(dot + 1, "source"))
				return parse_source(p, val, &t->source, line);
			if (!strcmp(dot + 1, "basis"))
				return set_str(p, &t->basis, val, line);
			return unknown_key(p, key, line);
		}
		for (const char *c = key; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '_')
				return perr(p, line, _("threshold name '%s' may hold only letters, digits and '_'"), key);
		cl->thresholds = grow(cl->thresholds, &p->cap_th, cl->nthresholds + 1, sizeof(*t));
		if (!cl->thresholds)
			return perr(p, line, "%s", _("out of memory"));
		t = &cl->thresholds[cl->nthresholds];
		if (parse_number(val, &t->value) < 0)
			return perr(p, line, _("threshold '%s': '%s' is not a number"), key, val);
		if (!(t->name = strdup(key)))
			return perr(p, line, "%s", _("out of memory"));
		t->line = line;
		t->source = SRC_NONE;
		cl->nthresholds++;
		return 0;
	}
	case SEC_PART: {
		struct cl_part *pt = p->cur;

		if (!strcmp(key, "title")) return set_str(p, &pt->title, val, line);
		return unknown_key(p, key, line);
	}
	case SEC_ARTICLE: {
		struct cl_article *a = p->cur;

		if (!strcmp(key, "title")) return set_str(p, &a->title, val, line);
		if (!strcmp(key, "text")) return set_str(p, &a->text, val, line);
		if (!strcmp(key, "part")) {
			if (parse_posint(val, &a->part) < 0)
				return perr(p, line, _("'%s' is not a part number"), val);
			return 0;
		}
		if (!strcmp(key, "weight")) {
			if (parse_number(val, &a->weight) < 0 || a->weight <= 0)
				return perr(p, line, _("weight '%s' is not a positive number"), val);
			return 0;
		}
		return unknown_key(p, key, line);
	}
	case SEC_ITEM: {
		size_t idx = (size_t)(uintptr_t)p->cur;
		struct cl_item *it = &p->items[idx];

		if (!strcmp(key, "question")) return set_str(p, &it->question, val, line);
		if (!strcmp(key, "basis")) return set_str(p, &it->basis, val, line);
		if (!strcmp(key, "rules")) return set_str(p, &p->item_rule_ids[idx], val, line);
		if (!strcmp(key, "covers")) return set_str(p, &it->covers, val, line);
		if (!strcmp(key, "weight")) {
			if (parse_number(val, &it->weight) < 0 || it->weight <= 0)
				return perr(p, line, _("weight '%s' is not a positive number"), val);
			return 0;
		}
		if (!strcmp(key, "levels"))
			return parse_levels(p, val, &it->levels, line);
		return unknown_key(p, key, line);
	}
	case SEC_RULE: {
		struct cl_rule *r = &cl->rules[(size_t)(uintptr_t)p->cur];

		if (!strcmp(key, "title")) return set_str(p, &r->title, val, line);
		if (!strcmp(key, "message")) return set_str(p, &r->message, val, line);
		if (!strcmp(key, "measure")) return set_str(p, &r->measure, val, line);
		if (!strcmp(key, "when")) {
			r->when_line = line;
			return set_str(p, &r->when, val, line);
		}
		if (!strcmp(key, "scope")) {
			r->scope_line = line;
			return set_str(p, &r->scope, val, line);
		}
		if (!strcmp(key, "article")) {
			if (parse_posint(val, &r->article) < 0)
				return perr(p, line, _("'%s' is not an article number"), val);
			return 0;
		}
		if (!strcmp(key, "inventory")) {
			const struct inventory *inv = inventory_by_name(val);

			if (!inv)
				return perr(p, line, _("'%s' is not an inventory (apps, accounts, groups)"), val);
			r->inv = inv->kind;
			return 0;
		}
		if (!strcmp(key, "severity")) {
			int s = severity_parse(val);

			if (s < 0)
				return perr(p, line, _("'%s' is not a severity (high, medium, low)"), val);
			r->sev = (enum severity)s;
			return 0;
		}
		if (!strcmp(key, "method")) {
			if (!strcmp(val, "similar-apps"))
				r->method = RULE_SIMILAR_APPS;
			else if (!strcmp(val, "similar-apps-across"))
				r->method = RULE_SIMILAR_ACROSS;
			else if (!strcmp(val, "count-per-unit"))
				r->method = RULE_COUNT_PER_UNIT;
			else
				return perr(p, line, _("'%s' is not a rule method (similar-apps, similar-apps-across, count-per-unit)"), val);
			return 0;
		}
		if (!strcmp(key, "basis")) return set_str(p, &r->basis, val, line);
		if (!strcmp(key, "source")) {
			if (parse_source(p, val, &r->source, line) < 0)
				return -1;
			if (r->source == SRC_DEFAULT)
				return perr(p, line, "%s", _("a rule's basis is the text or the campaign, not a default"));
			return 0;
		}
		if (!strcmp(key, "type")) {
			r->type = problem_type_parse(val);
			if (r->type < 0)
				return perr(p, line, _("'%s' is not a problem type (过多过滥, 多头填报, 建设不规范, 功能异化)"), val);
			return 0;
		}
		if (!strcmp(key, "zombie")) {
			if (!strcmp(val, "yes") || !strcmp(val, "是"))
				r->zombie = 1;
			else if (!strcmp(val, "no") || !strcmp(val, "否"))
				r->zombie = 0;
			else
				return perr(p, line, _("'%s' is not yes or no"), val);
			return 0;
		}
		if (!strcmp(key, "conflict")) {
			r->conflict_line = line;
			return set_str(p, &r->conflict, val, line);
		}
		if (!strcmp(key, "levels"))
			return parse_levels(p, val, &r->levels, line);
		if (!strcmp(key, "count_by")) return set_str(p, &r->count_by, val, line);
		if (!strcmp(key, "limit")) return set_str(p, &r->limit, val, line);
		return unknown_key(p, key, line);
	}
	}
	return 0;
}

/* Checks what a finished section must have. */
static int end_section(struct parser *p)
{
	const char *missing = NULL;

	switch (p->sec) {
	case SEC_PART:
		if (!((struct cl_part *)p->cur)->title) missing = "title";
		break;
	case SEC_ARTICLE: {
		struct cl_article *a = p->cur;

		if (!a->title) missing = "title";
		else if (!a->text) missing = "text";
		else if (!a->part) missing = "part";
		break;
	}
	case SEC_ITEM:
		if (!p->items[(size_t)(uintptr_t)p->cur].question) missing = "question";
		break;
	case SEC_RULE: {
		struct cl_rule *r = &p->cl->rules[(size_t)(uintptr_t)p->cur];

		if (!r->article) missing = "article";
		else if (!strstr(p->seen ? p->seen : "", ",inventory,")) missing = "inventory";
		else if (!strstr(p->seen ? p->seen : "", ",severity,")) missing = "severity";
		else if (!r->title) missing = "title";
		else if (!r->message) missing = "message";
		else if (r->method == RULE_SQL && !r->when) missing = "when";
		else if (r->method != RULE_SQL && r->when)
			return perr(p, r->when_line, "%s", _("a rule with a method takes no 'when'"));
		else if ((r->method == RULE_SIMILAR_APPS || r->method == RULE_SIMILAR_ACROSS) && r->inv != INV_APPS)
			return perr(p, p->sec_line, "%s", _("methods similar-apps and similar-apps-across apply to inventory apps only"));
		else if (r->method == RULE_COUNT_PER_UNIT && !r->count_by) missing = "count_by";
		else if (r->method == RULE_COUNT_PER_UNIT && !r->limit) missing = "limit";
		else if (r->method != RULE_COUNT_PER_UNIT && (r->count_by || r->limit))
			return perr(p, p->sec_line, "%s", _("count_by and limit belong to method = count-per-unit"));
		else if (r->method == RULE_COUNT_PER_UNIT) {
			int c = inventory_find_column(inventory_get(r->inv), r->count_by);

			if (c < 0 || strcmp(inventory_get(r->inv)->cols[c].key, r->count_by) ||
			    !strcmp(r->count_by, "host_unit"))
				return perr(p, p->sec_line, _("count_by '%s' is not a column of inventory %s other than host_unit"),
					    r->count_by, inventory_get(r->inv)->name);
		}
		break;
	}
	default:
		break;
	}
	if (missing)
		return perr(p, p->sec_line, _("section lacks '%s'"), missing);
	free(p->seen);
	p->seen = NULL;
	p->seen_len = 0;
	return 0;
}

static int begin_section(struct parser *p, char *name, int line)
{
	struct checklist *cl = p->cl;
	char *arg = strchr(name, ' ');
	int n;

	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ' || *arg == '\t')
			arg++;
	}
	p->sec_line = line;
	if (!strcmp(name, "checklist") || !strcmp(name, "grades") ||
	    !strcmp(name, "scoring") || !strcmp(name, "thresholds")) {
		static const enum section secs[] = { SEC_CHECKLIST, SEC_GRADES, SEC_SCORING, SEC_THRESHOLDS };
		static const char *const names[] = { "checklist", "grades", "scoring", "thresholds" };

		if (arg && *arg)
			return perr(p, line, _("section [%s] takes no name"), name);
		for (int i = 0; i < 4; i++) {
			if (strcmp(name, names[i]))
				continue;
			if (p->singletons & (1u << i))
				return perr(p, line, _("section [%s] appears twice"), name);
			p->singletons |= 1u << i;
			p->sec = secs[i];
			return 0;
		}
	}
	if (!arg || !*arg)
		return perr(p, line, _("section [%s] needs a name or number, or is unknown"), name);
	if (!strcmp(name, "part")) {
		if (parse_posint(arg, &n) < 0)
			return perr(p, line, _("'%s' is not a part number"), arg);
		if ((size_t)n > cl->nparts) {
			cl->parts = grow(cl->parts, &p->cap_parts, (size_t)n, sizeof(*cl->parts));
			if (!cl->parts)
				return perr(p, line, "%s", _("out of memory"));
			cl->nparts = (size_t)n;
		}
		if (cl->parts[n - 1].no)
			return perr(p, line, _("part %d is defined twice"), n);
		cl->parts[n - 1].no = n;
		p->cur = &cl->parts[n - 1];
		p->sec = SEC_PART;
		return 0;
	}
	if (!strcmp(name, "article")) {
		if (parse_posint(arg, &n) < 0)
			return perr(p, line, _("'%s' is not an article number"), arg);
		if ((size_t)n > cl->narticles) {
			cl->articles = grow(cl->articles, &p->cap_articles, (size_t)n, sizeof(*cl->articles));
			if (!cl->articles)
				return perr(p, line, "%s", _("out of memory"));
			cl->narticles = (size_t)n;
		}
		if (cl->articles[n - 1].no)
			return perr(p, line, _("article %d is defined twice"), n);
		cl->articles[n - 1].no = n;
		cl->articles[n - 1].line = line;
		cl->articles[n - 1].weight = 1;
		p->cur = &cl->articles[n - 1];
		p->sec = SEC_ARTICLE;
		return 0;
	}
	if (!strcmp(name, "item")) {
		char *dot = strchr(arg, '.');
		int a, k;
		struct cl_item *it;
		char **ids;
		size_t cap = p->cap_items;

		if (!dot)
			return perr(p, line, _("item '%s' is not of the form ARTICLE.NUMBER"), arg);
		*dot = '\0';
		if (parse_posint(arg, &a) < 0 || parse_posint(dot + 1, &k) < 0) {
			*dot = '.';
			return perr(p, line, _("item '%s' is not of the form ARTICLE.NUMBER"), arg);
		}
		*dot = '.';
		for (size_t i = 0; i < p->nitems; i++)
			if (!strcmp(p->items[i].id, arg))
				return perr(p, line, _("item %s is defined twice"), arg);
		p->items = grow(p->items, &p->cap_items, p->nitems + 1, sizeof(*p->items));
		if (!p->items)
			return perr(p, line, "%s", _("out of memory"));
		ids = grow(p->item_rule_ids, &cap, p->nitems + 1, sizeof(*ids));
		if (!ids)
			return perr(p, line, "%s", _("out of memory"));
		p->item_rule_ids = ids;
		it = &p->items[p->nitems];
		if (!(it->id = strdup(arg)))
			return perr(p, line, "%s", _("out of memory"));
		it->article = a;
		it->line = line;
		it->weight = 1;
		it->levels = LEVELS_ALL;
		p->cur = (void *)(uintptr_t)p->nitems;
		p->nitems++;
		p->sec = SEC_ITEM;
		return 0;
	}
	if (!strcmp(name, "rule")) {
		struct cl_rule *r;

		for (const char *c = arg; *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr("._-", *c))
				return perr(p, line, _("rule id '%s' may hold only letters, digits, '.', '_' and '-'"), arg);
		if (checklist_rule_index(cl, arg) >= 0)
			return perr(p, line, _("rule %s is defined twice"), arg);
		cl->rules = grow(cl->rules, &p->cap_rules, cl->nrules + 1, sizeof(*cl->rules));
		if (!cl->rules)
			return perr(p, line, "%s", _("out of memory"));
		r = &cl->rules[cl->nrules];
		if (!(r->id = strdup(arg)))
			return perr(p, line, "%s", _("out of memory"));
		r->line = line;
		r->sev = SEV_MEDIUM;
		r->source = SRC_TEXT;
		r->type = -1;
		r->levels = LEVELS_ALL;
		p->cur = (void *)(uintptr_t)cl->nrules;
		cl->nrules++;
		p->sec = SEC_RULE;
		return 0;
	}
	return perr(p, line, _("unknown section [%s %s]"), name, arg);
}

static int cmp_item(const void *a, const void *b)
{
	const struct cl_item *x = a, *y = b;
	int kx = atoi(strchr(x->id, '.') + 1), ky = atoi(strchr(y->id, '.') + 1);

	if (x->article != y->article)
		return x->article < y->article ? -1 : 1;
	return kx < ky ? -1 : kx > ky;
}

static int cmp_grade(const void *a, const void *b)
{
	const struct cl_grade *x = a, *y = b;

	return x->min > y->min ? -1 : x->min < y->min;
}

/* Cross-checks after the whole file is read. */
static int finish(struct parser *p)
{
	struct checklist *cl = p->cl;

	if (!cl->id || !cl->title)
		return perr(p, 1, "%s", _("the file needs a [checklist] section with id and title"));
	if (!cl->ngrades)
		return perr(p, 1, "%s", _("the file needs a [grades] section"));
	if (!cl->narticles)
		return perr(p, 1, "%s", _("the file defines no [article N]"));
	for (size_t i = 0; i < cl->nparts; i++)
		if (!cl->parts[i].no)
			return perr(p, 1, _("part %zu is missing (parts must be numbered 1, 2, …)"), i + 1);
	for (size_t i = 0; i < cl->narticles; i++) {
		struct cl_article *a = &cl->articles[i];

		if (!a->no)
			return perr(p, 1, _("article %zu is missing (articles must be numbered 1, 2, …)"), i + 1);
		if ((size_t)a->part > cl->nparts)
			return perr(p, a->line, _("article %d names part %d, which is not defined"), a->no, a->part);
	}
	for (size_t r = 0; r < cl->nrules; r++)
		if ((size_t)cl->rules[r].article > cl->narticles)
			return perr(p, cl->rules[r].line, _("rule %s names article %d, which is not defined"),
				    cl->rules[r].id, cl->rules[r].article);

	/* Items: resolve rules, then order by article and number. */
	for (size_t i = 0; i < p->nitems; i++) {
		struct cl_item *it = &p->items[i];
		char *ids = p->item_rule_ids[i], *save = NULL;

		if ((size_t)it->article > cl->narticles)
			return perr(p, it->line, _("item %s belongs to article %d, which is not defined"), it->id, it->article);
		if (!ids)
			continue;
		for (char *tok = strtok_r(ids, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			int r = checklist_rule_index(cl, tok);
			size_t *n;

			if (r < 0)
				return perr(p, it->line, _("item %s links rule '%s', which is not defined"), it->id, tok);
			if (cl->rules[r].article != it->article)
				return perr(p, it->line, _("item %s (article %d) links rule %s of article %d"),
					    it->id, it->article, tok, cl->rules[r].article);
			n = realloc(it->rules, (it->nrules + 1) * sizeof(*n));
			if (!n)
				return perr(p, it->line, "%s", _("out of memory"));
			it->rules = n;
			it->rules[it->nrules++] = (size_t)r;
		}
	}
	if (p->nitems)
		qsort(p->items, p->nitems, sizeof(*p->items), cmp_item);
	cl->items = p->items;
	cl->nitems = p->nitems;
	p->items = NULL;
	for (size_t i = 0; i < cl->nitems; i++) {
		struct cl_article *a = &cl->articles[cl->items[i].article - 1];

		if (!a->nitems)
			a->first_item = i;
		a->nitems++;
	}
	for (size_t i = 0; i < cl->narticles; i++)
		if (!cl->articles[i].nitems)
			return perr(p, cl->articles[i].line, _("article %d has no check item"), cl->articles[i].no);
	if (cl->ngrades > 1)	/* qsort with a NULL array is undefined even for 0 */
		qsort(cl->grades, cl->ngrades, sizeof(*cl->grades), cmp_grade);
	return 0;
}

static void trim(char **s, char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

struct checklist *checklist_parse(const char *file, const char *text, size_t len, struct zj_error *err)
{
	struct parser p = { 0 };
	char *buf, *line, *next, *end;
	char *pkey = NULL, *pval = NULL;
	size_t pval_len = 0;
	int lineno = 0, pline = 0, rc = -1;

	p.cl = calloc(1, sizeof(*p.cl));
	buf = malloc(len + 1);
	if (!p.cl || !buf) {
		free(buf);
		free(p.cl);
		zj_err(err, "%s", _("out of memory"));
		return NULL;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	p.file = file;
	p.err = err;
	p.cl->partial_rate = 0.10;
	p.cl->partial_rate_source = SRC_NONE;
	if (!(p.cl->file = strdup(file)))
		goto out;
	if (hash_sha256_hex(text, len, p.cl->sha256) < 0) {
		zj_err(err, "%s", _("SHA-256 failed"));
		goto out;
	}
	if (memchr(text, '\0', len)) {
		zj_err(err, _("%s: the file contains a NUL byte"), file);
		goto out;
	}

	line = buf;
	if (len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
		line += 3;
	for (; line; line = next) {
		char *s, *e, *eq;

		lineno++;
		next = strchr(line, '\n');
		end = next ? next : line + strlen(line);
		if (next)
			*next++ = '\0';
		s = line;
		e = end;
		if (e > s && (*s == ' ' || *s == '\t')) {
			/* Continuation of the previous value, unless blank. */
			trim(&s, &e);
			if (s == e)
				goto flush;
			if (*s == '#' || *s == ';')
				continue;
			if (!pkey) {
				perr(&p, lineno, "%s", _("indented line continues no value"));
				goto out;
			}
			{
				char *nv = realloc(pval, pval_len + (size_t)(e - s) + 2);

				if (!nv)
					goto oom;
				pval = nv;
				pval[pval_len++] = '\n';
				memcpy(pval + pval_len, s, (size_t)(e - s));
				pval_len += (size_t)(e - s);
				pval[pval_len] = '\0';
			}
			continue;
		}
flush:
		if (pkey) {
			if (field(&p, pkey, pval, pline) < 0)
				goto out;
			free(pkey);
			free(pval);
			pkey = pval = NULL;
		}
		trim(&s, &e);
		*e = '\0';
		if (s == e || *s == '#' || *s == ';')
			continue;
		{
			/* A line must be valid UTF-8 text: check the cheap way. */
			for (const unsigned char *c = (const unsigned char *)s; *c; c++)
				if (*c < 0x20 && *c != '\t') {
					perr(&p, lineno, "%s", _("control character in the line"));
					goto out;
				}
		}
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close || close[1]) {
				perr(&p, lineno, "%s", _("section header must be '[name]' alone on its line"));
				goto out;
			}
			if (p.sec != SEC_NONE && end_section(&p) < 0)
				goto out;
			*close = '\0';
			{
				char *ns = s + 1, *ne = close;

				trim(&ns, &ne);
				*ne = '\0';
				if (begin_section(&p, ns, lineno) < 0)
					goto out;
			}
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			perr(&p, lineno, _("expected 'key = value', '[section]' or a comment, found '%.40s'"), s);
			goto out;
		}
		{
			char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;

			trim(&ks, &ke);
			trim(&vs, &ve);
			if (ks == ke) {
				perr(&p, lineno, "%s", _("missing key before '='"));
				goto out;
			}
			pkey = xstrndup(ks, (size_t)(ke - ks));
			pval = xstrndup(vs, (size_t)(ve - vs));
			if (!pkey || !pval)
				goto oom;
			pval_len = (size_t)(ve - vs);
			pline = lineno;
		}
	}
	if (pkey && field(&p, pkey, pval, pline) < 0)
		goto out;
	if (p.sec != SEC_NONE && end_section(&p) < 0)
		goto out;
	if (finish(&p) < 0)
		goto out;
	rc = 0;
	goto out;
oom:
	zj_err(err, "%s", _("out of memory"));
out:
	free(pkey);
	free(pval);
	free(p.seen);
	if (p.item_rule_ids) {
		for (size_t i = 0; i < p.nitems; i++)
			free(p.item_rule_ids[i]);
		free(p.item_rule_ids);
	}
	if (p.items) {
		/* Not handed over: free them with the checklist. */
		p.cl->items = p.items;
		p.cl->nitems = p.nitems;
	}
	free(buf);
	if (rc < 0) {
		checklist_free(p.cl);
		return NULL;
	}
	return p.cl;
}

struct checklist *checklist_load(const char *path, struct zj_error *err)
{
	FILE *f = fopen(path, "rb");
	struct checklist *cl;
	struct stat sb;
	char *text;
	size_t n;

	if (!f) {
		zj_err(err, _("cannot open checklist '%s': %s"), path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &sb) < 0 || S_ISDIR(sb.st_mode)) {
		fclose(f);
		zj_err(err, _("cannot read checklist '%s': not a regular file"), path);
		return NULL;
	}
	if (sb.st_size > CHECKLIST_MAX_BYTES) {
		fclose(f);
		zj_err(err, _("checklist '%s' is larger than %d MiB"), path, CHECKLIST_MAX_BYTES >> 20);
		return NULL;
	}
	text = malloc((size_t)sb.st_size + 1);
	if (!text) {
		fclose(f);
		zj_err(err, "%s", _("out of memory"));
		return NULL;
	}
	n = fread(text, 1, (size_t)sb.st_size, f);
	if (ferror(f)) {
		zj_err(err, _("cannot read checklist '%s': %s"), path, strerror(errno));
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	cl = checklist_parse(path, text, n, err);
	free(text);
	return cl;
}

void checklist_free(struct checklist *cl)
{
	if (!cl)
		return;
	free(cl->file);
	free(cl->id);
	free(cl->title);
	free(cl->version);
	free(cl->issuer);
	free(cl->issued);
	for (size_t i = 0; i < cl->nparts; i++)
		free(cl->parts[i].title);
	free(cl->parts);
	for (size_t i = 0; i < cl->narticles; i++) {
		free(cl->articles[i].title);
		free(cl->articles[i].text);
	}
	free(cl->articles);
	for (size_t i = 0; i < cl->nitems; i++) {
		free(cl->items[i].id);
		free(cl->items[i].question);
		free(cl->items[i].basis);
		free(cl->items[i].covers);
		free(cl->items[i].rules);
	}
	free(cl->items);
	for (size_t i = 0; i < cl->nrules; i++) {
		struct cl_rule *r = &cl->rules[i];

		free(r->id);
		free(r->title);
		free(r->message);
		free(r->measure);
		free(r->when);
		free(r->scope);
		free(r->basis);
		free(r->conflict);
		free(r->count_by);
		free(r->limit);
	}
	free(cl->rules);
	for (size_t i = 0; i < cl->nthresholds; i++) {
		free(cl->thresholds[i].name);
		free(cl->thresholds[i].basis);
	}
	free(cl->partial_rate_basis);
	free(cl->thresholds);
	for (size_t i = 0; i < cl->ngrades; i++)
		free(cl->grades[i].name);
	free(cl->grades);
	free(cl);
}

const struct cl_article *checklist_article(const struct checklist *cl, int no)
{
	return no >= 1 && (size_t)no <= cl->narticles ? &cl->articles[no - 1] : NULL;
}

const struct cl_item *checklist_item(const struct checklist *cl, const char *id)
{
	for (size_t i = 0; i < cl->nitems; i++)
		if (!strcmp(cl->items[i].id, id))
			return &cl->items[i];
	return NULL;
}

int checklist_rule_index(const struct checklist *cl, const char *id)
{
	for (size_t i = 0; i < cl->nrules; i++)
		if (!strcmp(cl->rules[i].id, id))
			return (int)i;
	return -1;
}

const struct cl_threshold *checklist_threshold(const struct checklist *cl, const char *name)
{
	for (size_t i = 0; i < cl->nthresholds; i++)
		if (!strcmp(cl->thresholds[i].name, name))
			return &cl->thresholds[i];
	return NULL;
}

const char *checklist_default_path(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("ZHIJIAN_CHECKLIST");

	if (env && *env)
		return env;
	/* A build tree first, so `build/zhijian` uses the checklist it was
	 * built with even when an older one is installed. */
	return data_file("checklists/opinions-2023.zjc", NULL, path, sizeof(path));
}

/* ---- what `checklist check` asks beyond parsing ---- */

/* Whether {name} placeholders in msg all name thresholds; the first bad one
 * into bad. */
static int message_names_ok(const struct checklist *cl, const char *msg, char *bad, size_t size)
{
	for (const char *o = msg ? strchr(msg, '{') : NULL; o; o = strchr(o + 1, '{')) {
		const char *c = strchr(o, '}');
		char name[128];

		if (!c || (size_t)(c - o - 1) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(c - o - 1), o + 1);
		if (!checklist_threshold(cl, name)) {
			snprintf(bad, size, "%s", name);
			return 0;
		}
	}
	return 1;
}

int checklist_lint(const struct checklist *cl, struct zj_error *err)
{
	const char *f = cl->file;
	char bad[128];

	for (size_t i = 0; i < cl->nitems; i++) {
		const struct cl_item *it = &cl->items[i];
		const struct cl_article *a = checklist_article(cl, it->article);

		if (it->basis && a && !strstr(a->text, it->basis))
			return zj_err(err, _("%s:%d: item %s: its basis is not a clause of article %d's text"),
				      f, it->line, it->id, it->article);
	}
	for (size_t i = 0; i < cl->nrules; i++) {
		const struct cl_rule *r = &cl->rules[i];
		const struct cl_article *a = checklist_article(cl, r->article);

		if (!r->basis || !*r->basis)
			return zj_err(err, _("%s:%d: rule %s has no basis: name the clause it tests, or the campaign document (source = campaign)"),
				      f, r->line, r->id);
		if (r->type < 0)
			return zj_err(err, _("%s:%d: rule %s has no type: one of 过多过滥, 多头填报, 建设不规范, 功能异化"),
				      f, r->line, r->id);
		if (r->source == SRC_TEXT && a && !strstr(a->text, r->basis))
			return zj_err(err, _("%s:%d: rule %s: its basis is not a clause of article %d's text; a basis from the campaign says source = campaign"),
				      f, r->line, r->id, r->article);
		if (r->sev == SEV_HIGH && (r->source != SRC_TEXT || !strstr(r->basis, "不得")))
			return zj_err(err, _("%s:%d: rule %s is of high severity, which is for what the text says 不得, but its basis does not"),
				      f, r->line, r->id);
		if (!message_names_ok(cl, r->message, bad, sizeof(bad)))
			return zj_err(err, _("%s:%d: rule %s: its message names '{%s}', which is not a threshold"),
				      f, r->line, r->id, bad);
		if (r->limit && !checklist_threshold(cl, r->limit))
			return zj_err(err, _("%s:%d: rule %s: limit '%s' is not a threshold in [thresholds]"),
				      f, r->line, r->id, r->limit);
	}
	for (size_t i = 0; i < cl->nthresholds; i++) {
		const struct cl_threshold *t = &cl->thresholds[i];

		if (t->source == SRC_NONE || !t->basis || !*t->basis)
			return zj_err(err, _("%s:%d: threshold %s needs %s.source (text, campaign or default) and %s.basis (why this value)"),
				      f, t->line, t->name, t->name, t->name);
	}
	if (cl->nrules && (cl->partial_rate_source == SRC_NONE || !cl->partial_rate_basis))
		return zj_err(err, _("%s: [scoring] needs partial_rate.source (text, campaign or default) and partial_rate.basis"), f);
	return 0;
}

int checklist_item_asks_existence(const struct cl_item *it)
{
	return it && it->question && strstr(it->question, "是否存在") != NULL;
}

const char *checklist_answer_text(const struct cl_item *it, enum verdict v)
{
	int neg = checklist_item_asks_existence(it);

	if (!neg)
		return verdict_label(v);	/* 是否建立…: 是 is 符合, as the word says */
	switch (v) {
	case VERDICT_COMPLIANT: return "否，符合";
	case VERDICT_PARTIAL: return "个别存在，基本符合";
	case VERDICT_NONCOMPLIANT: return "是，不符合";
	default: return verdict_label(v);
	}
}

char *checklist_expand_message(const struct checklist *cl, const char *message)
{
	size_t cap = strlen(message) + 64, n = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	for (const char *p = message; *p;) {
		const char *c = *p == '{' ? strchr(p, '}') : NULL;
		const struct cl_threshold *t = NULL;
		char val[64];
		const char *add = p;
		size_t len = 1;

		if (c && (size_t)(c - p - 1) < 128) {
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)(c - p - 1), p + 1);
			t = checklist_threshold(cl, name);
		}
		if (t) {
			snprintf(val, sizeof(val), "%g", t->value);
			add = val;
			len = strlen(val);
			p = c + 1;
		} else {
			p++;
		}
		if (n + len + 1 > cap) {
			char *g = realloc(out, (cap = (n + len + 1) * 2));

			if (!g) {
				free(out);
				return NULL;
			}
			out = g;
		}
		memcpy(out + n, add, len);
		n += len;
	}
	out[n] = '\0';
	return out;
}
