/* What the sections share: the data read once, and small formatters. */
#include "report/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/store.h"
#include "core/submission.h"
#include "util/i18n.h"

const struct rstyle RST_GW = { .size = RD_GW, .leading = RD_GW_LINE, .indent = 2 * RD_GW };
const struct rstyle RST_BODY = { .size = RD_BODY, .leading = RD_BODY * 1.75, .indent = 2 * RD_BODY, .space_after = 2 };
const struct rstyle RST_SMALL = { .size = RD_SMALL };
const struct rstyle RST_NOTE = { .size = 10.5, .leading = 10.5 * 1.6, .color = &RGB_GREY, .space_after = 2 };
const struct rstyle RST_ITEM = { .size = RD_BODY, .leading = RD_BODY * 1.7, .left = 2 * RD_BODY };

const char *rcn_num(int n, char buf[32])
{
	static const char *const d[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

	if (n < 0 || n >= 100) {
		snprintf(buf, 32, "%d", n);
	} else if (n < 10) {
		snprintf(buf, 32, "%s", d[n]);
	} else {
		snprintf(buf, 32, "%s十%s", n / 10 > 1 ? d[n / 10] : "", n % 10 ? d[n % 10] : "");
	}
	return buf;
}

static const char *const anx_titles[RANX_COUNT] = {
	[RANX_SCORING] = "评分明细",
	[RANX_PROBLEMS] = "问题清单",
	[RANX_LEDGER] = "整改台账",
	[RANX_ROLLUP] = "下级单位报送情况",
};

int ranx_present(const struct rctx *c, enum ranx a)
{
	return a != RANX_ROLLUP || c->roll.present;
}

int ranx_no(const struct rctx *c, enum ranx a)
{
	int n = 0;

	for (int i = 0; i <= (int)a && i < RANX_COUNT; i++)
		n += ranx_present(c, (enum ranx)i);
	return n;
}

const char *ranx_title(enum ranx a)
{
	return a < RANX_COUNT ? anx_titles[a] : "";
}

HPDF_Outline ranx_begin(struct rctx *c, enum ranx a)
{
	struct rdoc *d = c->d;
	/* GB/T 9704 §8: 附件 on a page of its own, "附件" and its number in
	 * 三号黑体 at the top left, its title centred on the next line. */
	const struct rstyle no = { .size = RD_GW, .leading = RD_GW_LINE, .font = RF_HEI };
	const struct rstyle title = { .size = 22, .leading = 22 * 1.6, .align = RA_CENTER, .font = RF_HEI,
				      .space_after = 10 };
	char lab[32], bm[96];
	HPDF_Outline o;

	rdoc_new_page(d);
	snprintf(lab, sizeof(lab), "附件%d", ranx_no(c, a));
	snprintf(bm, sizeof(bm), "附件%d　%s", ranx_no(c, a), anx_titles[a]);
	o = rdoc_bookmark(d, NULL, bm);
	rdoc_para(d, &no, lab);
	rdoc_para(d, &title, anx_titles[a]);
	return o;
}

HPDF_Outline rhead1(struct rctx *c, HPDF_Outline parent, const char *title, double keep)
{
	const struct rstyle st = { .size = 14, .leading = 14 * 1.9, .font = RF_HEI };

	rdoc_skip(c->d, 4);
	return rdoc_heading(c->d, parent, &st, title, keep);
}

HPDF_Outline rhead2(struct rctx *c, HPDF_Outline parent, const char *title, double keep)
{
	const struct rstyle st = { .size = 13, .leading = 13 * 1.8, .font = RF_KAI };

	return rdoc_heading(c->d, parent, &st, title, keep);
}

const char *rpct(long long part, long long whole, char buf[64])
{
	char a[FMT_COUNT_SIZE], b[FMT_COUNT_SIZE];

	if (whole <= 0)
		snprintf(buf, 64, "—");
	else
		snprintf(buf, 64, "%.1f%%（%s/%s）", 100.0 * (double)part / (double)whole, fmt_count(part, a),
			 fmt_count(whole, b));
	return buf;
}

const char *rfmt_date(const char *iso, char buf[40])
{
	int y, m, dd;

	if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &dd) == 3)
		snprintf(buf, 40, "%d年%d月%d日", y, m, dd);
	else
		snprintf(buf, 40, "%s", iso ? iso : "—");
	return buf;
}

const char *rlevel_cn(enum level l)
{
	return level_label(l);
}

const char *rverdict_cn(enum verdict v)
{
	return v == VERDICT_NONE ? "未作答" : verdict_label(v);
}

const char *rseverity_cn(const char *key)
{
	int s = key ? severity_parse(key) : -1;

	return s < 0 ? "—" : severity_label((enum severity)s);
}

