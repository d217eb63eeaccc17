/* The report's body, section by section: generated from the data, or the
 * inspector's own words (narrative.h). */
#include "core/narrative.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/inventory.h"
#include "core/rectify.h"
#include "core/region.h"
#include "core/store.h"
#include "util/fmt.h"
#include "util/hash.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"

static const char *const keys[NARR_COUNT] = { "basic", "problems", "rectification", "next" };
static const char *const titles[NARR_COUNT] = { "基本情况", "自查发现的主要问题", "整改情况", "下一步工作打算" };
static const char *const headings[NARR_COUNT] = {
	"一、基本情况", "二、自查发现的主要问题", "三、整改情况", "四、下一步工作打算",
};

const char *narrative_key(enum narrative_section s)
{
	return s < NARR_COUNT ? keys[s] : "";
}

const char *narrative_title(enum narrative_section s)
{
	return s < NARR_COUNT ? titles[s] : "";
}

const char *narrative_heading(enum narrative_section s)
{
	return s < NARR_COUNT ? headings[s] : "";
}

int narrative_parse(const char *s)
{
	static const char *const short_titles[NARR_COUNT] = { "基本情况", "主要问题", "整改情况", "下一步工作" };

	if (!s)
		return -1;
	for (int i = 0; i < NARR_COUNT; i++)
		if (!strcasecmp(s, keys[i]) || !strcmp(s, titles[i]) || !strcmp(s, headings[i]) ||
		    !strcmp(s, short_titles[i]) || (s[0] == '1' + i && !s[1]))
			return i;
	return -1;
}

/* ---- the facts the generated texts are made of ---- */

struct nrule {
	char *title;
	int article, sev;
	long long violated, unknown;
};

struct facts {
	const struct workspace *ws;
	const struct checklist *cl;
	struct assessment a;
	int have_a;
	long long rows[INV_COUNT], subj_violated[INV_COUNT];
	int imported[INV_COUNT];
	struct nrule *rules;
	size_t nrules;
	long long violated, unknown, high;
	long long verdicts[4];		/* compliant, partial, noncompliant, na (effective) */
	long long overrides;		/* answers that differ from a proposal */
	long long rect_total, rect_status[RS_COUNT], rect_overdue, rect_ready;
	/* Above the unit: what was received, and what it says of the region. */
	long long files, accepted, rejected, superseded, scored, expected;
	long long units_below, region_violated, region_rect, region_overdue;
	struct region_art {
		int article;
		long long units, violated;
	} region_top[3];
	size_t nregion_top;
	double mean;
	struct region region;		/* 辖区, beside the level's own score (本级) */
	char **missing;
	size_t nmissing;
	double *gain;			/* per item: total points if it became 符合; -1 */
};

static long long scalar_bound(sqlite3 *db, const char *sql, const char *text)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void facts_release(struct facts *f)
{
	for (size_t i = 0; i < f->nrules; i++)
		free(f->rules[i].title);
	free(f->rules);
	for (size_t i = 0; i < f->nmissing; i++)
		free(f->missing[i]);
	free(f->missing);
	free(f->gain);
	if (f->have_a)
		assessment_release(&f->a);
	memset(f, 0, sizeof(*f));
}

