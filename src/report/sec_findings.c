/* 附件2 问题清单, 六 问题明细: the findings by article.  Past the per-article quota the
 * worst cases are listed and the rest is left to the embedded data, so the
 * report stays a few hundred pages at any inventory size. */
#include "report/sections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/table.h"
#include "util/i18n.h"
#include "util/strbuf.h"

/* Violated groups first, high severity first, then in rule order. */
static int cmp_group(const void *a, const void *b)
{
	const struct rgroup *x = *(struct rgroup *const *)a, *y = *(struct rgroup *const *)b;

	if (x->unknown != y->unknown)
		return x->unknown - y->unknown;
	if (x->sev != y->sev)
		return x->sev - y->sev;
	return (x->rule > y->rule) - (x->rule < y->rule);
}

static int cmp_total(const void *a, const void *b)
{
	const struct rgroup *x = *(struct rgroup *const *)a, *y = *(struct rgroup *const *)b;

	return (x->total > y->total) - (x->total < y->total);
}

/* Shares `quota` rows among groups as evenly as their sizes allow (the
 * smallest groups are served first and give back what they do not use);
 * returns what is left. */
static size_t share(struct rgroup **g, size_t n, size_t quota, size_t *take)
{
	struct rgroup **s = malloc((n + 1) * sizeof(*s));

	if (!s)
		return quota;
	memcpy(s, g, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_total);
	for (size_t i = 0; i < n; i++) {
		size_t fair = quota / (n - i), want = (size_t)s[i]->total, t;

		if (want > s[i]->n)
			want = s[i]->n;
		t = want < fair ? want : fair;
		for (size_t k = 0; k < n; k++)
			if (g[k] == s[i])
				take[k] = t;
		quota -= t;
	}
	free(s);
	return quota;
}

static void message(const struct rrule *ru, int unknown, unsigned long long nulls,
		    const char *peer_name, const char *peer_id, int peer_reasons, struct strbuf *sb)
{
	const struct inventory *inv = inventory_get(ru->inv);

	sb_reset(sb);
	if (!unknown) {
		size_t n = strlen(ru->message);

		if (!peer_id || strcmp(ru->method, "similar-apps")) {
			sb_adds(sb, ru->message);
			return;
		}
		/* As the submission's view words it: the peer inside the
		 * sentence. */
		if (n >= 3 && !strcmp(ru->message + n - 3, "。"))
			n -= 3;
		sb_add(sb, ru->message, n);
		sb_addf(sb, "（与“%s”%s%s）。", peer_name ? peer_name : "", peer_id,
			peer_reasons == 3 ? "名称和功能相近" : peer_reasons == 2 ? "功能相近" : "名称相近");
		return;
	}
	sb_adds(sb, "需核实：");
	{
		size_t before = sb->len;

		for (size_t k = 0; k < inv->ncols; k++)
			if ((nulls & (unsigned long long)ru->reads) >> k & 1)
				sb_addf(sb, "%s%s", sb->len > before ? "、" : "", inv->cols[k].header);
		if (sb->len == before)
			sb_adds(sb, "相关字段");
	}
	sb_adds(sb, "为空");
}