const char *rinventory_cn(enum inv_kind k)
{
	const struct inventory *inv = inventory_get(k);

	return inv ? inv->title : "";
}

const struct rrule *rctx_rule(const struct rctx *c, const char *id)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (!strcmp(c->rules[i].id, id))
			return &c->rules[i];
	return NULL;
}

int rctx_sql_error(struct rctx *c, sqlite3 *db, const char *what)
{
	return zj_err(c->err, "%s: %s", what, sqlite3_errmsg(db));
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return strdup(t ? (const char *)t : "");
}

/* The submission's rules, on db where it is the database schema: c->sub,
 * or the workspace's connection while the submission is being written. */
static int load_rules(struct rctx *c, sqlite3 *db, const char *schema)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	char *sql = sqlite3_mprintf("SELECT r.rule, r.title, r.message, r.method, r.article, r.bit, r.inventory,"
				    " r.severity, r.checked, r.violated, r.unknown, r.reads,"
				    " coalesce((SELECT zombie FROM \"%w\".rule_policy p WHERE p.rule = r.rule), 0),"
				    " (SELECT type FROM \"%w\".rule_policy p WHERE p.rule = r.rule) FROM \"%w\".rules r"
				    " ORDER BY r.article,"
				    "  CASE r.inventory WHEN 'apps' THEN 0 WHEN 'accounts' THEN 1 ELSE 2 END, r.bit",
				    schema, schema, schema);
	int rc;

	if (!sql)
		return zj_err(c->err, "%s", _("out of memory"));
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return rctx_sql_error(c, db, _("cannot read the submission"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct inventory *inv = inventory_by_name((const char *)sqlite3_column_text(st, 6));
		int sev = severity_parse((const char *)sqlite3_column_text(st, 7));
		struct rrule *r;

		if (!inv || sev < 0)
			continue;
		if (c->nrules == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct rrule *v = realloc(c->rules, ncap * sizeof(*v));

			if (!v)
				goto oom;
			c->rules = v;
			cap = ncap;
		}
		r = &c->rules[c->nrules];
		memset(r, 0, sizeof(*r));
		r->id = dup_col(st, 0);
		r->title = dup_col(st, 1);
		r->message = dup_col(st, 2);
		r->method = dup_col(st, 3);
		r->field_gaps = calloc(inv->ncols ? inv->ncols : 1, sizeof(*r->field_gaps));
		c->nrules++;
		if (!r->id || !r->title || !r->message || !r->method || !r->field_gaps)
			goto oom;
		r->article = sqlite3_column_int(st, 4);
		r->bit = sqlite3_column_int(st, 5);
		r->inv = inv->kind;
		r->sev = (enum severity)sev;
		r->checked = sqlite3_column_int64(st, 8);
		r->violated = sqlite3_column_int64(st, 9);
		r->unknown = sqlite3_column_int64(st, 10);
		r->reads = sqlite3_column_int64(st, 11);
		r->zombie = sqlite3_column_int(st, 12) != 0;
		r->type = policy_type_of((const char *)sqlite3_column_text(st, 13));
		c->violated += r->violated;
		c->unknown += r->unknown;
		c->sev_violated[r->inv][r->sev] += r->violated;
		c->sev_unknown[r->inv][r->sev] += r->unknown;
	}
	sqlite3_finalize(st);
	return 0;
oom:
	sqlite3_finalize(st);
	return zj_err(c->err, "%s", _("out of memory"));
}

/* ---- the findings pass ---- */

/* a is worse than b: more rules violated, then imported earlier. */
static int worse(const struct rpick *a, const struct rpick *b)
{
	return a->nviol != b->nviol ? a->nviol > b->nviol : a->sid < b->sid;
}

/* A min-heap on "worse": the root is the mildest pick, replaced first. */
static void sift_down(struct rpick *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && worse(&v[m], &v[l]))
			m = l;
		if (r < n && worse(&v[m], &v[r]))
			m = r;
		if (m == i)
			return;
		struct rpick t = v[i];

		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

static void sift_up(struct rpick *v, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!worse(&v[p], &v[i]))
			return;
		struct rpick t = v[i];

		v[i] = v[p];
		v[p] = t;
		i = p;
	}
}

static void push(struct rgroup *g, struct rpick p)
{
	g->total++;
	if (!g->cap)
		return;
	if (g->n < g->cap) {
		g->v[g->n] = p;
		sift_up(g->v, g->n++);
	} else if (worse(&p, &g->v[0])) {
		g->v[0] = p;
		sift_down(g->v, g->n, 0);
	}
}

static int cmp_worst_first(const void *a, const void *b)
{
	const struct rpick *x = a, *y = b;

	return worse(x, y) ? -1 : worse(y, x) ? 1 : 0;
}

