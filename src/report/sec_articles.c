/* 三 逐条自查情况: each article with its text and every check item. */
#include "report/sections.h"

#include <stdio.h>
#include <string.h>

#include "report/table.h"
#include "util/strbuf.h"

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
	if (!strcmp(basis, "unknown"))
		return "只有待核实的对象，核实前不作建议";
	if (!strcmp(basis, "clean"))
		return "适用对象均未违反";
	return basis;
}

static void verdict_line(struct rctx *c, size_t k)
{
	const struct item_status *s = &c->a.items[k];
	enum verdict v = item_effective(s);
	struct rstyle st = RST_ITEM;
	struct strbuf sb = { 0 };
	if (v == VERDICT_NONCOMPLIANT)
		st.color = &RGB_RED;
	if (s->answer != VERDICT_NONE) {
		sb_addf(&sb, "%s（检查人员", rverdict_cn(s->answer));
		if (s->proposal == VERDICT_NONE)
			sb_adds(&sb, "作答");
		else if (s->proposal == s->answer)
			sb_adds(&sb, "确认，与规则建议一致");
		else
			sb_addf(&sb, "改判；规则建议为“%s”", rverdict_cn(s->proposal));
		if (s->answered_at)
			sb_addf(&sb, "，%.10s", s->answered_at);
		sb_adds(&sb, "）");
	} else if (s->proposal != VERDICT_NONE) {
		sb_addf(&sb, "%s（规则建议，尚待检查人员确认）", rverdict_cn(s->proposal));
	} else {
		sb_adds(&sb, s->evaluated ? "未作答（规则未给出建议，须核实后作答）" : "未作答");
	}
	if (v != VERDICT_NONE)
		sb_addf(&sb, "；%s", v == VERDICT_NA ? "不计分" : "");
	if (v != VERDICT_NONE && v != VERDICT_NA)
		sb_addf(&sb, "计 %g 分", scoring_points(v));
	rdoc_field(c->d, &st, "结论：", sb.p);
	sb_release(&sb);
}

static void rules_table(struct rctx *c, const struct cl_item *it, const struct item_status *s)
{
	static const struct rcol cols[] = {
		{ "规则", 0.34, RA_LEFT },
		{ "清单", 0.17, RA_LEFT },
		{ "风险", 0.08, RA_CENTER },
		{ "适用对象", 0.14, RA_RIGHT },
		{ "违反", 0.13, RA_RIGHT },
		{ "待核实", 0.14, RA_RIGHT },
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
		sb_addf(&sb, "%s（%s）", cr->title, cr->id);
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
		sb_addf(&sb, "规则核查：适用对象 %lld 个，违反 %lld 个，待核实 %lld 个", s->checked, s->violated, s->unknown);
		if (s->basis && basis_cn(s->basis))
			sb_addf(&sb, "；%s", basis_cn(s->basis));
		if (!strcmp(s->basis ? s->basis : "", "rate") && s->checked > 0)
			sb_addf(&sb, "（违反率 %.1f%%，阈值 %g%%）", 100.0 * (double)s->violated / (double)s->checked,
				c->cl->partial_rate * 100);
		sb_adds(&sb, "。");
	} else {
		sb_adds(&sb, "规则核查：尚未评分（运行 zhijian score 后给出规则建议）。");
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
	if (it->nrules)
		rules_table(c, it, s);
	else
		rdoc_field(d, &RST_ITEM, "核查方式：", "无对应规则，由检查人员核查作答。");
	if (c->item_gain[k] > 0.005) {
		char b[64];

		snprintf(b, sizeof(b), "若整改为“符合”，总分可提高 %.1f 分。", c->item_gain[k]);
		rdoc_field(d, &RST_ITEM, "整改提分：", b);
	}
}

int sec_articles(struct rctx *c)
{
	struct rdoc *d = c->d;
	const struct checklist *cl = c->cl;
	HPDF_Outline top;
	char n[32], b1[32], b2[32];

	rdoc_new_page(d);
	top = rdoc_heading(d, NULL, 1, 16, rsec_heading(c, RSEC_ARTICLES, (char[96]){ 0 }), 80);
	for (size_t a = 0; a < cl->narticles; a++) {
		const struct cl_article *art = &cl->articles[a];
		const char *part = NULL;
		struct strbuf sb = { 0 };
		long long v = 0, u = 0;
		struct rstyle text = { .size = RD_BODY, .indent = 2 * RD_BODY, .left = RD_BODY, .right = RD_BODY,
				       .color = &(struct rgb){ 0.2f, 0.2f, 0.2f }, .space_after = 4 };

		for (size_t p = 0; p < cl->nparts; p++)
			if (cl->parts[p].no == art->part)
				part = cl->parts[p].title;
		if (a > 0)
			rdoc_skip(d, 10);
		sb_addf(&sb, "第%s条　%s", rcn_num(art->no, n), art->title);
		rdoc_heading(d, top, 2, 13, sb.p, 60);
		sb_reset(&sb);
		sb_addf(&sb, "第%s部分“%s”；权重 %g；检查项 %zu 个；本条得分 %s", rcn_num(art->part, n), part ? part : "",
			art->weight, art->nitems, fmt_score(c->a.article_score[a], b1));
		rdoc_para(d, &RST_NOTE, sb.p);
		sb_reset(&sb);
		rdoc_field(d, &text, "【条文】", art->text);
		for (size_t k = art->first_item; k < art->first_item + art->nitems; k++)
			item(c, k);
		for (size_t r = 0; r < c->nrules; r++)
			if (c->rules[r].article == art->no) {
				v += c->rules[r].violated;
				u += c->rules[r].unknown;
			}
		if (v || u) {
			sb_addf(&sb, "本条规则共发现问题 %s 项、待核实 %s 项，明细见第%s部分“问题明细”。", fmt_count(v, b1),
				fmt_count(u, b2), rsec_no(c, RSEC_FINDINGS, n));
			rdoc_skip(d, 4);
			rdoc_para(d, &RST_NOTE, sb.p);
		}
		sb_release(&sb);
	}
	return 0;
}
