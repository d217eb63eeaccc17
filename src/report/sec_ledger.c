/* 附件3 整改台账: the rectification ledger, overdue items marked. */
#include "report/sections.h"

#include <stdio.h>
#include <string.h>

#include "report/table.h"
#include "util/i18n.h"
#include "util/strbuf.h"

static const struct rgb overdue_fill = { 1.0f, 0.91f, 0.90f };

/* What a rectification is about, in words. */
static void target(struct rctx *c, sqlite3_stmt *row, struct strbuf *sb)
{
	const char *tgt = (const char *)sqlite3_column_text(row, 1);
	const char *inv = (const char *)sqlite3_column_text(row, 2);
	const char *sid = (const char *)sqlite3_column_text(row, 3);
	const char *rule = (const char *)sqlite3_column_text(row, 4);
	const char *item = (const char *)sqlite3_column_text(row, 5);
	int art = sqlite3_column_int(row, 6);
	char n[32];

	sb_reset(sb);
	if (tgt && !strcmp(tgt, "finding")) {
		const struct inventory *iv = inv ? inventory_by_name(inv) : NULL;
		const struct rrule *ru = rule ? rctx_rule(c, rule) : NULL;

		sb_addf(sb, "%s %s", iv ? iv->title : (inv ? inv : ""), sid ? sid : "");
		if (iv && sid) {
			sqlite3_stmt *st;
			char *sql = sqlite3_mprintf("SELECT name FROM %s WHERE id = ?", iv->table);

			if (sql && sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
				if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
					/* On a line of its own: after "APP-002 " a
					 * line may not break (a number and its
					 * unit), and the name is kept whole. */
					sb_addf(sb, "\n%s", sqlite3_column_text(st, 0));
				sqlite3_finalize(st);
			}
			sqlite3_free(sql);
		}
		sb_addf(sb, "；第%s条", rcn_num(art, n));
		if (ru)
			sb_addf(sb, "“%s”", ru->title);
		else if (rule)
			sb_addf(sb, " %s", rule);
	} else if (tgt && !strcmp(tgt, "item")) {
		const struct cl_item *it = item ? checklist_item(c->cl, item) : NULL;

		sb_addf(sb, "检查项 %s", item ? item : "");
		if (it)
			sb_addf(sb, "：%s", it->question);
	} else {
		const struct cl_article *a = checklist_article(c->cl, art);

		sb_addf(sb, "第%s条", rcn_num(art, n));
		if (a)
			sb_addf(sb, "“%s”", a->title);
	}
}

