/* 七 声明与签署: the unit's declaration and the signature block, filled in
 * with the signer's details when the report is signed, else left
 * with lines to sign and seal by hand. */
#include "report/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* "label：value" with the value on a rule, or an empty rule to write on. */
static void sign_line(struct rctx *c, const char *label, const char *value)
{
	struct rdoc *d = c->d;
	double x = RD_LEFT + 190, w = RD_RIGHT - x, lw, base;
	struct wrap_lines lines = { 0 };
	char *v = NULL;
	size_t n = 1;

	if (value && *value) {
		v = strdup(rtext_clean(d, value, 0));
		if (v && rdoc_wrap(d, v, RD_BODY, w - 8, 0, &lines) == 0)
			n = lines.n ? lines.n : 1;
	}
	rdoc_need(d, 30 + (double)(n - 1) * 17);
	base = d->y - 22;
	lw = rdoc_width(d, rtext_clean(d, label, 0), RD_BODY);
	rdoc_text(d, x - 8 - lw, base, RD_BODY, label, 0, RA_LEFT, NULL, 1);
	for (size_t i = 0; i < n; i++) {
		if (v && i < lines.n) {
			char *s = strndup(v + lines.v[i].off, lines.v[i].len);

			if (s)
				rdoc_text(d, x + 4, base, RD_BODY, s, w - 4, RA_LEFT, NULL, 0);
			free(s);
		}
		rdoc_line(d, x, base - 4, RD_RIGHT, base - 4, 0.6, &RGB_BLACK, 0);
		base -= 17;
	}
	d->y = base + 17 - 12;
	rwrap_release(&lines);
	free(v);
}

/* The audit log's head as embedded: the level above can hold the unit's
 * next report (and its workspace) to it. */
static void audit_line(struct rctx *c)
{
	sqlite3_stmt *st;
	char head[80] = "", count[24] = "", intact[4] = "";
	struct strbuf sb = { 0 };

	if (sqlite3_prepare_v2(c->sub, "SELECT key, value FROM meta WHERE key IN ('audit_head', 'audit_count', 'audit_intact')",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);

		if (!k || !v)
			continue;
		if (!strcmp(k, "audit_head"))
			snprintf(head, sizeof(head), "%s", v);
		else if (!strcmp(k, "audit_count"))
			snprintf(count, sizeof(count), "%s", v);
		else
			snprintf(intact, sizeof(intact), "%s", v);
	}
	sqlite3_finalize(st);
	if (!head[0])
		return;
	rdoc_skip(c->d, 8);
	sb_addf(&sb, "工作区审计日志：共 %s 条记录，哈希链%s；末条哈希（SHA-256）%s。", count,
		!strcmp(intact, "1") ? "校验完整" : "校验未通过（日志曾被改动）", head);
	rdoc_para(c->d, &RST_NOTE, sb.p);
	sb_release(&sb);
}

void sec_declaration(struct rctx *c)
{
	struct rdoc *d = c->d;
	const struct report_signer *s = c->o->signer;
	struct strbuf sb = { 0 };

	rdoc_new_page(d);
	rdoc_heading(d, NULL, 1, 16, rsec_heading(c, RSEC_DECLARATION, (char[96]){ 0 }), 80);
	sb_addf(&sb, "本单位已对照《%s》逐条开展自查，本报告所载自查情况、评分结果、问题明细和整改台账真实、准确、完整，"
		"与报告内嵌的数据文件 zhijian-submission.sqlite 一致。对自查发现的问题，本单位将按整改台账明确的措施、"
		"责任和时限抓好整改落实，并接受上级核查。", c->cl->title ? c->cl->title : c->cl->id);
	rdoc_para(d, &RST_BODY, sb.p);
	sb_release(&sb);
	if (c->o->draft || c->a.pending || c->a.open)
		rdoc_para(d, &(struct rstyle){ .size = RD_BODY, .indent = 2 * RD_BODY, .color = &RGB_RED },
			  "本报告为草稿，仅供内部审核，不作为正式自查自评报告报送。");
	audit_line(c);
	rdoc_skip(d, 30);
	sign_line(c, "自查单位（盖章）：", c->ws->unit);
	sign_line(c, "负责人（签字）：", s ? s->name : NULL);
	sign_line(c, "日　　期：", s ? s->time : NULL);
	if (s) {
		rdoc_skip(d, 16);
		sign_line(c, "签署人单位：", s->unit);
		sign_line(c, "证书指纹（SHA-256）：", s->fingerprint);
		rdoc_skip(d, 10);
		rdoc_para(d, &RST_NOTE, "本报告已由上述负责人以数字签名方式签署，签名覆盖全部页面和内嵌数据；"
			  "签名是否有效以 zhijian verify 或 PDF 阅读器的签名验证结果为准。");
	} else {
		rdoc_skip(d, 10);
		rdoc_para(d, &RST_NOTE, "本报告尚未数字签名。以纸质方式报送的，由负责人在上方签字、注明日期并加盖单位公章。");
	}
}
