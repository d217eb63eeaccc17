/* The cover: what the report is, of whom, as of when, against what. */
#include "report/sections.h"

#include <stdio.h>
#include <string.h>

#include "report/table.h"
#include "util/strbuf.h"

#ifndef ZJ_VERSION
#define ZJ_VERSION "0.1.0"
#endif

size_t sections_toc_entries(const struct rctx *c)
{
	/* The top-level sections present, and each article under 逐条自查情况. */
	return (size_t)RSEC_COUNT - (c->roll.present ? 0 : 1) + c->cl->narticles;
}

void sec_cover(struct rctx *c)
{
	struct rdoc *d = c->d;
	const struct workspace *ws = c->ws;
	const struct checklist *cl = c->cl;
	struct rstyle title = { .size = 30, .leading = 44, .align = RA_CENTER, .bold = 1 };
	struct rstyle sub = { .size = 14, .leading = 22, .align = RA_CENTER };
	struct rstyle unit = { .size = 18, .leading = 28, .align = RA_CENTER, .bold = 1 };
	static const struct rcol cols[] = {
		{ "项　　目", 0.24, RA_CENTER },
		{ "内　　容", 0.76, RA_LEFT },
	};
	struct rtable t;
	struct strbuf sb = { 0 };
	char b1[40], b2[32];
	size_t pending = c->a.pending + c->a.open;
	struct wrap_lines lines = { 0 };

	rdoc_cover_page(d);
	rdoc_bookmark(d, NULL, "封面");
	if (c->o->draft)
		rdoc_text(d, RD_RIGHT, RD_TOP - 10, 14, "（草稿）", 0, RA_RIGHT, &RGB_RED, 1);
	d->y = RD_TOP - 90;
	rdoc_para(d, &title, "自查自评报告");
	rdoc_skip(d, 6);
	sb_addf(&sb, "《%s》落实情况", cl->title ? cl->title : cl->id);
	rdoc_para(d, &sub, sb.p);
	sb_reset(&sb);
	rdoc_skip(d, 40);
	/* A long unit name shrinks before it wraps onto many lines. */
	rdoc_wrap(d, rtext_clean(d, ws->unit, 0), unit.size, RD_WIDTH, 0, &lines);
	if (lines.n > 3) {
		unit.size = 12;
		unit.leading = 19;
	}
	rwrap_release(&lines);
	rdoc_para(d, &unit, ws->unit);
	rdoc_skip(d, 40);

	rtable_begin(&t, d, cols, 2, 10, 20, RD_WIDTH - 40);
#define ROW(k, v) do { const char *cells_[2] = { (k), (v) }; rtable_row(&t, cells_, NULL); } while (0)
	ROW("自查单位", ws->unit);
	sb_addf(&sb, "%s（%s）", rlevel_cn(ws->level), level_key(ws->level));
	ROW("单位层级", sb.p);
	sb_reset(&sb);
	ROW("单位代码", ws->code && *ws->code ? ws->code : "—");
	ROW("评估基准日", rfmt_date(ws->as_of, b1));
	ROW("自查期间", ws->period && *ws->period ? ws->period : "—");
	ROW("评估编号", ws->assessment_id);
	sb_addf(&sb, "%s（%s，版本 %s）", cl->title ? cl->title : "", cl->id, cl->version ? cl->version : "—");
	ROW("检查清单", sb.p);
	sb_reset(&sb);
	ROW("清单 SHA-256", cl->sha256);
	ROW("生成时间", c->generated_local);
	if (pending)
		sb_addf(&sb, "草稿：尚有 %s 个检查项未经检查人员确认", fmt_count((long long)pending, b2));
	else
		sb_adds(&sb, c->o->draft ? "草稿（全部检查项均已作答）" : "正式报告（全部检查项均已作答）");
	ROW("报告状态", sb.p);
	sb_reset(&sb);
	ROW("内嵌数据", "zhijian-submission.sqlite（本报告的全部评分、问题明细和整改台账，见 PDF 附件）");
	ROW("生成工具", "zhijian " ZJ_VERSION);
#undef ROW
	rtable_end(&t);
	sb_release(&sb);
}
