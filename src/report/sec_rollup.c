/* 附件4 下级单位报送情况: what a county, city, province or the central
 * office received from below — every file with its fate and SHA-256,
 * the spread of the units' scores, the articles most often violated, the
 * units with most overdue rectifications and the units still missing.
 * Everything but the expected list is read from the submission's copy of
 * the tables submissions and received_articles, so the pages and the
 * embedded data agree. */
#include "report/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/table.h"
#include "util/i18n.h"

static const struct rgb rejected_fill = { 1.0f, 0.93f, 0.92f };

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : NULL;
}

/* Expected units with no accepted report for this period, matched as
 * `zhijian submissions` matches them: by name, or by code when the list
 * has one. */
static int load_missing(struct rctx *c)
{
	struct rroll *r = &c->roll;
	sqlite3_stmt *e, *q;
	size_t cap = 0;
	int rc = 0;

	/* A workspace without the list (or the table) expects anyone. */
	if (sqlite3_prepare_v2(c->db, "SELECT unit, code FROM expected_units ORDER BY rowid", -1, &e, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(c->sub, "SELECT 1 FROM submissions WHERE status = 'accepted' AND period = ?3"
			       " AND (unit = ?1 OR (?2 IS NOT NULL AND code = ?2)) LIMIT 1", -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(e);
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	}
	sqlite3_bind_text(q, 3, c->ws->period, -1, SQLITE_STATIC);
	while (rc == 0 && sqlite3_step(e) == SQLITE_ROW) {
		const char *unit = col_text(e, 0), *code = col_text(e, 1);
		int found;

		r->expected++;
		sqlite3_bind_text(q, 1, unit, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, code, -1, SQLITE_TRANSIENT);
		found = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_reset(q);
		if (found)
			continue;
		if (r->nmissing == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **v = realloc(r->missing, ncap * sizeof(*v));

			if (!v) {
				rc = zj_err(c->err, "%s", _("out of memory"));
				break;
			}
			r->missing = v;
			cap = ncap;
		}
		r->missing[r->nmissing] = strdup(unit ? unit : "");
		if (!r->missing[r->nmissing])
			rc = zj_err(c->err, "%s", _("out of memory"));
		else
			r->nmissing++;
	}
	sqlite3_finalize(e);
	sqlite3_finalize(q);
	return rc;
}

int rroll_load(struct rctx *c)
{
	struct rroll *r = &c->roll;
	sqlite3_stmt *st;

	memset(r, 0, sizeof(*r));
	r->mean = -1;
	if (c->ws->level == LEVEL_UNIT)
		return 0;
	/* A submission from a workspace of schema 2 has no such table. */
	if (sqlite3_prepare_v2(c->sub, "SELECT count(*), coalesce(sum(status = 'accepted'), 0),"
			       " coalesce(sum(status = 'superseded'), 0), coalesce(sum(status = 'rejected'), 0),"
			       " coalesce(sum(CASE WHEN status = 'accepted' THEN max(coalesce(merged_units, 1), 1) END), 0),"
			       " coalesce(sum(status = 'accepted' AND total IS NOT NULL), 0),"
			       " avg(CASE WHEN status = 'accepted' THEN total END) FROM submissions",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->files = sqlite3_column_int64(st, 0);
		r->accepted = sqlite3_column_int64(st, 1);
		r->superseded = sqlite3_column_int64(st, 2);
		r->rejected = sqlite3_column_int64(st, 3);
		r->units = sqlite3_column_int64(st, 4);
		r->scored = sqlite3_column_int64(st, 5);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			r->mean = sqlite3_column_double(st, 6);
	}
	sqlite3_finalize(st);
	/* Every level above the unit reports on its region, even when
	 * nothing came yet. */
	r->present = 1;
	return load_missing(c);
}

void rroll_release(struct rctx *c)
{
	for (size_t i = 0; i < c->roll.nmissing; i++)
		free(c->roll.missing[i]);
	free(c->roll.missing);
	c->roll.missing = NULL;
	c->roll.nmissing = 0;
}

/* "县530924、县530925" (at most `max` names, then "等N个"). */
static void missing_names(const struct rroll *r, struct strbuf *sb, size_t max)
{
	for (size_t i = 0; i < r->nmissing && i < max; i++)
		sb_addf(sb, "%s%s", i ? "、" : "", r->missing[i]);
	if (r->nmissing > max)
		sb_addf(sb, "等%zu个单位", r->nmissing);
}

/* ---- (一) every file received ---- */

static const char *signature_cn(const char *w)
{
	static const struct { const char *key, *cn; } words[] = {
		{ "ok", "有效" }, { "no-signature", "没有签名" }, { "modified", "文件在签名后被修改" },
		{ "appended", "签名未覆盖签名后追加的内容" }, { "untrusted", "证书不受信任" }, { "expired", "证书已过期" },
		{ "unit-mismatch", "证书单位与报告不符" }, { "no-data", "没有内嵌数据" },
		{ "malformed", "文件格式错误" }, { "error", "无法验证" },
	};

	if (!w || !*w)
		return "—";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(w, words[i].key))
			return words[i].cn;
	return w;
}

/* "AD:51:1E:5E…A1:A9": enough to tell certificates apart on paper; the
 * whole fingerprint is in the embedded data. */
static void short_fingerprint(const char *fp, struct strbuf *sb)
{
	size_t n = strlen(fp);

	if (n <= 20)
		sb_adds(sb, fp);
	else
		sb_addf(sb, "%.11s…%s", fp, fp + n - 5);
}

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s && s[1] ? s + 1 : path;
}

static int files_table(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "编号", 0.06, RA_CENTER, 0 },
		{ "单位（文件）", 0.20, RA_LEFT, 1 },
		{ "得分", 0.07, RA_RIGHT, 0 },
		{ "等次", 0.06, RA_CENTER, 0 },
		{ "违规问题数", 0.11, RA_RIGHT, 0 },
		{ "逾期整改数", 0.11, RA_RIGHT, 0 },
		{ "状态、签名与文件", 0.27, RA_LEFT, 0 },
		{ "接收日期", 0.12, RA_CENTER, 0 },
	};
	struct strbuf unit = { 0 }, stat = { 0 };
	struct rtable t;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(c->sub, "SELECT id, file, status, reason, unit, total, grade, violated, overdue,"
			       " signer, signer_fingerprint, signature_status, received_at, merged_units, file_sha256"
			       " FROM submissions ORDER BY CASE status WHEN 'accepted' THEN 0 WHEN 'superseded' THEN 1"
			       " ELSE 2 END, id", -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	rtable_begin(&t, c->d, cols, 8, 8, 0, 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = col_text(st, 2), *reason = col_text(st, 3), *name = col_text(st, 4);
		const char *signer = col_text(st, 9), *fp = col_text(st, 10), *received = col_text(st, 12);
		int accepted = status && !strcmp(status, "accepted"), rejected = status && !strcmp(status, "rejected");
		long long merged = sqlite3_column_int64(st, 13), sup;
		char no[32], total[32], viol[32], over[32], date[16];
		const char *cells[8];
		const struct rgb *cc[8] = { 0 };
		struct rrow_style rs = { .cell_color = cc };

		sb_reset(&unit);
		if (name)
			sb_adds(&unit, name);
		else if (signer)
			sb_addf(&unit, "%s（据签名证书）", signer);
		else
			sb_adds(&unit, "（单位不明）");
		if (accepted && merged > 1)
			sb_addf(&unit, "（汇总下级单位%lld个）", merged);
		if (col_text(st, 1))
			sb_addf(&unit, "\n%s", base_name(col_text(st, 1)));

		sb_reset(&stat);
		if (accepted)
			sb_adds(&stat, "已接收");
		else if (!rejected && reason && sscanf(reason, "superseded by #%lld", &sup) == 1)
			sb_addf(&stat, "已被第%lld号报送替代", sup);
		else if (!rejected)
			sb_addf(&stat, "已被替代%s%s", reason ? "：" : "", reason ? reason : "");
		else
			sb_addf(&stat, "退回：%s", reason ? reason : "—");
		sb_addf(&stat, "\n签名：%s", signature_cn(col_text(st, 11)));
		if (signer && (!name || strcmp(signer, name)))
			sb_addf(&stat, "，证书单位为%s", signer);
		if (fp) {
			sb_adds(&stat, "\n证书指纹 ");
			short_fingerprint(fp, &stat);
		}
		if (col_text(st, 14))
			sb_addf(&stat, "\n文件SHA-256 %s", col_text(st, 14));

		snprintf(no, sizeof(no), "%lld", sqlite3_column_int64(st, 0));
		snprintf(date, sizeof(date), "%.10s", received ? received : "—");
		cells[0] = no;
		cells[1] = unit.p;
		cells[2] = sqlite3_column_type(st, 5) == SQLITE_NULL ? "—" : fmt_score(sqlite3_column_double(st, 5), total);
		cells[3] = col_text(st, 6) ? col_text(st, 6) : "—";
		cells[4] = sqlite3_column_type(st, 7) == SQLITE_NULL ? "—" : fmt_count(sqlite3_column_int64(st, 7), viol);
		cells[5] = sqlite3_column_type(st, 8) == SQLITE_NULL ? "—" : fmt_count(sqlite3_column_int64(st, 8), over);
		cells[6] = stat.p;
		cells[7] = date;
		if (rejected) {
			rs.fill = &rejected_fill;
			cc[6] = &RGB_RED;
		} else if (!accepted) {
			rs.color = &RGB_GREY;
		}
		rtable_row(&t, cells, &rs);
	}
	rtable_end(&t);
	sqlite3_finalize(st);
	sb_release(&unit);
	sb_release(&stat);
	rdoc_para(c->d, &RST_NOTE, "注：得分、等次、违规问题数（规则核查发现的问题项数）和逾期整改数取自各单位报告内嵌的数据，"
		  "为该单位本级的数字，其中逾期整改数按本报告生成之日重新判断；签名无效的报告不读取其数据。"
		  "接收日期为本级接收并核验该文件的日期。完整记录（含完整证书指纹）见本报告内嵌的数据文件。");
	return 0;
}