static int article(struct rctx *c, const struct cl_article *art, HPDF_Outline top, size_t quota,
		   sqlite3_stmt *subj, int *seq)
{
	static const struct rcol cols[] = {
		{ "编号", 0.13, RA_LEFT, 0 },
		{ "名称", 0.17, RA_LEFT, 1 },
		{ "规则", 0.15, RA_LEFT, 0 },
		{ "风险", 0.06, RA_CENTER, 0 },
		{ "状态", 0.08, RA_CENTER, 0 },
		{ "说明", 0.31, RA_LEFT, 0 },
		{ "整改加分", 0.10, RA_RIGHT, 0 },
	};
	struct rgroup **g = calloc(c->nrules * 2 + 1, sizeof(*g));
	size_t *take = calloc(c->nrules * 2 + 1, sizeof(*take));
	size_t ng = 0, nv = 0, listed = 0;
	long long v = 0, u = 0;
	struct strbuf sb = { 0 }, msg = { 0 };
	struct rtable t;
	char n[32], b1[32], b2[32], b3[32];
	int rc = -1;

	if (!g || !take) {
		zj_err(c->err, "%s", _("out of memory"));
		goto out;
	}
	for (size_t i = 0; i < c->nrules * 2; i++) {
		struct rgroup *gr = &c->groups[i];

		if (c->rules[gr->rule].article != art->no || !gr->total)
			continue;
		g[ng++] = gr;
		if (gr->unknown)
			u += gr->total;
		else
			v += gr->total;
	}
	if (!ng) {
		rc = 0;
		goto out;
	}
	qsort(g, ng, sizeof(*g), cmp_group);
	while (nv < ng && !g[nv]->unknown)
		nv++;
	/* The worst cases first: violations take the quota, unknowns what
	 * is left of it. */
	quota = share(g, nv, quota, take);
	share(g + nv, ng - nv, quota, take + nv);

	sb_addf(&sb, "（%s）第%s条　%s（问题%s项，待核实%s项）", rcn_num(++*seq, n), rcn_num(art->no, b3), art->title,
		fmt_count(v, b1), fmt_count(u, b2));
	rhead2(c, top, sb.p, 80);
	sb_reset(&sb);
	for (size_t i = 0; i < ng; i++)
		listed += take[i];
	if ((long long)listed < v + u) {
		sb_addf(&sb, "本条共%s项，以下列出其中%s项：违反规定的优先，高风险优先，同一规则下违反规则最多的对象优先。"
			"其余%s项见本报告内嵌的数据文件。", fmt_count(v + u, b1),
			fmt_count((long long)listed, b2), fmt_count(v + u - (long long)listed, b3));
		rdoc_lead(c->d, &RST_NOTE, sb.p);
		sb_reset(&sb);
	}
	rtable_begin(&t, c->d, cols, 7, 8, 0, 0);
	for (size_t i = 0; i < ng; i++) {
		const struct rrule *ru = &c->rules[g[i]->rule];

		for (size_t k = 0; k < take[i] && k < g[i]->n; k++) {
			unsigned long long sv, su, nulls;
			const struct rgb *cc[7] = { 0 };
			struct rrow_style rs = { .cell_color = cc };
			const char *cells[7];
			char gain[32];
			double gn = -1;

			sqlite3_bind_int64(subj, 1, g[i]->v[k].sid);
			if (sqlite3_step(subj) != SQLITE_ROW) {
				sqlite3_reset(subj);
				continue;
			}
			sv = (unsigned long long)sqlite3_column_int64(subj, 2);
			su = (unsigned long long)sqlite3_column_int64(subj, 3);
			nulls = (unsigned long long)sqlite3_column_int64(subj, 4);
			message(ru, g[i]->unknown, nulls, (const char *)sqlite3_column_text(subj, 5),
				(const char *)sqlite3_column_text(subj, 6), sqlite3_column_int(subj, 7), &msg);
			if (!g[i]->unknown && c->gain && ru->bit < 64)
				gn = gain_for(c->gain, (int)ru->inv, sv, su, 1ull << ru->bit);
			if (gn >= 0.05)
				snprintf(gain, sizeof(gain), "+%.1f", gn);
			else if (gn >= 0.005)
				snprintf(gain, sizeof(gain), "<0.1");
			else
				snprintf(gain, sizeof(gain), "%s", gn < 0 ? "—" : "0");
			cells[0] = (const char *)sqlite3_column_text(subj, 0);
			cells[1] = (const char *)sqlite3_column_text(subj, 1);
			cells[2] = ru->title;
			cells[3] = severity_label(ru->sev);
			cells[4] = g[i]->unknown ? "待核实" : "违反";
			cells[5] = msg.p ? msg.p : "";
			cells[6] = gain;
			if (!g[i]->unknown && ru->sev == SEV_HIGH)
				cc[3] = cc[4] = &RGB_RED;
			rtable_row(&t, cells, &rs);
			sqlite3_reset(subj);
		}
	}
	rtable_end(&t);
	rc = 0;
out:
	free(g);
	free(take);
	sb_release(&sb);
	sb_release(&msg);
	return rc;
}

int rfindings(struct rctx *c, HPDF_Outline top)
{
	struct rdoc *d = c->d;
	size_t quota = c->o->appendix_rows ? c->o->appendix_rows : REPORT_APPENDIX_ROWS;
	sqlite3_stmt *subj;
	struct strbuf sb = { 0 };
	char b1[32], b2[32];
	int rc = 0, seq = 0;

	if (!c->violated && !c->unknown) {
		rdoc_para(d, &RST_BODY, c->a.scored ? "规则核查未发现问题，也没有待核实的情形。" : "尚未开展规则核查，没有问题明细。");
		return 0;
	}
	sb_addf(&sb, "本部分按条款列出规则核查发现的问题（共%s项）和因数据缺失待核实的情形（共%s项），"
		"每个对象、每条规则计一项。每条最多列出%zu项；超出时优先列出违反规定、风险高、违反规则多的对象，"
		"完整清单见本报告内嵌的数据文件（见“数据与签名说明”）。“整改加分”是仅纠正该项问题后总分的提高幅度。",
		fmt_count(c->violated, b1), fmt_count(c->unknown, b2), quota);
	rdoc_para(d, &RST_BODY, sb.p);
	sb_release(&sb);
	if (sqlite3_prepare_v2(c->sub, "SELECT s.subject_id, s.subject_name, s.violated, s.unknown, s.nulls,"
			       " p.subject_name, p.subject_id, s.peer_reasons"
			       " FROM subjects s LEFT JOIN subjects p ON p.sid = s.peer WHERE s.sid = ?",
			       -1, &subj, NULL) != SQLITE_OK)
		return rctx_sql_error(c, c->sub, _("cannot read the submission"));
	for (size_t a = 0; a < c->cl->narticles && rc == 0; a++)
		rc = article(c, &c->cl->articles[a], top, quota, subj, &seq);
	sqlite3_finalize(subj);
	return rc;
}
