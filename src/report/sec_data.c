/* 数据与签名说明: the closing page, and the only place for the report's
 * machine data — identifiers, hashes, the embedded file, the audit log's
 * head and, for `report --sign`, the signer and the certificate.  The body
 * and the annexes speak to a reader; this page lets the level above hold
 * the file to its data. */
#include "report/sections.h"

#include <stdio.h>
#include <string.h>

#include "core/submission.h"
#include "report/table.h"
#include "util/strbuf.h"

#ifndef ZJ_VERSION
#define ZJ_VERSION "0.1.0"
#endif

void sec_data(struct rctx *c)
{
	struct rdoc *d = c->d;
	const struct workspace *ws = c->ws;
	const struct checklist *cl = c->cl;
	const struct report_signer *s = c->o->signer;
	static const struct rcol cols[] = {
		{ "项目", 0.26, RA_LEFT, 0 },
		{ "内容", 0.74, RA_LEFT, 0 },
	};
	const struct rstyle title = { .size = 16, .leading = 16 * 1.6, .align = RA_CENTER, .font = RF_HEI,
				      .space_after = 4 };
	const struct rstyle head = { .size = 12, .leading = 12 * 1.6, .font = RF_HEI };
	struct rtable t;
	struct strbuf sb = { 0 };
	HPDF_Outline top;
	char b[40];

	/* One page: headings stay with their tables, and the body's four
	 * parts are one cell of two lines, not four. */
	rdoc_new_page(d);
	top = rdoc_bookmark(d, NULL, "数据与签名说明");
	rdoc_para(d, &title, "数据与签名说明");
	rdoc_para(d, &RST_NOTE, "本页载明本报告的标识和校验数据。报告各页的数字均取自报告内嵌的数据文件；"
		  "上级单位可据此核对报告与数据、与报送单位的工作区和审计日志是否一致。");
#define ROW(k, v) do { const char *cells_[2] = { (k), (v) }; rtable_row(&t, cells_, NULL); } while (0)
	rdoc_heading(d, top, &head, "一、报告与数据", 60);
	rtable_begin(&t, d, cols, 2, 8.5, 0, 0);
	ROW("报告单位", ws->unit);
	ROW("单位层级", rlevel_cn(ws->level));
	ROW("单位代码", ws->code && *ws->code ? ws->code : "—");
	ROW("主送机关", ws->parent && *ws->parent ? ws->parent : "（未设置）");
	ROW("自查期间", ws->period && *ws->period ? ws->period : "—");
	ROW("评估基准日", rfmt_date(ws->as_of, b));
	ROW("评估编号", ws->assessment_id);
	sb_addf(&sb, "《%s》，编号%s，版本%s", cl->title ? cl->title : "", cl->id, cl->version ? cl->version : "—");
	ROW("检查清单", sb.p);
	sb_reset(&sb);
	ROW("检查清单SHA-256", cl->sha256);
	if (c->audit_head[0]) {
		sb_addf(&sb, "共%s条记录，哈希链%s", c->audit_count, c->audit_intact ? "校验完整" : "校验未通过（日志曾被改动）");
		ROW("工作区审计日志", sb.p);
		sb_reset(&sb);
		ROW("审计日志末条哈希", c->audit_head);
	}
	sb_addf(&sb, "%s（SQLite数据库，格式版本%d，%lld字节），作为PDF附件内嵌于本报告，在签名范围之内",
		SUBMISSION_NAME, SUBMISSION_SCHEMA_VERSION, c->sub_bytes);
	ROW("内嵌数据文件", sb.p);
	sb_reset(&sb);
	ROW("内嵌数据文件SHA-256", c->sub_sha256[0] ? c->sub_sha256 : "—");
	for (int i = 0; i < NARR_COUNT; i++) {
		sb_addf(&sb, "%s%s：%s", i ? "；" : "", narrative_heading((enum narrative_section)i),
			!c->narr[i].inspector ? "根据数据生成"
			: c->narr[i].stale ? "检查人员撰写（撰写后数据有变化）" : "检查人员撰写");
	}
	ROW("正文各部分", sb.p);
	sb_reset(&sb);
	ROW("报告状态", c->o->draft || c->a.pending || c->a.open ? "草稿" : "正式报告");
	ROW("生成时间", c->generated_local);
	ROW("生成工具", "指尖自查工具（zhijian）" ZJ_VERSION);
	rtable_end(&t);

	rdoc_heading(d, top, &head, "二、数字签名", 60);
	if (s) {
		rtable_begin(&t, d, cols, 2, 8.5, 0, 0);
		ROW("签署人", s->name);
		ROW("签署人单位", s->unit);
		ROW("签署时间", s->time);
		ROW("证书指纹（SHA-256）", s->fingerprint);
		rtable_end(&t);
		rdoc_para(d, &RST_NOTE, "本报告由上述签署人以数字签名方式签署，签名覆盖全部页面和内嵌数据文件，"
			  "其有效性以核验结果为准。");
	} else {
		rdoc_para(d, &RST_NOTE, "本报告生成时未附数字签名。报送前签名的，签名另行附加在文件之后，不改变本报告各页；"
			  "签名情况以PDF阅读器或上级单位核验签名的结果为准。以纸质方式报送的，加盖单位公章。");
	}
#undef ROW
	sb_release(&sb);
}
