/* 附件1 评分明细: how the score is made (the formula, the not-applicable
 * policy, how the rules propose, every threshold with its basis), the
 * article scores, and every article with its text and every check item
 * with its verdict, note, override reason and the counts of its rules. */
#include "report/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/region.h"
#include "core/rules.h"
#include "report/chart.h"
#include "report/table.h"
#include "util/strbuf.h"

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
		{ "检查项", 0.09, RA_CENTER, 0 },
		{ "检查内容", 0.55, RA_LEFT, 0 },
		{ "当前结论", 0.14, RA_CENTER, 0 },
		{ "整改为符合后总分提高", 0.22, RA_RIGHT, 0 },
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

		snprintf(b, sizeof(b), "+%.1f分", g[i].gain);
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

		sb_addf(&sb, "另有%s个检查项整改后也可提分，见本附件第四部分。", fmt_count((long long)(n - 10), b));
		rdoc_para(c->d, &RST_NOTE, sb.p);
		sb_release(&sb);
	}
	free(g);
}

static const char *basis_cn(const char *basis)
{
	if (!basis)
		return NULL;
	if (!strcmp(basis, "level"))
		return "本层级不承担此项";
	if (!strcmp(basis, "no-data"))
		return "相关清单未导入";
	if (!strcmp(basis, "no-subjects"))
		return "没有适用规则的对象";
	if (!strcmp(basis, "high"))
		return "有对象违反高风险规则";
	if (!strcmp(basis, "rate"))
		return "按违反率判定";
	if (!strcmp(basis, "decided-rate"))
		return "按已判定对象的违反率判定";
	if (!strcmp(basis, "unknown"))
		return "只有待核实的对象，核实前不作建议";
	if (!strcmp(basis, "clean"))
		return "适用对象均未违反";
	return basis;
}

static void verdict_line(struct rctx *c, size_t k)
{
	const struct cl_item *it = &c->cl->items[k];
	const struct item_status *s = &c->a.items[k];
	enum verdict v = item_effective(s);
	struct rstyle st = RST_ITEM;
	struct strbuf sb = { 0 };
	if (v == VERDICT_NONCOMPLIANT)
		st.color = &RGB_RED;
	if (s->answer != VERDICT_NONE) {
		/* As the question reads: 否，符合 for "是否存在…". */
		sb_addf(&sb, "%s（检查人员", checklist_answer_text(it, s->answer));
		if (s->proposal == VERDICT_NONE)
			sb_adds(&sb, "作答");
		else if (s->proposal == s->answer)
			sb_adds(&sb, "确认，与规则建议一致");
		else
			sb_addf(&sb, "改判；规则建议为“%s”", checklist_answer_text(it, s->proposal));
		if (s->answered_at)
			sb_addf(&sb, "，%s", rfmt_date(s->answered_at, (char[40]){ 0 }));
		sb_adds(&sb, "）");
	} else if (s->proposal != VERDICT_NONE) {
		sb_addf(&sb, "%s（规则建议，尚待检查人员确认）", checklist_answer_text(it, s->proposal));
	} else {
		sb_adds(&sb, s->evaluated ? "未作答（规则未给出建议，须核实后作答）" : "未作答");
	}
	if (v != VERDICT_NONE)
		sb_addf(&sb, "；%s", v == VERDICT_NA ? "不计分" : "");
	if (v != VERDICT_NONE && v != VERDICT_NA)
		sb_addf(&sb, "计%g分", scoring_points(v));
	rdoc_field(c->d, &st, "结论：", sb.p);
	sb_release(&sb);
}