int sec_ledger(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "编号", 0.06, RA_CENTER, 0 },
		{ "整改对象", 0.22, RA_LEFT, 1 },
		{ "整改措施", 0.22, RA_LEFT, 0 },
		{ "责任单位／责任人", 0.14, RA_LEFT, 1 },
		{ "整改期限", 0.11, RA_CENTER, 0 },
		{ "状态", 0.10, RA_CENTER, 0 },
		{ "进展与佐证", 0.15, RA_LEFT, 0 },
	};
	size_t cap = c->o->ledger_rows ? c->o->ledger_rows : REPORT_LEDGER_ROWS, shown = 0;
	struct rdoc *d = c->d;
	sqlite3_stmt *st, *ev, *evd;
	struct strbuf sb = { 0 }, obj = { 0 }, who = { 0 }, prog = { 0 };
	struct rtable t;
	char b1[32], b2[32];

	ranx_begin(c, RANX_LEDGER);
	if (!c->rect_total) {
		rdoc_para(d, &RST_BODY, "尚未建立整改台账。");
		return 0;
	}
	sb_addf(&sb, "整改台账共%s项：待整改%lld项，整改中%lld项，已整改%lld项，已验证%lld项，已取消%lld项。"
		"整改期限以%s为准判断，逾期未完成%s项（表中以浅红底色和“逾期”标出）。",
		fmt_count(c->rect_total, b1), c->rect_status[RS_PENDING], c->rect_status[RS_IN_PROGRESS],
		c->rect_status[RS_DONE], c->rect_status[RS_VERIFIED], c->rect_status[RS_CANCELLED],
		rfmt_date(c->ws->today, (char[40]){ 0 }), fmt_count(c->rect_overdue, b2));
	rdoc_para(d, &RST_BODY, sb.p);
	sb_reset(&sb);
	if ((size_t)c->rect_total > cap) {
		sb_addf(&sb, "以下列出%zu项（逾期的优先，其次按状态和期限）；完整台账及其变更记录、佐证材料清单见本报告内嵌的数据文件。",
			cap);
		rdoc_para(d, &RST_NOTE, sb.p);
		sb_reset(&sb);
	}
	if (sqlite3_prepare_v2(c->sub, "SELECT id, target, inventory, subject_id, rule, item, article, measure, unit,"
			       " owner, deadline, status, cancel_reason, overdue, ready FROM rectifications"
			       " ORDER BY overdue DESC, CASE status WHEN 'pending' THEN 0 WHEN 'in_progress' THEN 1"
			       " WHEN 'done' THEN 2 WHEN 'verified' THEN 3 ELSE 4 END, deadline IS NULL, deadline, id",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->sub, "SELECT text FROM rect_events WHERE rect = ? AND kind = 'note' AND text <> ''"
			       " ORDER BY id DESC LIMIT 1", -1, &ev, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->sub, "SELECT count(*) FROM rect_evidence WHERE rect = ?", -1, &evd, NULL) != SQLITE_OK) {
		sb_release(&sb);
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	}
	rtable_begin(&t, d, cols, 7, 8, 0, 0);
	while (shown < cap && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *status = (const char *)sqlite3_column_text(st, 11);
		int s = status ? rect_status_parse(status) : -1, overdue = sqlite3_column_int(st, 13);
		const char *cells[7];
		const struct rgb *cc[7] = { 0 };
		struct rrow_style rs = { .cell_color = cc };
		char no[32], stat[64];

		target(c, st, &obj);
		sb_reset(&who);
		sb_addf(&who, "%s%s%s", sqlite3_column_text(st, 8) ? (const char *)sqlite3_column_text(st, 8) : "",
			sqlite3_column_text(st, 8) && sqlite3_column_text(st, 9) ? "／" : "",
			sqlite3_column_text(st, 9) ? (const char *)sqlite3_column_text(st, 9) : "");
		sb_reset(&prog);
		sqlite3_bind_int64(ev, 1, id);
		if (sqlite3_step(ev) == SQLITE_ROW)
			sb_adds(&prog, (const char *)sqlite3_column_text(ev, 0));
		sqlite3_reset(ev);
		if (s == RS_CANCELLED && sqlite3_column_text(st, 12))
			sb_addf(&prog, "%s取消理由：%s", prog.len ? "；" : "", sqlite3_column_text(st, 12));
		sqlite3_bind_int64(evd, 1, id);
		if (sqlite3_step(evd) == SQLITE_ROW && sqlite3_column_int64(evd, 0))
			sb_addf(&prog, "%s佐证%lld份", prog.len ? "；" : "", sqlite3_column_int64(evd, 0));
		sqlite3_reset(evd);
		if (sqlite3_column_int(st, 14) && (s == RS_PENDING || s == RS_IN_PROGRESS || s == RS_DONE))
			sb_addf(&prog, "%s复评已不再发现该问题，待验证", prog.len ? "；" : "");
		snprintf(no, sizeof(no), "%lld", id);
		snprintf(stat, sizeof(stat), "%s%s", s >= 0 ? rect_status_label((enum rect_status)s) : (status ? status : ""),
			 overdue ? "（逾期）" : "");
		cells[0] = no;
		cells[1] = obj.p ? obj.p : "";
		cells[2] = (const char *)sqlite3_column_text(st, 7);
		cells[3] = who.p && who.len ? who.p : "—";
		cells[4] = sqlite3_column_text(st, 10) ? (const char *)sqlite3_column_text(st, 10) : "未定";
		cells[5] = stat;
		cells[6] = prog.p && prog.len ? prog.p : "—";
		if (overdue) {
			rs.fill = &overdue_fill;
			cc[4] = cc[5] = &RGB_RED;
		}
		rtable_row(&t, cells, &rs);
		shown++;
	}
	rtable_end(&t);
	sqlite3_finalize(st);
	sqlite3_finalize(ev);
	sqlite3_finalize(evd);
	sb_release(&sb);
	sb_release(&obj);
	sb_release(&who);
	sb_release(&prog);
	return 0;
}