static int facts_rules(sqlite3 *db, struct facts *f, struct zj_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;

	if (sqlite3_prepare_v2(db, "SELECT title, article, severity, violated, unknown FROM rules"
			       " ORDER BY article, inventory, bit", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the rules of the last score"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct nrule *r;
		const char *sev = (const char *)sqlite3_column_text(st, 2);

		if (f->nrules == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct nrule *v = realloc(f->rules, ncap * sizeof(*v));

			if (!v)
				goto oom;
			f->rules = v;
			cap = ncap;
		}
		r = &f->rules[f->nrules];
		r->title = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		if (!r->title)
			goto oom;
		f->nrules++;
		r->article = sqlite3_column_int(st, 1);
		r->sev = sev ? severity_parse(sev) : -1;
		r->violated = sqlite3_column_int64(st, 3);
		r->unknown = sqlite3_column_int64(st, 4);
		f->violated += r->violated;
		f->unknown += r->unknown;
		if (r->sev == SEV_HIGH)
			f->high += r->violated;
	}
	sqlite3_finalize(st);
	return 0;
oom:
	sqlite3_finalize(st);
	return zj_err(err, "%s", _("out of memory"));
}

static int facts_received(sqlite3 *db, struct facts *f, struct zj_error *err)
{
	sqlite3_stmt *st, *q;
	size_t cap = 0;

	f->mean = -1;
	if (f->ws->level == LEVEL_UNIT)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(status = 'accepted'), 0),"
			       " coalesce(sum(status = 'rejected'), 0), coalesce(sum(status = 'superseded'), 0),"
			       " coalesce(sum(status = 'accepted' AND total IS NOT NULL), 0),"
			       " avg(CASE WHEN status = 'accepted' THEN total END) FROM submissions",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read what was received"));
	if (sqlite3_step(st) == SQLITE_ROW) {
		f->files = sqlite3_column_int64(st, 0);
		f->accepted = sqlite3_column_int64(st, 1);
		f->rejected = sqlite3_column_int64(st, 2);
		f->superseded = sqlite3_column_int64(st, 3);
		f->scored = sqlite3_column_int64(st, 4);
		if (sqlite3_column_type(st, 5) != SQLITE_NULL)
			f->mean = sqlite3_column_double(st, 5);
	}
	sqlite3_finalize(st);
	/* The region as the accepted reports describe it, everything below
	 * them included (the merged_* figures). */
	if (sqlite3_prepare_v2(db, "SELECT coalesce(sum(max(coalesce(merged_units, 1), 1)), 0),"
			       " coalesce(sum(coalesce(merged_violated, violated, 0)), 0),"
			       " coalesce(sum(coalesce(merged_rectifications, rectifications, 0)), 0),"
			       " coalesce(sum(coalesce(merged_overdue, overdue, 0)), 0)"
			       " FROM submissions WHERE status = 'accepted'", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read what was received"));
	if (sqlite3_step(st) == SQLITE_ROW) {
		f->units_below = sqlite3_column_int64(st, 0);
		f->region_violated = sqlite3_column_int64(st, 1);
		f->region_rect = sqlite3_column_int64(st, 2);
		f->region_overdue = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT r.article, sum(r.units_violating), sum(r.violated) FROM received_articles r"
			       " JOIN submissions s ON s.id = r.submission WHERE s.status = 'accepted'"
			       " GROUP BY r.article HAVING sum(r.violated) > 0 ORDER BY 2 DESC, 3 DESC, 1 LIMIT 3",
			       -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read what was received"));
	while (sqlite3_step(st) == SQLITE_ROW && f->nregion_top < 3) {
		f->region_top[f->nregion_top].article = sqlite3_column_int(st, 0);
		f->region_top[f->nregion_top].units = sqlite3_column_int64(st, 1);
		f->region_top[f->nregion_top].violated = sqlite3_column_int64(st, 2);
		f->nregion_top++;
	}
	sqlite3_finalize(st);
	/* Expected units with nothing accepted for this period, matched as
	 * `zhijian submissions` matches them. */
	if (sqlite3_prepare_v2(db, "SELECT unit, code FROM expected_units ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the expected units"));
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM submissions WHERE status = 'accepted' AND period IS ?3"
			       " AND (unit = ?1 OR (?2 IS NOT NULL AND code = ?2)) LIMIT 1", -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return store_error(db, err, _("cannot read what was received"));
	}
	sqlite3_bind_text(q, 3, f->ws->period, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *unit = (const char *)sqlite3_column_text(st, 0);
		int found;

		f->expected++;
		sqlite3_bind_text(q, 1, unit, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, (const char *)sqlite3_column_text(st, 1), -1, SQLITE_TRANSIENT);
		found = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_reset(q);
		if (found)
			continue;
		if (f->nmissing == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			char **v = realloc(f->missing, ncap * sizeof(*v));

			if (!v)
				goto oom;
			f->missing = v;
			cap = ncap;
		}
		if (!(f->missing[f->nmissing] = strdup(unit ? unit : "")))
			goto oom;
		f->nmissing++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(q);
	return 0;
oom:
	sqlite3_finalize(st);
	sqlite3_finalize(q);
	return zj_err(err, "%s", _("out of memory"));
}

static int facts_load(sqlite3 *db, const struct workspace *ws, const long long *subj_violated, struct facts *f,
		      struct zj_error *err)
{
	const struct checklist *cl = ws->cl;
	sqlite3_stmt *st;
	enum verdict *eff;
	double *art;

	memset(f, 0, sizeof(*f));
	f->ws = ws;
	f->cl = cl;
	if (assessment_load(db, cl, &f->a, err) < 0)
		return -1;
	f->have_a = 1;
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		char *sql = sqlite3_mprintf("SELECT count(*) FROM %s", inv->table);

		f->rows[k] = sql ? scalar_bound(db, sql, NULL) : -1;
		sqlite3_free(sql);
		f->imported[k] = scalar_bound(db, "SELECT 1 FROM imports WHERE inventory = ? AND rows IS NOT NULL LIMIT 1",
					      inv->name) == 1;
		if (f->rows[k] < 0)
			return store_error(db, err, _("cannot count the inventories"));
	}
	if (subj_violated) {
		memcpy(f->subj_violated, subj_violated, sizeof(f->subj_violated));
	} else {
		if (sqlite3_prepare_v2(db, "SELECT inventory, count(*) FROM findings WHERE violated <> 0 GROUP BY inventory",
				       -1, &st, NULL) != SQLITE_OK)
			return store_error(db, err, _("cannot read the findings"));
		while (sqlite3_step(st) == SQLITE_ROW) {
			int k = sqlite3_column_int(st, 0);

			if (k >= 0 && k < INV_COUNT)
				f->subj_violated[k] = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	if (facts_rules(db, f, err) < 0)
		return -1;
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct item_status *s = &f->a.items[i];
		enum verdict v = item_effective(s);

		if (v >= VERDICT_COMPLIANT && v <= VERDICT_NA)
			f->verdicts[v - VERDICT_COMPLIANT]++;
		if (s->answer != VERDICT_NONE && s->proposal != VERDICT_NONE && s->answer != s->proposal)
			f->overrides++;
	}
	/* Overdue as the ledger counts it: before today, not done. */
	if (sqlite3_prepare_v2(db, "SELECT status, count(*), coalesce(sum(deadline IS NOT NULL AND deadline < ?1"
			       " AND status NOT IN ('done','verified','cancelled')), 0), coalesce(sum(ready), 0)"
			       " FROM rectifications GROUP BY status", -1, &st, NULL) != SQLITE_OK)
		return store_error(db, err, _("cannot read the rectification ledger"));
	sqlite3_bind_text(st, 1, ws->today, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int s = rect_status_parse((const char *)sqlite3_column_text(st, 0));
		long long n = sqlite3_column_int64(st, 1);

		f->rect_total += n;
		if (s >= 0)
			f->rect_status[s] += n;
		f->rect_overdue += sqlite3_column_int64(st, 2);
		if (s == RS_PENDING || s == RS_IN_PROGRESS || s == RS_DONE)
			f->rect_ready += sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (facts_received(db, f, err) < 0 || region_load(db, f->ws, &f->region, err) < 0)
		return -1;

	/* What answering 符合 would add to the total, item by item. */
	f->gain = calloc(cl->nitems ? cl->nitems : 1, sizeof(*f->gain));
	eff = calloc(cl->nitems ? cl->nitems : 1, sizeof(*eff));
	art = calloc(cl->narticles ? cl->narticles : 1, sizeof(*art));
	if (!f->gain || !eff || !art) {
		free(eff);
		free(art);
		return zj_err(err, "%s", _("out of memory"));
	}
	for (size_t i = 0; i < cl->nitems; i++)
		eff[i] = item_effective(&f->a.items[i]);
	for (size_t i = 0; i < cl->nitems; i++) {
		enum verdict keep = eff[i];
		double total;

		f->gain[i] = -1;
		if (keep != VERDICT_PARTIAL && keep != VERDICT_NONCOMPLIANT)
			continue;
		eff[i] = VERDICT_COMPLIANT;
		scoring_compute(cl, eff, art, &total);
		eff[i] = keep;
		if (total >= 0 && f->a.proposed_total >= 0)
			f->gain[i] = total - f->a.proposed_total;
	}
	free(eff);
	free(art);
	return 0;
}

/* ---- writing ---- */

static const char *cn_num(int n, char buf[32])
{
	static const char *const d[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

	if (n < 0 || n >= 100)
		snprintf(buf, 32, "%d", n);
	else if (n < 10)
		snprintf(buf, 32, "%s", d[n]);
	else
		snprintf(buf, 32, "%s十%s", n / 10 > 1 ? d[n / 10] : "", n % 10 ? d[n % 10] : "");
	return buf;
}

static const char *cn_date(const char *iso, char buf[40])
{
	int y, m, d;

	if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(buf, 40, "%d年%d月%d日", y, m, d);
	else
		snprintf(buf, 40, "%s", iso ? iso : "");
	return buf;
}

/* A title quoted inside “…”: its own double quotes become single ones. */
static void add_quoted(struct strbuf *sb, const char *s)
{
	sb_adds(sb, "“");
	for (; s && *s; s++) {
		if (!strncmp(s, "“", 3)) {
			sb_adds(sb, "‘");
			s += 2;
		} else if (!strncmp(s, "”", 3)) {
			sb_adds(sb, "’");
			s += 2;
		} else {
			sb_add(sb, s, 1);
		}
	}
	sb_adds(sb, "”");
}

/* "83个，占153个的54.2%": a share always with what it is a share of. */
static void add_share(struct strbuf *sb, long long part, long long whole, const char *unit, const char *of)
{
	char b1[FMT_COUNT_SIZE], b2[FMT_COUNT_SIZE];

	sb_addf(sb, "%s%s", fmt_count(part, b1), unit);
	if (whole > 0)
		sb_addf(sb, "，占%s%s%s的%.1f%%", of, fmt_count(whole, b2), unit, 100.0 * (double)part / (double)whole);
}

static void gen_basic(const struct facts *f, struct strbuf *sb)
{
	const struct workspace *ws = f->ws;
	const struct checklist *cl = f->cl;
	const char *grade = scoring_grade(cl, f->a.total);
	char b1[40], b2[FMT_COUNT_SIZE], b3[FMT_COUNT_SIZE];
	int nimp = 0;

	/* 《意见》: the report's opening sentence names the Opinions in full. */
	sb_addf(sb, "按照《意见》要求，本单位以%s为评估基准日，对照《意见》%zu个部分%zu条、%zu个检查项，"
		"对本单位政务应用程序、政务公众账号和工作群组的建设、使用和管理情况开展%s自查。",
		cn_date(ws->as_of, b1), cl->nparts, cl->narticles, cl->nitems, ws->period && *ws->period ? ws->period : "");
	for (int k = 0; k < INV_COUNT; k++)
		nimp += f->imported[k];
	if (nimp) {
		int first = 1;

		sb_adds(sb, "共摸排");
		for (int k = 0; k < INV_COUNT; k++) {
			if (!f->imported[k])
				continue;
			sb_addf(sb, "%s%s%s个", first ? "" : "、", inventory_get((enum inv_kind)k)->title,
				fmt_count(f->rows[k], b2));
			first = 0;
		}
		sb_addf(sb, "，逐一对照%zu条核查规则进行核查", cl->nrules);
		if (nimp < INV_COUNT) {
			first = 1;
			sb_adds(sb, "；");
			for (int k = 0; k < INV_COUNT; k++) {
				if (f->imported[k])
					continue;
				sb_addf(sb, "%s%s", first ? "" : "、", inventory_get((enum inv_kind)k)->title);
				first = 0;
			}
			sb_adds(sb, "清单未纳入本次核查");
		}
		sb_adds(sb, "。");
	} else {
		sb_adds(sb, "本次未导入政务应用程序、政务公众账号和工作群组清单，各检查项由检查人员逐项核查作答。");
	}
	sb_adds(sb, "\n");

	if (f->a.pending || f->a.open) {
		sb_addf(sb, "%zu个检查项中，检查人员已确认%zu项，尚有%zu项仅有规则建议、%zu项未作答。", cl->nitems, f->a.answered,
			f->a.pending, f->a.open);
	} else {
		sb_addf(sb, "%zu个检查项均已由检查人员逐项确认", cl->nitems);
		if (f->overrides)
			sb_addf(sb, "，其中%lld项改变了规则建议的结论并写明了理由", f->overrides);
		sb_adds(sb, "。");
	}
	if (!f->a.assessed) {
		sb_addf(sb, "%s尚未评估（尚无检查人员确认的检查项），未形成自查得分。", f->region.present ? "本级" : "");
	} else if (f->a.total >= 0) {
		sb_addf(sb, "按检查项加权计分，%s自查得分%s分，等次为“%s”", f->region.present ? "本级" : "",
			fmt_score(f->a.total, b2), grade ? grade : "—");
		if (f->a.pending || f->a.open)
			sb_adds(sb, "（暂定）");
		sb_addf(sb, "。结论为“符合”的%lld项、“基本符合”的%lld项、“不符合”的%lld项、“不适用”的%lld项。", f->verdicts[0],
			f->verdicts[1], f->verdicts[2], f->verdicts[3]);
	} else {
		sb_adds(sb, "目前尚无可计分的检查项结论，未形成自查得分。");
	}

	if (ws->level != LEVEL_UNIT && (f->files || f->expected)) {
		sb_adds(sb, "\n");
		sb_addf(sb, "本级共收到下级单位报送的自查报告%s份，经核验接收%s份、退回%s份", fmt_count(f->files, b2),
			fmt_count(f->accepted, b3), fmt_count(f->rejected, b1));
		if (f->superseded)
			sb_addf(sb, "，另有%s份被同一单位重新报送的报告替代", fmt_count(f->superseded, b2));
		if (f->expected) {
			sb_addf(sb, "；应报送的%s个单位中，", fmt_count(f->expected, b2));
			if (f->nmissing) {
				sb_addf(sb, "%zu个尚未报送（", f->nmissing);
				for (size_t i = 0; i < f->nmissing && i < 5; i++)
					sb_addf(sb, "%s%s", i ? "、" : "", f->missing[i]);
				if (f->nmissing > 5)
					sb_addf(sb, "等%zu个单位", f->nmissing);
				sb_adds(sb, "）");
			} else {
				sb_adds(sb, "均已报送");
			}
		}
		sb_adds(sb, "。");
		if (f->mean >= 0)
			sb_addf(sb, "已接收的%s份报告中%s份有总分，平均得分%s分。", fmt_count(f->accepted, b2),
				fmt_count(f->scored, b3), fmt_score(f->mean, b1));
	}
	/* 辖区 beside 本级: a region of poor units never reads as the
	 * excellent score of the office that receives them. */
	if (f->region.present && f->region.scored) {
		const struct region *r = &f->region;
		const char *rg = region_grade(ws, r);
		char d[40];

		(void)b1;
		sb_addf(sb, "其平均得分的等次为“%s”", rg ? rg : "—");
		if (r->scored > 1)
			sb_addf(sb, "（最低%s分，最高%s分）", fmt_score(r->min, b2), fmt_score(r->max, b3));
		sb_addf(sb, "，以%s计逾期未完成整改%s项。", cn_date(r->today, d), fmt_count(r->overdue, b3));
	}
}

struct art_rank {
	int article;
	long long violated, high, unknown;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct art_rank *x = a, *y = b;

	if (x->high != y->high)
		return x->high < y->high ? 1 : -1;
	if (x->violated != y->violated)
		return x->violated < y->violated ? 1 : -1;
	return x->article - y->article;
}

static void gen_problems(const struct facts *f, struct strbuf *sb)
{
	const struct checklist *cl = f->cl;
	struct art_rank *rank = calloc(cl->narticles + 1, sizeof(*rank));
	long long rows = 0, subj = 0;
	size_t nr = 0;
	char b1[FMT_COUNT_SIZE], b2[FMT_COUNT_SIZE], n[32];

	for (int k = 0; k < INV_COUNT; k++) {
		if (!f->imported[k])
			continue;
		rows += f->rows[k];
		subj += f->subj_violated[k];
	}
	/* Above the unit, the region first: what the units' reports found. */
	if (f->ws->level != LEVEL_UNIT && f->accepted) {
		sb_addf(sb, "辖区方面，已接收的%s份报告（涉及单位%s个）规则核查共发现问题%s项", fmt_count(f->accepted, b1),
			fmt_count(f->units_below, b2), fmt_count(f->region_violated, n));
		for (size_t i = 0; i < f->nregion_top; i++) {
			const struct cl_article *art = checklist_article(cl, f->region_top[i].article);

			sb_adds(sb, i ? "、" : "，问题最集中的是");
			sb_addf(sb, "第%s条", cn_num(f->region_top[i].article, n));
			if (art)
				add_quoted(sb, art->title);
			sb_addf(sb, "（%s个单位，%s项）", fmt_count(f->region_top[i].units, b1),
				fmt_count(f->region_top[i].violated, b2));
		}
		sb_adds(sb, "。\n本级方面，");
	}
	if (!f->a.scored || !rows) {
		sb_adds(sb, rows ? "清单导入后尚未开展规则核查。"
			: f->ws->level != LEVEL_UNIT && f->accepted ? "未导入清单，未开展规则核查。"
			: "本次未导入清单，未开展规则核查。");
	} else if (f->violated) {
		sb_addf(sb, "规则核查共发现问题%s项（每个对象违反一条规则计一项），涉及对象", fmt_count(f->violated, b1));
		add_share(sb, subj, rows, "个", "摸排对象");
		sb_addf(sb, "；其中高风险问题%s项", fmt_count(f->high, b2));
		if (f->unknown)
			sb_addf(sb, "；另有%s项因数据缺失无法判定，需进一步核实", fmt_count(f->unknown, b1));
		sb_adds(sb, "。");
	} else {
		sb_adds(sb, "规则核查未发现违反《意见》规定的问题");
		if (f->unknown)
			sb_addf(sb, "，但有%s项因数据缺失无法判定，需进一步核实", fmt_count(f->unknown, b1));
		sb_adds(sb, "。");
	}
	if (f->a.total >= 0)
		sb_addf(sb, "检查项中，结论为“不符合”的%lld项、“基本符合”的%lld项。", f->verdicts[2], f->verdicts[1]);

	/* The articles with violations, the worst first: most high-severity
	 * violations, then most violations. */
	if (rank) {
		for (size_t a = 0; a < cl->narticles; a++) {
			struct art_rank r = { cl->articles[a].no, 0, 0, 0 };

			for (size_t i = 0; i < f->nrules; i++)
				if (f->rules[i].article == r.article) {
					r.violated += f->rules[i].violated;
					r.unknown += f->rules[i].unknown;
					if (f->rules[i].sev == SEV_HIGH)
						r.high += f->rules[i].violated;
				}
			if (r.violated)
				rank[nr++] = r;
		}
		qsort(rank, nr, sizeof(*rank), cmp_rank);
	}
	if (nr) {
		size_t shown = nr < 6 ? nr : 5;

		sb_addf(sb, "按条款看，问题集中在以下%zu个方面：", shown);
		for (size_t i = 0; i < shown; i++) {
			const struct cl_article *art = checklist_article(cl, rank[i].article);
			sb_addf(sb, "\n（%s）", cn_num((int)i + 1, n));
			sb_addf(sb, "第%s条", cn_num(rank[i].article, n));
			if (art)
				add_quoted(sb, art->title);
			sb_addf(sb, "方面。发现问题%s项", fmt_count(rank[i].violated, b1));
			if (rank[i].high)
				sb_addf(sb, "，其中高风险%s项", fmt_count(rank[i].high, b2));
			sb_adds(sb, "，主要是");
			/* Its rules with violations, the most first (at most 3;
			 * ties in the checklist's order). */
			{
				const struct nrule **pick = calloc(f->nrules + 1, sizeof(*pick));
				size_t np = 0;

				for (size_t k = 0; pick && k < f->nrules; k++)
					if (f->rules[k].article == rank[i].article && f->rules[k].violated)
						pick[np++] = &f->rules[k];
				for (size_t x = 1; x < np; x++)
					for (size_t y = x; y > 0 && pick[y]->violated > pick[y - 1]->violated; y--) {
						const struct nrule *t = pick[y];

						pick[y] = pick[y - 1];
						pick[y - 1] = t;
					}
				for (size_t x = 0; x < np && x < 3; x++) {
					sb_adds(sb, x ? "、" : "");
					add_quoted(sb, pick[x]->title);
					sb_addf(sb, "%s项", fmt_count(pick[x]->violated, b1));
				}
				if (np > 3)
					sb_adds(sb, "等");
				free(pick);
			}
			if (art && f->a.article_score[art->no - 1] >= 0)
				sb_addf(sb, "；本条得分%s分", fmt_score(f->a.article_score[art->no - 1], b1));
			sb_adds(sb, "。");
		}
		if (nr > shown) {
			long long rest = 0;

			for (size_t i = shown; i < nr; i++)
				rest += rank[i].violated;
			sb_addf(sb, "\n此外，其他%zu条共发现问题%s项。", nr - shown, fmt_count(rest, b1));
		}
	}
	free(rank);
}

static void gen_rectification(const struct facts *f, struct strbuf *sb)
{
	char b1[FMT_COUNT_SIZE], b2[40];
	long long done = f->rect_status[RS_DONE] + f->rect_status[RS_VERIFIED];

	if (f->ws->level != LEVEL_UNIT && f->accepted) {
		sb_addf(sb, "辖区方面，已接收的报告共登记整改事项%s项，逾期未完成", fmt_count(f->region_rect, b1));
		add_share(sb, f->region_overdue, f->region_rect, "项", "整改事项");
		sb_adds(sb, "。\n本级方面，");
	}
	if (!f->rect_total) {
		sb_adds(sb, "本单位尚未建立整改台账。");
		if (f->violated)
			sb_addf(sb, "对规则核查发现的%s项问题，将逐项明确整改措施、责任单位、责任人和整改时限。",
				fmt_count(f->violated, b1));
		return;
	}
	sb_addf(sb, "针对自查发现的问题，本单位建立整改台账，共登记整改事项%s项，逐项明确整改措施、责任单位、责任人和整改时限。",
		fmt_count(f->rect_total, b1));
	sb_addf(sb, "目前，已完成整改");
	add_share(sb, done, f->rect_total, "项", "整改事项");
	sb_addf(sb, "（其中经验证销号%lld项），正在整改%lld项，尚未开始整改%lld项", f->rect_status[RS_VERIFIED],
		f->rect_status[RS_IN_PROGRESS], f->rect_status[RS_PENDING]);
	if (f->rect_status[RS_CANCELLED])
		sb_addf(sb, "，取消%lld项", f->rect_status[RS_CANCELLED]);
	sb_adds(sb, "。");
	if (f->rect_overdue)
		sb_addf(sb, "以%s计，逾期未完成%lld项。", cn_date(f->ws->today, b2), f->rect_overdue);
	else
		sb_addf(sb, "以%s计，没有逾期未完成的整改事项。", cn_date(f->ws->today, b2));
	if (f->rect_ready)
		sb_addf(sb, "复评已不再发现问题、待验证销号的%lld项。", f->rect_ready);
}

struct gain_pick {
	size_t item;
	double gain;
};

static int cmp_gain(const void *a, const void *b)
{
	const struct gain_pick *x = a, *y = b;

	return x->gain < y->gain ? 1 : x->gain > y->gain ? -1 : (x->item > y->item) - (x->item < y->item);
}

static void gen_next(const struct facts *f, struct strbuf *sb)
{
	const struct checklist *cl = f->cl;
	long long open = f->rect_status[RS_PENDING] + f->rect_status[RS_IN_PROGRESS];
	struct gain_pick *g = calloc(cl->nitems + 1, sizeof(*g));
	size_t ng = 0;
	int no = 0;
	char n[32], b1[FMT_COUNT_SIZE];

	if (g) {
		for (size_t i = 0; i < cl->nitems; i++)
			if (f->gain[i] > 0.005)
				g[ng++] = (struct gain_pick){ i, f->gain[i] };
		qsort(g, ng, sizeof(*g), cmp_gain);
	}
	if (open || f->violated) {
		sb_addf(sb, "（%s）持续抓好问题整改。", cn_num(++no, n));
		if (open) {
			sb_addf(sb, "对尚未完成的%s项整改事项，按台账明确的措施和时限逐项推进、逐项销号", fmt_count(open, b1));
			if (f->rect_overdue)
				sb_addf(sb, "；对逾期未完成的%lld项，逐项查明原因，督促限期完成", f->rect_overdue);
			sb_adds(sb, "。");
		} else {
			sb_adds(sb, "对规则核查发现的问题，逐项建立整改台账，明确整改措施、责任单位、责任人和整改时限，逐项推进、逐项销号。");
		}
		if (ng) {
			sb_adds(sb, "优先推动检查项");
			for (size_t i = 0; i < ng && i < 3; i++)
				sb_addf(sb, "%s%s", i ? "、" : "", cl->items[g[i].item].id);
			sb_adds(sb, "所涉问题的整改，整改到位后自查得分可分别提高");
			for (size_t i = 0; i < ng && i < 3; i++)
				sb_addf(sb, "%s%.1f分", i ? "、" : "", g[i].gain);
			sb_adds(sb, "。");
		}
		sb_adds(sb, "\n");
	}
	if (f->ws->level != LEVEL_UNIT && (f->nmissing || f->region_violated || f->region_overdue)) {
		sb_addf(sb, "（%s）督促指导辖区单位。", cn_num(++no, n));
		if (f->nmissing)
			sb_addf(sb, "督促尚未报送的%zu个单位尽快报送自查报告；", f->nmissing);
		if (f->nregion_top) {
			const struct cl_article *art = checklist_article(cl, f->region_top[0].article);

			sb_addf(sb, "针对辖区问题最集中的第%s条", cn_num(f->region_top[0].article, n));
			if (art)
				add_quoted(sb, art->title);
			sb_adds(sb, "等方面，加强指导、督促整改；");
		}
		if (f->region_overdue)
			sb_addf(sb, "对辖区逾期未完成的%s项整改事项逐项督办；", fmt_count(f->region_overdue, b1));
		/* The last "；" becomes "。". */
		if (sb->len >= 3 && !strcmp(sb->p + sb->len - 3, "；")) {
			sb->len -= 3;
			sb->p[sb->len] = '\0';
		}
		sb_adds(sb, "。\n");
	}
	if (f->unknown) {
		sb_addf(sb, "（%s）补充核实存疑数据。对因数据缺失无法判定的%s项，组织有关单位补充核实相关信息后重新核查，"
			"数据缺失的情形不视为符合。\n", cn_num(++no, n), fmt_count(f->unknown, b1));
	}
	sb_addf(sb, "（%s）健全长效工作机制。压实主体责任，常态化开展政务应用程序、政务公众账号和工作群组摸排，"
		"及时清理整合，防止“指尖上的形式主义”反弹回潮和隐形变异。", cn_num(++no, n));
	free(g);
}

static int generate(const struct facts *f, enum narrative_section s, char **out, struct zj_error *err)
{
	struct strbuf sb = { 0 };

	switch (s) {
	case NARR_BASIC: gen_basic(f, &sb); break;
	case NARR_PROBLEMS: gen_problems(f, &sb); break;
	case NARR_RECTIFICATION: gen_rectification(f, &sb); break;
	case NARR_NEXT: gen_next(f, &sb); break;
	case NARR_COUNT: break;
	}
	if (!sb.p) {
		sb_release(&sb);
		return zj_err(err, "%s", _("out of memory"));
	}
	*out = sb.p;
	return 0;
}

/* ---- stored ---- */

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

void narrative_release(struct narrative v[NARR_COUNT])
{
	for (int i = 0; i < NARR_COUNT; i++) {
		free(v[i].generated);
		free(v[i].text);
		free(v[i].updated_at);
		free(v[i].updated_by);
		memset(&v[i], 0, sizeof(v[i]));
	}
}

int narrative_load(sqlite3 *db, const struct workspace *ws, struct narrative out[NARR_COUNT],
		   struct zj_error *err)
{
	return narrative_load_counted(db, ws, NULL, out, err);
}

int narrative_load_counted(sqlite3 *db, const struct workspace *ws, const long long *subj_violated,
			   struct narrative out[NARR_COUNT], struct zj_error *err)
{
	struct facts f;
	sqlite3_stmt *st;

	memset(out, 0, NARR_COUNT * sizeof(*out));
	if (facts_load(db, ws, subj_violated, &f, err) < 0) {
		facts_release(&f);
		return -1;
	}
	for (int i = 0; i < NARR_COUNT; i++)
		if (generate(&f, (enum narrative_section)i, &out[i].generated, err) < 0) {
			facts_release(&f);
			narrative_release(out);
			return -1;
		}
	facts_release(&f);
	if (sqlite3_prepare_v2(db, "SELECT section, text, generated_sha256, updated_at, updated_by FROM narratives",
			       -1, &st, NULL) != SQLITE_OK) {
		narrative_release(out);
		return store_error(db, err, _("cannot read the report's sections"));
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int s = narrative_parse((const char *)sqlite3_column_text(st, 0));
		const char *h = (const char *)sqlite3_column_text(st, 2);
		char now[HASH_HEX_SIZE];

		if (s < 0 || out[s].text)
			continue;
		out[s].text = col_dup(st, 1);
		out[s].updated_at = col_dup(st, 3);
		out[s].updated_by = col_dup(st, 4);
		if (hash_sha256_hex(out[s].generated, strlen(out[s].generated), now) == 0)
			out[s].stale = !h || strcmp(h, now) != 0;
	}
	sqlite3_finalize(st);
	return 0;
}

int narrative_check(const char *text, struct zj_error *err)
{
	size_t n = text ? strlen(text) : 0;
	const char *p;

	if (n > NARRATIVE_MAX)
		return zj_err(err, _("the text is %zu bytes long; a section holds at most %d"), n, NARRATIVE_MAX);
	if (!utf8_valid(text ? text : "", n, NULL))
		return zj_err(err, "%s", _("the text is not valid UTF-8 (save it as UTF-8)"));
	for (p = text; p && *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
			return zj_err(err, _("the text holds a control character (byte %zu)"), (size_t)(p - text) + 1);
	for (p = text; p && *p; p++)
		if (!strchr(" \t\r\n", *p) && strncmp(p, "\u3000", 3))
			return 0;
	return zj_err(err, "%s", _("the text is empty"));
}

/* The text as stored: CRLF and CR become LF, trailing blanks of lines and
 * blank lines at both ends go (so a file from Windows or an editor's final
 * newline is no difference). */
static char *normalise(const char *text)
{
	size_t n = strlen(text), o = 0;
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = text[i];

		if (c == '\r') {
			if (i + 1 < n && text[i + 1] == '\n')
				continue;
			c = '\n';
		}
		if (c == '\n')
			while (o > 0 && (s[o - 1] == ' ' || s[o - 1] == '\t'))
				o--;
		s[o++] = c;
	}
	while (o > 0 && strchr(" \t\n", s[o - 1]))
		o--;
	s[o] = '\0';
	{
		size_t lead = strspn(s, "\n");

		memmove(s, s + lead, o - lead + 1);
	}
	return s;
}

int narrative_save(sqlite3 *db, const struct workspace *ws, enum narrative_section s, const char *text,
		   int *changed, struct zj_error *err)
{
	struct narrative v[NARR_COUNT];
	char hex[HASH_HEX_SIZE];
	sqlite3_stmt *st = NULL;
	char *norm = NULL, now[21];
	int what = 0, rc = -1;

	if (changed)
		*changed = 0;
	if (s >= NARR_COUNT)
		return zj_err(err, "%s", _("no such section"));
	if (text && narrative_check(text, err) < 0)
		return -1;
	if (text && !(norm = normalise(text)))
		return zj_err(err, "%s", _("out of memory"));
	if (store_begin(db, err) < 0) {
		free(norm);
		return -1;
	}
	/* The generated text read inside the transaction, so the hash is that
	 * of the data the person saw when nobody writes in between. */
	if (narrative_load(db, ws, v, err) < 0)
		goto out;
	if (norm && !strcmp(norm, v[s].generated)) {
		free(norm);
		norm = NULL;
	}
	if (!norm) {
		if (!v[s].text) {
			rc = 0;
			goto out;
		}
		if (sqlite3_prepare_v2(db, "DELETE FROM narratives WHERE section = ?", -1, &st, NULL) != SQLITE_OK)
			goto sqlerr;
		sqlite3_bind_text(st, 1, keys[s], -1, SQLITE_STATIC);
		what = 2;
	} else {
		if (hash_sha256_hex(v[s].generated, strlen(v[s].generated), hex) < 0) {
			zj_err(err, "%s", _("cannot hash the generated text"));
			goto out;
		}
		store_now(now);
		if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO narratives (section, text, generated_sha256, updated_at,"
				       " updated_by) VALUES (?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
			goto sqlerr;
		sqlite3_bind_text(st, 1, keys[s], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, norm, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, store_user(), -1, SQLITE_STATIC);
		what = 1;
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlerr;
	if (what == 1) {
		char th[HASH_HEX_SIZE];

		hash_sha256_hex(norm, strlen(norm), th);
		if (audit_appendf(db, err, "narrative", "%s (%s): %zu bytes written, sha256 %s%s", keys[s], titles[s],
				  strlen(norm), th, v[s].text && !strcmp(v[s].text, norm) ? ", unchanged (confirmed)" : "") < 0)
			goto out;
	} else if (audit_appendf(db, err, "narrative", "%s (%s): back to the generated text", keys[s], titles[s]) < 0) {
		goto out;
	}
	if (store_commit(db, err) < 0)
		goto out;
	if (changed)
		*changed = what;
	rc = 0;
	goto out;
sqlerr:
	store_error(db, err, _("cannot record the report's section"));
out:
	if (rc < 0 || what == 0)
		store_rollback(db);
	sqlite3_finalize(st);
	narrative_release(v);
	free(norm);
	return rc;
}