static int popcount(unsigned long long m)
{
	return __builtin_popcountll(m);
}

static int dup_pair(struct rctx *c, size_t *cap, long long a, long long b)
{
	if (c->ndup_pairs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		long long *v = realloc(c->dup_pairs, ncap * 2 * sizeof(*v));

		if (!v)
			return -1;
		c->dup_pairs = v;
		*cap = ncap;
	}
	c->dup_pairs[2 * c->ndup_pairs] = a;
	c->dup_pairs[2 * c->ndup_pairs + 1] = b;
	c->ndup_pairs++;
	return 0;
}

/* The findings pass over the submission's subjects: the appendix's worst
 * cases per rule and state, which empty fields keep the unknowns
 * undecided, the 空壳/僵尸 count and the duplicate pairs.  It is made while
 * the submission is written (report.c hands these to submission_write_hooked),
 * so a million subjects are not read back from the file: the rules first,
 * then every subject as it is stored. */
struct rscan {
	int bit_rule[INV_COUNT][64];
	unsigned long long zombie[INV_COUNT], dup, type[PT_COUNT + 1][INV_COUNT];
	size_t dcap;
};

int rctx_scan_begin(void *ctx, sqlite3 *db, const char *schema)
{
	struct rctx *c = ctx;
	size_t quota = c->o->appendix_rows ? c->o->appendix_rows : REPORT_APPENDIX_ROWS;
	struct rscan *sc;

	if (load_rules(c, db, schema) < 0)
		return -1;
	sc = c->scan = calloc(1, sizeof(*c->scan));
	c->groups = calloc(c->nrules * 2 + 1, sizeof(*c->groups));
	if (!sc || !c->groups)
		return zj_err(c->err, "%s", _("out of memory"));
	for (int k = 0; k < INV_COUNT; k++)
		for (int b = 0; b < 64; b++)
			sc->bit_rule[k][b] = -1;
	for (size_t r = 0; r < c->nrules; r++) {
		if (c->rules[r].bit >= 0 && c->rules[r].bit < 64) {
			sc->bit_rule[c->rules[r].inv][c->rules[r].bit] = (int)r;
			if (c->rules[r].zombie)
				sc->zombie[c->rules[r].inv] |= 1ull << c->rules[r].bit;
			sc->type[c->rules[r].type][c->rules[r].inv] |= 1ull << c->rules[r].bit;
			if (c->rules[r].inv == INV_APPS && !strcmp(c->rules[r].method, "similar-apps"))
				sc->dup |= 1ull << c->rules[r].bit;
		}
		for (int u = 0; u < 2; u++) {
			struct rgroup *g = &c->groups[r * 2 + (size_t)u];

			g->rule = r;
			g->unknown = u;
			g->sev = (int)c->rules[r].sev;
			g->v = calloc(quota, sizeof(*g->v));
			if (!g->v)
				return zj_err(c->err, "%s", _("out of memory"));
			g->cap = quota;
		}
	}
	return 0;
}

int rctx_scan_subject(void *ctx, const struct submission_subject *s)
{
	struct rctx *c = ctx;
	struct rscan *sc = c->scan;
	unsigned long long v = s->violated, u = s->unknown;
	struct rpick p = { s->sid, popcount(v) };
	int k = (int)s->inventory;

	if (!sc || k < 0 || k >= INV_COUNT)
		return 0;
	if (v & sc->zombie[k])
		c->zombies++;
	for (int t = 0; t <= PT_COUNT; t++)
		c->type_subjects[t] += (v & sc->type[t][k]) != 0;
	/* sid and peer are the workspace's rowid * 4 + the inventory, as
	 * core/submission.c writes them. */
	if ((v & sc->dup) && k == INV_APPS && s->peer >= 0 &&
	    dup_pair(c, &sc->dcap, (p.sid - k) / 4, (s->peer - k) / 4) < 0)
		return -1;
	for (unsigned long long m = v | u; m; m &= m - 1) {
		int b = __builtin_ctzll(m), r = sc->bit_rule[k][b];
		int unk = !((v >> b) & 1);

		if (r < 0)
			continue;
		push(&c->groups[(size_t)r * 2 + (size_t)unk], p);
		if (unk) {
			unsigned long long f = s->nulls & (unsigned long long)c->rules[r].reads;

			for (; f; f &= f - 1)
				if ((size_t)__builtin_ctzll(f) < inventory_get((enum inv_kind)k)->ncols)
					c->rules[r].field_gaps[__builtin_ctzll(f)]++;
		}
	}
	return 0;
}