static void rules_table(struct rctx *c, const struct cl_item *it, const struct item_status *s)
{
	static const struct rcol cols[] = {
		{ "规则", 0.34, RA_LEFT, 0 },
		{ "清单", 0.17, RA_LEFT, 0 },
		{ "风险", 0.08, RA_CENTER, 0 },
		{ "适用对象", 0.14, RA_RIGHT, 0 },
		{ "违反", 0.13, RA_RIGHT, 0 },
		{ "待核实", 0.14, RA_RIGHT, 0 },
	};
	struct rtable t;
	struct strbuf sb = { 0 };

	rtable_begin(&t, c->d, cols, 6, 8.5, 2 * RD_BODY, 0);
	for (size_t r = 0; r < it->nrules; r++) {
		const struct cl_rule *cr = &c->cl->rules[it->rules[r]];
		const struct rrule *ru = rctx_rule(c, cr->id);
		char b1[32], b2[32], b3[32];
		const char *cells[6];
		const struct rgb *cc[6] = { 0 };
		struct rrow_style rs = { .cell_color = cc };

		sb_reset(&sb);
		sb_addf(&sb, "%s（%s）", cr->title, problem_type_label(cr->type)[0] ? problem_type_label(cr->type) : "未分类");
		cells[0] = sb.p;
		cells[1] = rinventory_cn(cr->inv);
		cells[2] = severity_label(cr->sev);
		cells[3] = ru ? fmt_count(ru->checked, b1) : "—";
		cells[4] = ru ? fmt_count(ru->violated, b2) : "—";
		cells[5] = ru ? fmt_count(ru->unknown, b3) : "—";
		if (ru && ru->violated)
			cc[4] = &RGB_RED;
		rtable_row(&t, cells, &rs);
	}
	rtable_end(&t);
	sb_reset(&sb);
	if (s->evaluated) {
		char c1[32], c2[32], c3[32];

		sb_addf(&sb, "规则核查：适用对象%s个，违反%s个，待核实%s个", fmt_count(s->checked, c1),
			fmt_count(s->violated, c2), fmt_count(s->unknown, c3));
		if (s->basis && basis_cn(s->basis))
			sb_addf(&sb, "；%s", basis_cn(s->basis));
		if (!strcmp(s->basis ? s->basis : "", "rate") && s->checked > 0)
			sb_addf(&sb, "（违反率%s，阈值%g%%）", rpct(s->violated, s->checked, (char[64]){ 0 }),
				c->cl->partial_rate * 100);
		if (!strcmp(s->basis ? s->basis : "", "decided-rate") && s->checked > s->unknown)
			sb_addf(&sb, "（违反率%s，即违反对象数÷已判定对象数，待核实的不计入；阈值%g%%）",
				rpct(s->violated, s->checked - s->unknown, (char[64]){ 0 }), c->cl->partial_rate * 100);
		sb_adds(&sb, "。");
		if (it->covers)
			sb_addf(&sb, "规则只核查本项中“%s”的部分，其余部分由检查人员判断。", it->covers);
	} else {
		sb_adds(&sb, "规则核查：尚未评分，没有规则建议。");
	}
	{
		struct rstyle st = RST_ITEM;

		st.size = RD_SMALL;
		st.color = &RGB_GREY;
		rdoc_para(c->d, &st, sb.p);
	}
	sb_release(&sb);
}