/* ---- (二) the spread of the scores ---- */

/* The highest or the lowest total and whose it is (the first received
 * among equals). */
static void extreme(struct rctx *c, int lowest, struct strbuf *sb)
{
	sqlite3_stmt *st;
	char b[32];

	if (sqlite3_prepare_v2(c->sub, lowest
			       ? "SELECT total, unit FROM submissions WHERE status = 'accepted' AND total IS NOT NULL"
				 " ORDER BY total, id LIMIT 1"
			       : "SELECT total, unit FROM submissions WHERE status = 'accepted' AND total IS NOT NULL"
				 " ORDER BY total DESC, id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(sb, "%s%s分（%s）", lowest ? "，最低" : "，最高", fmt_score(sqlite3_column_double(st, 0), b),
			col_text(st, 1) ? col_text(st, 1) : "—");
	sqlite3_finalize(st);
}

static int scores(struct rctx *c)
{
	const struct checklist *cl = c->cl;
	const struct rroll *r = &c->roll;
	struct chart_bin bins[10];
	char labels[10][16], b1[32], b2[32];
	long long *per_grade;
	struct chart_band *bands;
	struct strbuf sb = { 0 };
	sqlite3_stmt *st;

	if (!r->scored) {
		rdoc_para(c->d, &RST_BODY, r->accepted ? "已接收的报告均没有总分，不作得分分布。" : "尚未接收任何报告。");
		return 0;
	}
	per_grade = calloc(cl->ngrades + 1, sizeof(*per_grade));
	bands = calloc(cl->ngrades + 1, sizeof(*bands));
	if (!per_grade || !bands) {
		free(per_grade);
		free(bands);
		return zj_err(c->err, "%s", _("out of memory"));
	}
	for (int i = 0; i < 10; i++) {
		snprintf(labels[i], sizeof(labels[i]), "%d–%d", i * 10, i * 10 + 10);
		bins[i] = (struct chart_bin){ labels[i], 0, i * 10.0 };
	}
	for (size_t i = 0; i < cl->ngrades; i++)
		bands[i] = (struct chart_band){ cl->grades[i].name, cl->grades[i].min };
	if (sqlite3_prepare_v2(c->sub, "SELECT total FROM submissions WHERE status = 'accepted' AND total IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK) {
		free(per_grade);
		free(bands);
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		double v = sqlite3_column_double(st, 0);
		size_t g = cl->ngrades;

		bins[v >= 100 ? 9 : v <= 0 ? 0 : (int)(v / 10)].count++;
		for (size_t i = 0; i < cl->ngrades; i++)
			if (v >= cl->grades[i].min) {
				g = i;
				break;
			}
		per_grade[g]++;
	}
	sqlite3_finalize(st);

	sb_addf(&sb, "已接收的%s份报告中，%s份有总分", fmt_count(r->accepted, b1), fmt_count(r->scored, b2));
	if (r->scored > 1) {
		sb_addf(&sb, "，平均%s分", fmt_score(r->mean, b1));
		extreme(c, 0, &sb);
		extreme(c, 1, &sb);
	} else {
		extreme(c, 0, &sb);
	}
	sb_adds(&sb, "；按等次，");
	for (size_t i = 0; i < cl->ngrades; i++)
		sb_addf(&sb, "%s%s%s份", i ? "、" : "", cl->grades[i].name, fmt_count(per_grade[i], b1));
	if (per_grade[cl->ngrades])
		sb_addf(&sb, "、未定等次%s份", fmt_count(per_grade[cl->ngrades], b1));
	sb_adds(&sb, "。");
	if (r->accepted > r->scored)
		sb_addf(&sb, "另有%s份报告没有总分，不计入下图。", fmt_count(r->accepted - r->scored, b1));
	rdoc_para(c->d, &RST_BODY, sb.p);
	sb_release(&sb);
	rchart_histogram(c->d, bins, 10, "单位数（个）", "得分（分）：各组含下限、不含上限，100分计入90–100",
			 "颜色表示等次", bands, cl->ngrades);
	free(per_grade);
	free(bands);
	return 0;
}

/* ---- (三) the articles most often violated ---- */

static int articles(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "序号", 0.07, RA_CENTER, 0 },
		{ "条款", 0.37, RA_LEFT, 0 },
		{ "存在问题的\n单位数", 0.14, RA_RIGHT, 0 },
		{ "占单位总数\n（个数/总数）", 0.16, RA_RIGHT, 0 },
		{ "问题数", 0.12, RA_RIGHT, 0 },
		{ "平均得分", 0.14, RA_RIGHT, 0 },
	};
	const struct rroll *r = &c->roll;
	struct strbuf sb = { 0 };
	struct rtable t;
	sqlite3_stmt *st;
	long long rank = 0;
	int rc;

	if (!r->accepted) {
		rdoc_para(c->d, &RST_BODY, "尚未接收任何报告。");
		return 0;
	}
	if (sqlite3_prepare_v2(c->sub, "SELECT r.article, sum(r.units_violating), sum(r.violated), avg(r.score)"
			       " FROM received_articles r JOIN submissions s ON s.id = r.submission"
			       " WHERE s.status = 'accepted' GROUP BY r.article"
			       " HAVING sum(r.units_violating) > 0 OR sum(r.violated) > 0"
			       " ORDER BY 2 DESC, 3 DESC, 1", -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int no = sqlite3_column_int(st, 0);
		const struct cl_article *art = checklist_article(c->cl, no);
		long long units = sqlite3_column_int64(st, 1);
		char n[32], b1[32], b2[32], b3[64], b4[32];
		const char *cells[6];

		if (!rank++) {
			sb_addf(&sb, "问题最集中的是第%s条", rcn_num(no, n));
			if (art)
				sb_addf(&sb, "“%s”", art->title);
			sb_addf(&sb, "：%s个单位存在问题，共%s项。下表按存在问题的单位数、再按问题数排列各条款。",
				fmt_count(units, b1), fmt_count(sqlite3_column_int64(st, 2), b2));
			rdoc_para(c->d, &RST_BODY, sb.p);
			rtable_begin(&t, c->d, cols, 6, 8.5, 0, 0);
		}
		sb_reset(&sb);
		sb_addf(&sb, "第%s条 %s", rcn_num(no, n), art ? art->title : "");
		snprintf(b1, sizeof(b1), "%lld", rank);
		rpct(units, r->units, b3);
		cells[0] = b1;
		cells[1] = sb.p;
		cells[2] = fmt_count(units, b2);
		cells[3] = b3;
		cells[4] = fmt_count(sqlite3_column_int64(st, 2), b4);
		cells[5] = sqlite3_column_type(st, 3) == SQLITE_NULL ? "—" : fmt_score(sqlite3_column_double(st, 3), n);
		rtable_row(&t, cells, NULL);
	}
	sqlite3_finalize(st);
	sb_release(&sb);
	if (rc != SQLITE_DONE) {
		if (rank)
			rtable_end(&t);
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	}
	if (!rank) {
		rdoc_para(c->d, &RST_BODY, "已接收的报告中，规则核查均未发现问题。");
		return 0;
	}
	rtable_end(&t);
	{
		char b[32];
		struct strbuf note = { 0 };

		sb_addf(&note, "注：单位总数为已接收报告涉及的单位%s个（上报单位本身汇总了下级单位的，按其汇总的下级单位计）；"
			"问题数为规则核查发现的问题项数之和；平均得分为已接收报告本条得分的平均值。",
			fmt_count(r->units, b));
		rdoc_para(c->d, &RST_NOTE, note.p);
		sb_release(&note);
	}
	return 0;
}

/* What was received, summed by the campaign's four problem types
 * (received_types, format 4): what a province adds up. */
static int types(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "问题类型", 0.24, RA_LEFT, 0 },
		{ "存在问题的单位数", 0.22, RA_RIGHT, 0 },
		{ "问题数", 0.18, RA_RIGHT, 0 },
		{ "待核实", 0.18, RA_RIGHT, 0 },
		{ "整改事项", 0.18, RA_RIGHT, 0 },
	};
	struct rtable t;
	sqlite3_stmt *st;
	/* Summed per enum problem_type, the last for no type, and printed in
	 * the enum's order, which is the campaign's. */
	long long sum[PT_COUNT + 1][4] = { { 0 } };
	int seen[PT_COUNT + 1] = { 0 }, rc, any = 0, untyped = 0;

	if (!c->roll.accepted)
		return 0;
	if (sqlite3_prepare_v2(c->sub, "SELECT r.type, sum(r.units_violating), sum(r.violated), sum(r.unknown),"
			       " sum(r.rectifications) FROM received_types r JOIN submissions s ON s.id = r.submission"
			       " WHERE s.status = 'accepted' GROUP BY r.type", -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int ty = problem_type_parse((const char *)sqlite3_column_text(st, 0));

		if (ty < 0)
			ty = PT_COUNT;
		seen[ty] = 1;
		for (int k = 0; k < 4; k++)
			sum[ty][k] += sqlite3_column_int64(st, k + 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	for (int ty = 0; ty <= PT_COUNT; ty++) {
		char b[4][32];
		const char *cells[5];

		if (!seen[ty] || (ty == PT_COUNT && !sum[ty][1] && !sum[ty][2] && !sum[ty][3]))
			continue;
		if (!any++) {
			rdoc_lead(c->d, &RST_BODY, "按2024年《“指尖上的形式主义”全国整治工作方案》的四类问题汇总如下。");
			rtable_begin(&t, c->d, cols, 5, 8.5, 0, 0);
		}
		untyped |= ty == PT_COUNT;
		cells[0] = ty < PT_COUNT ? problem_type_label(ty) : "未分类";
		for (int k = 0; k < 4; k++)
			cells[k + 1] = fmt_count(sum[ty][k], b[k]);
		rtable_row(&t, cells, NULL);
	}
	if (any)
		rtable_end(&t);
	if (untyped)
		rdoc_para(c->d, &RST_NOTE, "注：数据格式早于第4版的报告未按问题类型统计，其问题和整改事项列为“未分类”。");
	return 0;
}

/* ---- (四) the units with most overdue rectifications ---- */

static int overdue(struct rctx *c)
{
	static const struct rcol leaf_cols[] = {
		{ "名次", 0.08, RA_CENTER, 0 },
		{ "单位", 0.40, RA_LEFT, 1 },
		{ "整改事项", 0.14, RA_RIGHT, 0 },
		{ "逾期整改数", 0.14, RA_RIGHT, 0 },
		{ "逾期占比\n（逾期/整改事项）", 0.24, RA_RIGHT, 0 },
	};
	static const struct rcol merged_cols[] = {
		{ "名次", 0.07, RA_CENTER, 0 },
		{ "单位", 0.27, RA_LEFT, 1 },
		{ "本级\n整改事项", 0.11, RA_RIGHT, 0 },
		{ "本级逾期", 0.11, RA_RIGHT, 0 },
		{ "含下级\n整改事项", 0.11, RA_RIGHT, 0 },
		{ "含下级\n逾期", 0.11, RA_RIGHT, 0 },
		{ "逾期占比\n（逾期/整改事项）", 0.22, RA_RIGHT, 0 },
	};
	const struct rroll *r = &c->roll;
	struct strbuf sb = { 0 };
	struct rtable t;
	sqlite3_stmt *st;
	long long below = 0, units = 0, sum = 0, rank = 0;
	char b1[32], b2[32];

	if (!r->accepted) {
		rdoc_para(c->d, &RST_BODY, "尚未接收任何报告。");
		return 0;
	}
	/* Does any accepted report carry figures from below its own? */
	if (sqlite3_prepare_v2(c->sub, "SELECT coalesce(sum(coalesce(merged_overdue, overdue) <> overdue"
			       " OR coalesce(merged_rectifications, rectifications) <> rectifications), 0),"
			       " coalesce(sum(coalesce(merged_overdue, overdue, 0) > 0), 0),"
			       " coalesce(sum(coalesce(merged_overdue, overdue, 0)), 0)"
			       " FROM submissions WHERE status = 'accepted'", -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	if (sqlite3_step(st) == SQLITE_ROW) {
		below = sqlite3_column_int64(st, 0);
		units = sqlite3_column_int64(st, 1);
		sum = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (!units) {
		rdoc_para(c->d, &RST_BODY, "已接收的报告均没有逾期未完成的整改事项。");
		return 0;
	}
	sb_addf(&sb, "已接收的报告中，%s个单位有逾期未完成的整改事项（整改期限早于%s且未完成），共%s项%s。",
		fmt_count(units, b1), rfmt_date(c->ws->today, (char[40]){ 0 }), fmt_count(sum, b2),
		below ? "（含其汇总的下级单位；下级单位汇总的部分以其报告生成之日为准）" : "");
	if (units > 10)
		sb_adds(&sb, "下表列出逾期整改数最多的10个单位。");
	rdoc_para(c->d, &RST_BODY, sb.p);
	sb_release(&sb);
	if (sqlite3_prepare_v2(c->sub, "SELECT unit, coalesce(rectifications, 0), coalesce(overdue, 0),"
			       " coalesce(merged_rectifications, rectifications, 0), coalesce(merged_overdue, overdue, 0)"
			       " FROM submissions WHERE status = 'accepted' AND coalesce(merged_overdue, overdue, 0) > 0"
			       " ORDER BY 5 DESC, 3 DESC, 4, id LIMIT 10", -1, &st, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	if (below)
		rtable_begin(&t, c->d, merged_cols, 7, 8.5, 0, 0);
	else
		rtable_begin(&t, c->d, leaf_cols, 5, 8.5, 0, 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long rect = sqlite3_column_int64(st, 3), over = sqlite3_column_int64(st, 4);
		char no[32], c1[32], c2[32], c3[32], c4[32], pct[64];
		const char *cells[7];
		const struct rgb *cc[7] = { 0 };
		struct rrow_style rs = { .cell_color = cc };
		size_t k = 0;

		snprintf(no, sizeof(no), "%lld", ++rank);
		rpct(over, rect, pct);
		cells[k++] = no;
		cells[k++] = col_text(st, 0) ? col_text(st, 0) : "—";
		if (below) {
			cells[k++] = fmt_count(sqlite3_column_int64(st, 1), c1);
			cells[k++] = fmt_count(sqlite3_column_int64(st, 2), c2);
		}
		cells[k++] = fmt_count(rect, c3);
		cc[k] = &RGB_RED;
		cells[k++] = fmt_count(over, c4);
		cells[k++] = pct;
		rtable_row(&t, cells, &rs);
	}
	sqlite3_finalize(st);
	rtable_end(&t);
	return 0;
}

int sec_rollup(struct rctx *c)
{
	struct rdoc *d = c->d;
	const struct rroll *r = &c->roll;
	struct strbuf sb = { 0 };
	HPDF_Outline top;
	char b1[32], b2[32], b3[32];

	if (!r->present)
		return 0;
	top = ranx_begin(c, RANX_ROLLUP);
	if (!r->files)
		sb_adds(&sb, "截至本报告生成时，本级尚未收到下级单位报送的自查报告。");
	else
		sb_addf(&sb, "本级逐份核验下级单位报送的自查报告的数字签名，核验通过后再读取其内嵌数据；签名无效、"
			"为草稿、自查期间或检查清单不符、不在应报送单位名单内或重复报送的，予以退回。截至本报告生成时，共收到报告%s份："
			"接收%s份，退回%s份", fmt_count(r->files, b1), fmt_count(r->accepted, b2), fmt_count(r->rejected, b3));
	if (r->superseded)
		sb_addf(&sb, "，被同一单位重新报送的报告替代%s份", fmt_count(r->superseded, b1));
	if (r->files)
		sb_adds(&sb, "。");
	if (r->units > r->accepted)
		sb_addf(&sb, "已接收的报告共汇总了下级单位%s个。", fmt_count(r->units, b1));
	if (!r->expected)
		sb_adds(&sb, "本级未导入应报送单位名单，无法核对未报送的单位。");
	rdoc_para(d, &RST_BODY, sb.p);
	sb_release(&sb);

	if (!r->files && !r->expected)
		return 0;
	rhead2(c, top, "（一）报送情况", 80);
	if (files_table(c) < 0)
		return -1;
	rhead2(c, top, "（二）得分分布", 240);
	if (scores(c) < 0)
		return -1;
	rhead2(c, top, "（三）问题集中的条款", 80);
	if (articles(c) < 0 || types(c) < 0)
		return -1;
	rhead2(c, top, "（四）逾期整改较多的单位", 60);
	if (overdue(c) < 0)
		return -1;
	if (r->expected) {
		rhead2(c, top, "（五）未报送的单位", 40);
		sb_addf(&sb, "应报送单位%s个，", fmt_count(r->expected, b1));
		if (r->nmissing) {
			sb_addf(&sb, "其中%zu个尚未报送或所报均被退回：", r->nmissing);
			missing_names(r, &sb, r->nmissing);
			sb_adds(&sb, "。");
		} else {
			sb_adds(&sb, "均已报送并被接收。");
		}
		rdoc_para(d, &RST_BODY, sb.p);
		sb_release(&sb);
	}
	return 0;
}
