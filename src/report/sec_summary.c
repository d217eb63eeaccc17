/* 一 总体情况 (the summary) and 二 评分方法与口径 (how the score is made). */
#include "report/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/table.h"
#include "util/strbuf.h"

static void score_box(struct rctx *c)
{
	struct rdoc *d = c->d;
	const char *grade = scoring_grade(c->cl, c->a.total);
	double h = 62, top;
	char b[32], line[256];

	rdoc_need(d, h + 10);
	top = d->y - 4;
	rdoc_fill_rect(d, RD_LEFT, top - h, RD_WIDTH, h, &(struct rgb){ 0.95f, 0.96f, 0.98f });
	rdoc_stroke_rect(d, RD_LEFT, top - h, RD_WIDTH, h, 0.8, &RGB_ACCENT);
	rdoc_text(d, RD_LEFT + 16, top - 22, RD_BODY, "总　分", 0, RA_LEFT, &RGB_GREY, 0);
	rdoc_text(d, RD_LEFT + 16, top - 50, 24, fmt_score(c->a.total, b), 0, RA_LEFT, &RGB_ACCENT, 1);
	rdoc_text(d, RD_LEFT + 16 + rdoc_width(d, fmt_score(c->a.total, b), 24) + 4, top - 50, RD_BODY,
		  c->a.total >= 0 ? "分" : "（未评分）", 0, RA_LEFT, NULL, 0);
	rdoc_text(d, RD_LEFT + 150, top - 22, RD_BODY, "等　级", 0, RA_LEFT, &RGB_GREY, 0);
	rdoc_text(d, RD_LEFT + 150, top - 50, 20, grade ? grade : "—", 90, RA_LEFT, &RGB_ACCENT, 1);
	rdoc_text(d, RD_LEFT + 260, top - 22, RD_BODY, "检查项", 0, RA_LEFT, &RGB_GREY, 0);
	snprintf(line, sizeof(line), "共 %zu 项：已确认 %zu，待确认 %zu，未作答 %zu", c->cl->nitems,
		 c->a.answered, c->a.pending, c->a.open);
	rdoc_text(d, RD_LEFT + 260, top - 38, RD_SMALL, line, RD_WIDTH - 270, RA_LEFT, NULL, 0);
	snprintf(line, sizeof(line), "%s", c->a.pending || c->a.open ? "得分为暂定分（尚有检查项未确认）"
		 : "全部检查项均已确认");
	rdoc_text(d, RD_LEFT + 260, top - 52, RD_SMALL, line, RD_WIDTH - 270, RA_LEFT,
		  c->a.pending || c->a.open ? &RGB_RED : NULL, 0);
	d->y = top - h - 10;
}

static void chart(struct rctx *c)
{
	const struct checklist *cl = c->cl;
	struct chart_bar *bars = calloc(cl->narticles ? cl->narticles : 1, sizeof(*bars));
	struct chart_band *bands = calloc(cl->ngrades ? cl->ngrades : 1, sizeof(*bands));
	char **labels = calloc(cl->narticles ? cl->narticles : 1, sizeof(*labels));

	if (bars && bands && labels) {
		for (size_t i = 0; i < cl->narticles; i++) {
			char n[32];
			struct strbuf sb = { 0 };

			sb_addf(&sb, "第%s条 %s", rcn_num(cl->articles[i].no, n), cl->articles[i].title);
			labels[i] = sb.p;
			bars[i].label = labels[i] ? labels[i] : "";
			bars[i].value = c->a.article_score[i];
		}
		for (size_t i = 0; i < cl->ngrades; i++) {
			bands[i].name = cl->grades[i].name;
			bands[i].min = cl->grades[i].min;
		}
		rchart_bars(c->d, bars, cl->narticles, bands, cl->ngrades);
	}
	if (labels)
		for (size_t i = 0; i < cl->narticles; i++)
			free(labels[i]);
	free(labels);
	free(bars);
	free(bands);
}