static void item(struct rctx *c, size_t k)
{
	struct rdoc *d = c->d;
	const struct cl_item *it = &c->cl->items[k];
	const struct item_status *s = &c->a.items[k];
	/* Hanging: a question that wraps lines up with the fields below it. */
	struct rstyle head = { .size = RD_BODY, .bold = 1, .leading = RD_BODY * 1.6,
			       .left = RST_ITEM.left, .indent = -RST_ITEM.left };
	struct strbuf sb = { 0 };
	struct wrap_lines hl = { 0 };

	sb_addf(&sb, "%s　%s", it->id, it->question);
	/* The question never ends a page: keep it with its verdict line. */
	rdoc_wrap(d, rtext_clean(d, sb.p, 0), head.size, RD_WIDTH - head.left, head.indent, &hl);
	rdoc_need(d, head.leading * (double)(hl.n + 2) + 4);
	rwrap_release(&hl);
	rdoc_skip(d, 4);
	rdoc_para(d, &head, sb.p);
	sb_release(&sb);
	verdict_line(c, k);
	if (it->basis)
		rdoc_field(d, &RST_ITEM, "依据：", it->basis);
	if (it->levels != LEVELS_ALL) {
		struct strbuf lv = { 0 };

		for (int l = 0; l < LEVEL_COUNT; l++)
			if (it->levels & (1u << l))
				sb_addf(&lv, "%s%s", lv.len ? "、" : "", level_label((enum level)l));
		rdoc_field(d, &RST_ITEM, "适用层级：", lv.p ? lv.p : "—");
		sb_release(&lv);
	}
	if (s->note)
		rdoc_field(d, &RST_ITEM, "说明：", s->note);
	if (s->reason)
		rdoc_field(d, &RST_ITEM, "改判理由：", s->reason);
	if (it->nrules) {
		rules_table(c, it, s);
	} else if (region_basis_text(s->basis, s->checked, s->violated, 1, (char[256]){ 0 }, 256)) {
		char rb[256], line[320];

		/* A province's or the central office's own item judged from
		 * what the units below sent. */
		snprintf(line, sizeof(line), "据下级报送情况建议%s：%s。", s->proposal != VERDICT_NONE ?
			 rverdict_cn(s->proposal) : "（不作建议，须核实）",
			 region_basis_text(s->basis, s->checked, s->violated, 1, rb, sizeof(rb)));
		rdoc_field(d, &RST_ITEM, "核查方式：", line);
	} else {
		rdoc_field(d, &RST_ITEM, "核查方式：", "无对应规则，由检查人员核查作答。");
	}
	if (c->item_gain[k] > 0.005) {
		char b[64];

		snprintf(b, sizeof(b), "若整改为“符合”，总分可提高%.1f分。", c->item_gain[k]);
		rdoc_field(d, &RST_ITEM, "整改提分：", b);
	}
}

static void method(struct rctx *c, HPDF_Outline top)
{
	struct rdoc *d = c->d;
	const struct checklist *cl = c->cl;
	struct strbuf sb = { 0 };
	char n[40];

	rhead1(c, top, "一、计分方法", 80);
	rdoc_para(d, &RST_BODY, "每个检查项的结论为“符合”“基本符合”“不符合”或“不适用”，分别计100分、50分、0分和不计分。"
		  "检查项的结论以检查人员的确认为准；检查人员尚未确认的，暂以规则建议计分，并注明为暂定分。");
	rdoc_para(d, &RST_BODY, "条款得分＝Σ（检查项权重×检查项分值）÷Σ（检查项权重），只计有结论且结论不为“不适用”的检查项；"
		  "没有这样的检查项的条款不计分（表中为“—”），也不计入总分。");
	rdoc_para(d, &RST_BODY, "总分＝Σ（条款权重×条款得分）÷Σ（计分条款的权重）。");
	sb_adds(&sb, "等次按总分划分：");
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
	rhead2(c, top, "（一）不适用的认定", 40);
	rdoc_para(d, &RST_BODY, "检查清单注明只适用于部分层级的检查项，对其他层级的单位认定为“不适用”。"
		  "与规则关联的检查项，如果相关清单已导入但没有在规则适用范围内的对象，认定为“不适用”；"
		  "清单未导入的，不给出规则建议，由检查人员作答。“不适用”的检查项不计入条款得分的分母。");
	rhead2(c, top, "（二）规则建议", 40);
	sb_addf(&sb, "规则以清单中的字段为依据逐个对象判定：违反《意见》明令禁止事项的高风险规则，只要有一个对象违反，"
		"即建议“不符合”；其余规则的违反率（违反的对象数÷已判定的对象数，因数据缺失待核实的对象不计入分母）"
		"不超过%g%%的建议“基本符合”，"
		"超过的建议“不符合”；没有违反、但有对象因字段为空无法判定的，不给出建议，须核实后再定（数据缺失不视为符合）；"
		"全部对象均不违反的建议“符合”。检查人员可以改判，但须写明理由，改判理由在本附件逐项列出。",
		cl->partial_rate * 100);
	rdoc_para(d, &RST_BODY, sb.p);
	sb_reset(&sb);
	sb_addf(&sb, "应用程序长期未更新、公众账号长期未发布、群组长期不活跃和应急演练超期等时间判断，均以评估基准日%s"
		"为准，不随报告生成日期变化，评分可以复现。", rfmt_date(c->ws->as_of, n));
	rdoc_para(d, &RST_BODY, sb.p);
	sb_release(&sb);
}