int rctx_load(struct rctx *c)
{
	const struct checklist *cl = c->cl;
	sqlite3_stmt *st;
	enum verdict *eff;
	double *art;

	if (assessment_load(c->db, cl, &c->a, c->err) < 0)
		return -1;
	/* The findings pass was made as the submission was written. */
	if (!c->scan)
		return zj_err(c->err, "%s", _("cannot read the submission"));
	free(c->scan);
	c->scan = NULL;
	for (size_t i = 0; i < c->nrules * 2; i++)
		if (c->groups[i].n > 1)	/* v is NULL while empty */
			qsort(c->groups[i].v, c->groups[i].n, sizeof(*c->groups[i].v), cmp_worst_first);
	if (rroll_load(c) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->sub, "SELECT inventory, rows, subjects FROM inventories", -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct inventory *inv = inventory_by_name((const char *)sqlite3_column_text(st, 0));

		if (!inv)
			continue;
		c->inv_rows[inv->kind] = sqlite3_column_int64(st, 1);
		c->inv_subjects[inv->kind] = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(c->sub, "SELECT status, count(*), sum(overdue) FROM rectifications GROUP BY status",
			       -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		int s = rect_status_parse((const char *)sqlite3_column_text(st, 0));

		c->rect_total += sqlite3_column_int64(st, 1);
		c->rect_overdue += sqlite3_column_int64(st, 2);
		if (s >= 0)
			c->rect_status[s] += sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);

	/* What answering 符合 would add to the total, item by item. */
	c->item_gain = calloc(cl->nitems ? cl->nitems : 1, sizeof(*c->item_gain));
	eff = calloc(cl->nitems ? cl->nitems : 1, sizeof(*eff));
	art = calloc(cl->narticles ? cl->narticles : 1, sizeof(*art));
	if (!c->item_gain || !eff || !art) {
		free(eff);
		free(art);
		return zj_err(c->err, "%s", _("out of memory"));
	}
	for (size_t i = 0; i < cl->nitems; i++)
		eff[i] = item_effective(&c->a.items[i]);
	for (size_t i = 0; i < cl->nitems; i++) {
		enum verdict keep = eff[i];
		double total;

		c->item_gain[i] = -1;
		if (keep != VERDICT_PARTIAL && keep != VERDICT_NONCOMPLIANT)
			continue;
		eff[i] = VERDICT_COMPLIANT;
		scoring_compute(cl, eff, art, &total);
		eff[i] = keep;
		if (total >= 0 && c->a.proposed_total >= 0)
			c->item_gain[i] = total - c->a.proposed_total;
	}
	free(eff);
	free(art);
	/* The body as embedded (a submission always has the four rows). */
	if (sqlite3_prepare_v2(c->sub, "SELECT section, text, source, stale FROM narratives", -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		int s = narrative_parse((const char *)sqlite3_column_text(st, 0));
		const char *src = (const char *)sqlite3_column_text(st, 2);

		if (s < 0 || c->narr[s].text)
			continue;
		c->narr[s].text = strdup(sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
		c->narr[s].inspector = src && !strcmp(src, "inspector");
		c->narr[s].stale = sqlite3_column_int(st, 3);
		if (!c->narr[s].text) {
			sqlite3_finalize(st);
			return zj_err(c->err, "%s", _("out of memory"));
		}
	}
	sqlite3_finalize(st);
	/* The audit log's head as embedded: the level above can hold the
	 * unit's next report (and its workspace) to it. */
	if (sqlite3_prepare_v2(c->sub, "SELECT key, value FROM meta WHERE key IN ('audit_head', 'audit_count', 'audit_intact')",
			       -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);

		if (!k || !v)
			continue;
		if (!strcmp(k, "audit_head"))
			snprintf(c->audit_head, sizeof(c->audit_head), "%s", v);
		else if (!strcmp(k, "audit_count"))
			snprintf(c->audit_count, sizeof(c->audit_count), "%s", v);
		else
			c->audit_intact = !strcmp(v, "1");
	}
	sqlite3_finalize(st);
	/* Gains per finding are a nicety: a workspace that cannot give them
	 * still gets its report. */
	c->gain = gain_ctx_new(c->db, c->ws, NULL);
	return 0;
}

void rctx_release(struct rctx *c)
{
	for (size_t i = 0; i < c->nrules; i++) {
		free(c->rules[i].id);
		free(c->rules[i].title);
		free(c->rules[i].message);
		free(c->rules[i].method);
		free(c->rules[i].field_gaps);
	}
	free(c->rules);
	free(c->scan);
	if (c->groups)
		for (size_t i = 0; i < c->nrules * 2; i++)
			free(c->groups[i].v);
	free(c->groups);
	free(c->dup_pairs);
	free(c->item_gain);
	for (int i = 0; i < NARR_COUNT; i++)
		free(c->narr[i].text);
	rroll_release(c);
	gain_ctx_free(c->gain);
	if (c->a.cl)
		assessment_release(&c->a);
}