static void counts_table(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "清单", 0.22, RA_LEFT },
		{ "条目数", 0.13, RA_RIGHT },
		{ "有问题的对象", 0.15, RA_RIGHT },
		{ "违反·高", 0.125, RA_RIGHT },
		{ "违反·中", 0.125, RA_RIGHT },
		{ "违反·低", 0.125, RA_RIGHT },
		{ "待核实", 0.125, RA_RIGHT },
	};
	long long tot[7] = { 0 };
	struct rtable t;
	char b[7][32];

	rtable_begin(&t, c->d, cols, 7, RD_SMALL, 0, 0);
	for (int k = 0; k < INV_COUNT; k++) {
		long long u = 0, v[SEV_COUNT];
		const char *cells[7];

		for (int s = 0; s < SEV_COUNT; s++) {
			v[s] = c->sev_violated[k][s];
			u += c->sev_unknown[k][s];
		}
		cells[0] = rinventory_cn((enum inv_kind)k);
		cells[1] = fmt_count(c->inv_rows[k], b[1]);
		cells[2] = fmt_count(c->inv_subjects[k], b[2]);
		cells[3] = fmt_count(v[SEV_HIGH], b[3]);
		cells[4] = fmt_count(v[SEV_MEDIUM], b[4]);
		cells[5] = fmt_count(v[SEV_LOW], b[5]);
		cells[6] = fmt_count(u, b[6]);
		tot[1] += c->inv_rows[k];
		tot[2] += c->inv_subjects[k];
		tot[3] += v[SEV_HIGH];
		tot[4] += v[SEV_MEDIUM];
		tot[5] += v[SEV_LOW];
		tot[6] += u;
		rtable_row(&t, cells, NULL);
	}
	{
		const char *cells[7] = { "合计" };
		struct rrow_style rs = { .bold = 1, .fill = &RGB_LIGHT };

		for (int i = 1; i < 7; i++)
			cells[i] = fmt_count(tot[i], b[i]);
		rtable_row(&t, cells, &rs);
	}
	rtable_end(&t);
	rdoc_para(c->d, &RST_NOTE, "注：问题按“每个对象、每条规则”计一项；“待核实”指规则所需字段为空、无法判定的情形，"
		  "不视为符合。");
}

static void gaps_table(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "条款", 0.08, RA_CENTER },
		{ "规则", 0.30, RA_LEFT },
		{ "清单", 0.16, RA_LEFT },
		{ "待核实", 0.11, RA_RIGHT },
		{ "为空的字段（对象数）", 0.35, RA_LEFT },
	};
	struct rtable t;
	int any = 0;

	for (size_t r = 0; r < c->nrules; r++) {
		const struct rrule *ru = &c->rules[r];
		const struct inventory *inv = inventory_get(ru->inv);
		struct strbuf f = { 0 };
		const char *cells[5];
		char art[16], n[32];

		if (!ru->unknown)
			continue;
		if (!any)
			rtable_begin(&t, c->d, cols, 5, RD_SMALL, 0, 0);
		any = 1;
		for (size_t k = 0; k < inv->ncols; k++)
			if (ru->field_gaps[k]) {
				char b[32];

				sb_addf(&f, "%s%s（%s）", f.len ? "、" : "", inv->cols[k].header,
					fmt_count(ru->field_gaps[k], b));
			}
		snprintf(art, sizeof(art), "%d", ru->article);
		cells[0] = art;
		cells[1] = ru->title;
		cells[2] = inv->title;
		cells[3] = fmt_count(ru->unknown, n);
		cells[4] = f.p ? f.p : "—";
		rtable_row(&t, cells, NULL);
		sb_release(&f);
	}
	if (any) {
		rtable_end(&t);
		rdoc_para(c->d, &RST_NOTE, "以上对象的相关字段需补充核实后重新导入并评分；待核实的情形不计为符合，"
			  "相关检查项在核实前不给出规则建议。");
	} else {
		rdoc_para(c->d, &RST_BODY, "规则核查未发现因数据缺失而无法判定的情形。");
	}
}

struct gain_row {
	size_t item;
	double gain;
};

static int cmp_gain(const void *a, const void *b)
{
	const struct gain_row *x = a, *y = b;

	return x->gain < y->gain ? 1 : x->gain > y->gain ? -1 : (x->item > y->item) - (x->item < y->item);
}

/* Items whose verdict is not 符合, by what 符合 would add to the total. */
static size_t gains(struct rctx *c, struct gain_row **out)
{
	struct gain_row *v = calloc(c->cl->nitems ? c->cl->nitems : 1, sizeof(*v));
	size_t n = 0;

	*out = v;
	if (!v)
		return 0;
	for (size_t i = 0; i < c->cl->nitems; i++)
		if (c->item_gain[i] > 0.005)
			v[n++] = (struct gain_row){ i, c->item_gain[i] };
	qsort(v, n, sizeof(*v), cmp_gain);
	return n;
}