/* Every threshold of the checklist with its value, the rules that use it
 * and the basis of its value. */
static void thresholds(struct rctx *c, HPDF_Outline top)
{
	static const struct rcol cols[] = {
		{ "序号", 0.07, RA_CENTER, 0 },
		/* Rule titles, one a line (below): text, not names to widen for. */
		{ "适用的规则", 0.30, RA_LEFT, 0 },
		{ "取值", 0.10, RA_RIGHT, 0 },
		{ "依据", 0.53, RA_LEFT, 0 },
	};
	const struct checklist *cl = c->cl;
	struct rtable t;
	struct strbuf rules = { 0 }, pat = { 0 };
	char no[32], val[32];

	rhead1(c, top, "二、阈值及其依据", 80);
	if (!cl->nthresholds) {
		rdoc_para(c->d, &RST_BODY, "检查清单未设阈值。");
		return;
	}
	rdoc_lead(c->d, &RST_BODY, "规则中的数量和天数界限（阈值）写在检查清单中，可按本地实际调整；调整后须重新评分。"
		  "本次评分使用的阈值如下，每项注明其来源：《意见》原文、专项整治实践，或本清单默认值"
		  "（《意见》未规定数值，由本清单设定）。");
	rtable_begin(&t, c->d, cols, 4, 10.5, 0, 0);
	for (size_t i = 0; i < cl->nthresholds; i++) {
		const struct cl_threshold *th = &cl->thresholds[i];
		const char *cells[4];

		sb_reset(&rules);
		for (size_t r = 0; r < cl->nrules; r++) {
			if (rules_uses_threshold(&cl->rules[r], th->name)) {
				/* A rule resting on the campaign is not attributed to
				 * the article's text. */
				if (cl->rules[r].source == SRC_CAMPAIGN)
					sb_addf(&rules, "%s专项整治“%s”", rules.len ? "；\n" : "", cl->rules[r].title);
				else
					sb_addf(&rules, "%s第%s条“%s”", rules.len ? "；\n" : "",
						rcn_num(cl->rules[r].article, no), cl->rules[r].title);
			}
		}
		snprintf(no, sizeof(no), "%zu", i + 1);
		snprintf(val, sizeof(val), "%g", th->value);
		cells[0] = no;
		cells[1] = rules.len ? rules.p : "（本清单规则未使用）";
		cells[2] = val;
		sb_reset(&pat);
		sb_addf(&pat, "%s：%s", th->source != SRC_NONE ? basis_source_label(th->source) : "未说明来源",
			th->basis ? th->basis : "未说明依据");
		cells[3] = pat.p;
		rtable_row(&t, cells, NULL);
	}
	{
		/* The rate below which a rule-linked item is proposed 基本符合. */
		const char *cells[4];

		snprintf(no, sizeof(no), "%zu", cl->nthresholds + 1);
		snprintf(val, sizeof(val), "%g%%", cl->partial_rate * 100);
		sb_reset(&pat);
		sb_addf(&pat, "%s：%s",
			cl->partial_rate_source != SRC_NONE ? basis_source_label(cl->partial_rate_source) : "未说明来源",
			cl->partial_rate_basis ? cl->partial_rate_basis : "未说明依据");
		cells[0] = no;
		cells[1] = "规则建议“基本符合”的违反率上限";
		cells[2] = val;
		cells[3] = pat.p;
		rtable_row(&t, cells, NULL);
	}
	rtable_end(&t);
	sb_release(&rules);
	sb_release(&pat);
}