static void gains_table(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "检查项", 0.09, RA_CENTER },
		{ "检查内容", 0.55, RA_LEFT },
		{ "当前结论", 0.14, RA_CENTER },
		{ "整改为符合后总分提高", 0.22, RA_RIGHT },
	};
	struct gain_row *g;
	size_t n = gains(c, &g);
	struct rtable t;

	if (!n) {
		rdoc_para(c->d, &RST_BODY, c->a.total >= 0 ? "各检查项均已符合或不适用，无可提分的整改事项。"
			  : "尚无评分，暂无法测算整改提分空间。");
		free(g);
		return;
	}
	rtable_begin(&t, c->d, cols, 4, RD_SMALL, 0, 0);
	for (size_t i = 0; i < n && i < 10; i++) {
		const struct cl_item *it = &c->cl->items[g[i].item];
		char b[32];
		const char *cells[4];

		snprintf(b, sizeof(b), "+%.1f 分", g[i].gain);
		cells[0] = it->id;
		cells[1] = it->question;
		cells[2] = rverdict_cn(item_effective(&c->a.items[g[i].item]));
		cells[3] = b;
		rtable_row(&t, cells, NULL);
	}
	rtable_end(&t);
	if (n > 10) {
		char b[32];
		struct strbuf sb = { 0 };

		sb_addf(&sb, "另有 %s 个检查项整改后也可提分，见第%s部分逐条自查情况。", fmt_count((long long)(n - 10), b),
			rsec_no(c, RSEC_ARTICLES, (char[32]){ 0 }));
		rdoc_para(c->d, &RST_NOTE, sb.p);
		sb_release(&sb);
	}
	free(g);
}

struct art_score {
	size_t i;
	double s;
};

static int cmp_article_score(const void *a, const void *b)
{
	const struct art_score *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s ? 1 : (x->i > y->i) - (x->i < y->i);
}

/* A plain-language conclusion built from the numbers. */
static void conclusion(struct rctx *c)
{
	const struct workspace *ws = c->ws;
	const struct checklist *cl = c->cl;
	const char *grade = scoring_grade(cl, c->a.total);
	struct strbuf sb = { 0 };
	char b1[40], b2[32], b3[32], b4[32], n[32];
	long long rows = c->inv_rows[0] + c->inv_rows[1] + c->inv_rows[2];
	long long subj = c->inv_subjects[0] + c->inv_subjects[1] + c->inv_subjects[2];
	long long sev[SEV_COUNT] = { 0 };

	for (int k = 0; k < INV_COUNT; k++)
		for (int s = 0; s < SEV_COUNT; s++)
			sev[s] += c->sev_violated[k][s];

	sb_addf(&sb, "本单位以%s为评估基准日，对照《意见》%zu条、%zu个检查项开展自查。", rfmt_date(ws->as_of, b1),
		cl->narticles, cl->nitems);
	if (rows)
		sb_addf(&sb, "共核查政务应用程序%s个、政务公众账号%s个、工作群组%s个。", fmt_count(c->inv_rows[0], b2),
			fmt_count(c->inv_rows[1], b3), fmt_count(c->inv_rows[2], b4));
	else
		sb_adds(&sb, "本次未导入政务应用程序、政务公众账号和工作群组清单，检查项由检查人员逐项作答。");
	rdoc_para(c->d, &RST_BODY, sb.p);
	sb_reset(&sb);

	if (rows) {
		if (c->violated)
			sb_addf(&sb, "规则核查发现问题%s项，涉及对象%s个，其中高风险%s项、中风险%s项、低风险%s项",
				fmt_count(c->violated, b2), fmt_count(subj, b3), fmt_count(sev[SEV_HIGH], b4),
				fmt_count(sev[SEV_MEDIUM], n), fmt_count(sev[SEV_LOW], b1));
		else
			sb_adds(&sb, "规则核查未发现违反规定的问题");
		if (c->unknown)
			sb_addf(&sb, "；另有%s项因数据缺失无法判定，需进一步核实。", fmt_count(c->unknown, b2));
		else
			sb_adds(&sb, "，也未发现数据缺失。");
		rdoc_para(c->d, &RST_BODY, sb.p);
		sb_reset(&sb);
	}

	if (c->a.total >= 0) {
		struct art_score *idx = calloc(cl->narticles ? cl->narticles : 1, sizeof(*idx));
		size_t low = 0;

		sb_addf(&sb, "按检查项加权计分，总分%s分，等级为“%s”。", fmt_score(c->a.total, b2), grade ? grade : "—");
		if (idx) {
			size_t m = 0;

			for (size_t i = 0; i < cl->narticles; i++)
				if (c->a.article_score[i] >= 0)
					idx[m++] = (struct art_score){ i, c->a.article_score[i] };
			qsort(idx, m, sizeof(*idx), cmp_article_score);
			for (size_t i = 0; i < m && i < 3; i++) {
				const struct cl_article *art = &cl->articles[idx[i].i];
				double s = idx[i].s;

				if (s >= 60)
					break;
				sb_addf(&sb, "%s第%s条（%s，%s分）", low ? "、" : "得分较低的是", rcn_num(art->no, n),
					art->title, fmt_score(s, b3));
				low++;
			}
			if (low)
				sb_adds(&sb, "。");
			else if (m && idx[0].s >= 90)
				sb_adds(&sb, "各条款得分均在90分以上。");
			free(idx);
		}
	} else {
		sb_adds(&sb, "目前尚无可计分的检查项结论，无法给出总分。");
	}
	if (c->a.pending || c->a.open)
		sb_addf(&sb, "目前尚有%zu个检查项仅有规则建议、%zu个检查项未作答，上述得分为暂定分，本报告为草稿。",
			c->a.pending, c->a.open);
	else
		sb_addf(&sb, "全部%zu个检查项均已由检查人员确认。", cl->nitems);
	rdoc_para(c->d, &RST_BODY, sb.p);
	sb_reset(&sb);

	{
		struct gain_row *g;
		size_t ng = gains(c, &g);

		if (ng) {
			sb_adds(&sb, "建议优先整改");
			for (size_t i = 0; i < ng && i < 3; i++)
				sb_addf(&sb, "%s检查项%s（整改后总分可提高%.1f分）", i ? "、" : "",
					cl->items[g[i].item].id, g[i].gain);
			if (sev[SEV_HIGH])
				sb_adds(&sb, "，并立即纠正《意见》明令禁止的高风险问题。");
			else
				sb_adds(&sb, "。");
			rdoc_para(c->d, &RST_BODY, sb.p);
			sb_reset(&sb);
		}
		free(g);
	}
	if (c->rect_total)
		sb_addf(&sb, "整改台账共%s项，其中待整改%lld项、整改中%lld项、已整改%lld项、已验证%lld项、已取消%lld项；"
			"逾期未完成%lld项。", fmt_count(c->rect_total, b2), c->rect_status[RS_PENDING],
			c->rect_status[RS_IN_PROGRESS], c->rect_status[RS_DONE], c->rect_status[RS_VERIFIED],
			c->rect_status[RS_CANCELLED], c->rect_overdue);
	else
		sb_adds(&sb, "尚未建立整改台账。");
	rdoc_para(c->d, &RST_BODY, sb.p);
	sb_reset(&sb);
	if (c->roll.present) {
		rroll_sentence(c, &sb);
		rdoc_para(c->d, &RST_BODY, sb.p);
	}
	sb_release(&sb);
}

int sec_summary(struct rctx *c)
{
	struct rdoc *d = c->d;
	HPDF_Outline top;

	rdoc_new_page(d);
	top = rdoc_heading(d, NULL, 1, 16, rsec_heading(c, RSEC_SUMMARY, (char[96]){ 0 }), 80);
	score_box(c);
	rdoc_heading(d, top, 0, 12, "（一）各条得分", 300);
	chart(c);
	rdoc_heading(d, top, 0, 12, "（二）问题统计", 80);
	counts_table(c);
	rdoc_heading(d, top, 0, 12, "（三）待核实的数据缺口", 60);
	gaps_table(c);
	rdoc_heading(d, top, 0, 12, "（四）整改提分空间", 60);
	gains_table(c);
	rdoc_heading(d, top, 0, 12, "（五）结论", 60);
	conclusion(c);
	return 0;
}