static void weights(struct rctx *c, HPDF_Outline top)
{
	struct rdoc *d = c->d;
	const struct checklist *cl = c->cl;
	static const struct rcol cols[] = {
		{ "条款", 0.44, RA_LEFT, 0 },
		{ "权重", 0.12, RA_RIGHT, 0 },
		{ "检查项", 0.12, RA_RIGHT, 0 },
		{ "计分项", 0.12, RA_RIGHT, 0 },
		{ "得分", 0.20, RA_RIGHT, 0 },
	};
	const char *grade = scoring_grade(cl, c->a.total);
	struct strbuf sb = { 0 };
	struct rtable t;
	char b[32], n[40];

	rhead1(c, top, "三、各条得分", 120);
	if (!c->a.assessed)
		sb_adds(&sb, "尚未评估（尚无检查人员确认的检查项），未形成总分。");
	else if (c->a.total >= 0)
		sb_addf(&sb, "总分%s分，等次为“%s”%s。", fmt_score(c->a.total, b), grade ? grade : "—",
			c->a.pending || c->a.open ? "（尚有检查项未经检查人员确认，为暂定分）" : "");
	else
		sb_adds(&sb, "尚无可计分的检查项结论，未形成总分。");
	sb_addf(&sb, "检查项共%zu项：检查人员已确认%zu项，仅有规则建议%zu项，未作答%zu项。", cl->nitems, c->a.answered,
		c->a.pending, c->a.open);
	rdoc_para(d, &RST_BODY, sb.p);
	sb_reset(&sb);
	chart(c);
	rtable_begin(&t, d, cols, 5, 10.5, 0, 0);
	for (size_t i = 0; i < cl->narticles; i++) {
		const struct cl_article *art = &cl->articles[i];
		size_t scored = 0;
		char w[32], ni[32], ns[32];
		const char *cells[5];

		for (size_t k = art->first_item; k < art->first_item + art->nitems; k++) {
			enum verdict v = item_effective(&c->a.items[k]);

			scored += v != VERDICT_NONE && v != VERDICT_NA;
		}
		sb_addf(&sb, "第%s条　%s", rcn_num(art->no, n), art->title);
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

static int articles(struct rctx *c, HPDF_Outline parent)
{
	struct rdoc *d = c->d;
	const struct checklist *cl = c->cl;
	HPDF_Outline top;
	char n[32], b1[32], b2[32];

	top = rhead1(c, parent, "四、逐条逐项自查情况", 80);
	for (size_t a = 0; a < cl->narticles; a++) {
		const struct cl_article *art = &cl->articles[a];
		const char *part = NULL;
		struct strbuf sb = { 0 };
		long long v = 0, u = 0;
		struct rstyle text = { .size = 10.5, .leading = 10.5 * 1.7, .indent = 2 * 10.5, .left = RD_BODY,
				       .right = RD_BODY, .font = RF_KAI, .space_after = 4 };

		for (size_t p = 0; p < cl->nparts; p++)
			if (cl->parts[p].no == art->part)
				part = cl->parts[p].title;
		if (a > 0)
			rdoc_skip(d, 8);
		sb_addf(&sb, "第%s条　%s", rcn_num(art->no, n), art->title);
		rhead2(c, top, sb.p, 60);
		sb_reset(&sb);
		sb_addf(&sb, "第%s部分“%s”；权重%g；检查项%zu个；本条得分%s", rcn_num(art->part, n), part ? part : "",
			art->weight, art->nitems, fmt_score(c->a.article_score[a], b1));
		if (c->a.article_score[a] >= 0)
			sb_adds(&sb, "分");
		rdoc_para(d, &RST_NOTE, sb.p);
		sb_reset(&sb);
		rdoc_field_f(d, &text, RF_HEI, "【条文】", art->text);
		for (size_t k = art->first_item; k < art->first_item + art->nitems; k++)
			item(c, k);
		for (size_t r = 0; r < c->nrules; r++)
			if (c->rules[r].article == art->no) {
				v += c->rules[r].violated;
				u += c->rules[r].unknown;
			}
		if (v || u) {
			sb_addf(&sb, "本条规则共发现问题%s项、待核实%s项，明细见附件%d。", fmt_count(v, b1), fmt_count(u, b2),
				ranx_no(c, RANX_PROBLEMS));
			rdoc_skip(d, 4);
			rdoc_para(d, &RST_NOTE, sb.p);
		}
		sb_release(&sb);
	}
	return 0;
}

int sec_scoring(struct rctx *c)
{
	HPDF_Outline top = ranx_begin(c, RANX_SCORING);

	method(c, top);
	thresholds(c, top);
	weights(c, top);
	if (articles(c, top) < 0)
		return -1;
	rhead1(c, top, "五、整改提分空间", 60);
	gains_table(c);
	return 0;
}