void sec_method(struct rctx *c)
{
	struct rdoc *d = c->d;
	const struct checklist *cl = c->cl;
	static const struct rcol cols[] = {
		{ "条款", 0.44, RA_LEFT },
		{ "权重", 0.12, RA_RIGHT },
		{ "检查项", 0.12, RA_RIGHT },
		{ "计分项", 0.12, RA_RIGHT },
		{ "得分", 0.20, RA_RIGHT },
	};
	struct strbuf sb = { 0 };
	struct rtable t;
	char b[32], n[40];

	rdoc_new_page(d);
	rdoc_heading(d, NULL, 1, 16, rsec_heading(c, RSEC_METHOD, (char[96]){ 0 }), 80);
	rdoc_para(d, &RST_BODY, "每个检查项的结论为“符合”“基本符合”“不符合”或“不适用”，分别计100分、50分、0分和不计分。"
		  "检查项的结论以检查人员的确认为准；检查人员尚未确认的，暂以规则建议计分，并在报告中注明为暂定分。");
	rdoc_para(d, &RST_BODY, "条款得分 = Σ（检查项权重 × 检查项分值）÷ Σ（检查项权重），只计有结论且结论不为“不适用”的检查项；"
		  "没有这样的检查项的条款不计分（显示为“—”），也不计入总分。");
	rdoc_para(d, &RST_BODY, "总分 = Σ（条款权重 × 条款得分）÷ Σ（计分条款的权重）。");
	sb_adds(&sb, "等级按总分划分：");
	for (size_t i = 0; i < cl->ngrades; i++) {
		if (i == 0)
			sb_addf(&sb, "%g分及以上为“%s”", cl->grades[i].min, cl->grades[i].name);
		else
			sb_addf(&sb, "，%g分及以上、不足%g分为“%s”", cl->grades[i].min, cl->grades[i - 1].min,
				cl->grades[i].name);
	}
	sb_adds(&sb, "。");
	rdoc_para(d, &RST_BODY, sb.p);
	sb_reset(&sb);
	rdoc_heading(d, NULL, 0, 12, "不适用的认定", 40);
	rdoc_para(d, &RST_BODY, "检查清单注明只适用于部分层级的检查项，对其他层级的单位认定为“不适用”。"
		  "与规则关联的检查项，如果相关清单已导入但没有在规则适用范围内的对象，认定为“不适用”；"
		  "清单未导入的，不给出规则建议，由检查人员作答。“不适用”的检查项不计入条款得分的分母。");
	rdoc_heading(d, NULL, 0, 12, "规则建议", 40);
	sb_addf(&sb, "规则以清单中的字段为依据逐个对象判定：违反《意见》明令禁止事项的高风险规则，只要有一个对象违反，"
		"即建议“不符合”；其余规则的违反率（违反的对象数 ÷ 适用的对象数）不超过%g%%的建议“基本符合”，"
		"超过的建议“不符合”；没有违反、但有对象因字段为空无法判定的，不给出建议，须核实后再定（数据缺失不视为符合）；"
		"全部对象均不违反的建议“符合”。检查人员可以改判，但须写明理由，改判理由在第%s部分逐项列出。",
		cl->partial_rate * 100, rsec_no(c, RSEC_ARTICLES, n));
	rdoc_para(d, &RST_BODY, sb.p);
	sb_reset(&sb);
	sb_addf(&sb, "应用程序长期未更新、公众账号长期未发布、群组长期不活跃和应急演练超期等时间判断，均以评估基准日%s"
		"为准，不随报告生成日期变化，评分可以复现。", rfmt_date(c->ws->as_of, n));
	rdoc_para(d, &RST_BODY, sb.p);
	sb_reset(&sb);

	rdoc_heading(d, NULL, 0, 12, "条款权重与得分", 120);
	rtable_begin(&t, d, cols, 5, RD_SMALL, 0, 0);
	for (size_t i = 0; i < cl->narticles; i++) {
		const struct cl_article *art = &cl->articles[i];
		size_t scored = 0;
		char w[32], ni[32], ns[32];
		const char *cells[5];

		for (size_t k = art->first_item; k < art->first_item + art->nitems; k++) {
			enum verdict v = item_effective(&c->a.items[k]);

			scored += v != VERDICT_NONE && v != VERDICT_NA;
		}
		sb_addf(&sb, "第%s条 %s", rcn_num(art->no, n), art->title);
		snprintf(w, sizeof(w), "%g", art->weight);
		snprintf(ni, sizeof(ni), "%zu", art->nitems);
		snprintf(ns, sizeof(ns), "%zu", scored);
		cells[0] = sb.p;
		cells[1] = w;
		cells[2] = ni;
		cells[3] = ns;
		cells[4] = fmt_score(c->a.article_score[i], b);
		rtable_row(&t, cells, NULL);
		sb_reset(&sb);
	}
	{
		const char *cells[5] = { "总分", "", "", "", fmt_score(c->a.total, b) };
		struct rrow_style rs = { .bold = 1, .fill = &RGB_LIGHT };

		rtable_row(&t, cells, &rs);
	}
	rtable_end(&t);
	sb_release(&sb);
}
