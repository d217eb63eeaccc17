/* 附件2 问题清单: the inventories (by form, platform, status and
 * audience), the problems by inventory, severity and article, the data
 * gaps, the 空壳/僵尸 list, the duplicate clusters, and the findings by
 * article (sec_findings.c). */
#include "report/sections.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "report/table.h"
#include "util/i18n.h"
#include "util/strbuf.h"

/* Values listed per dimension before the rest is summed as 其他. */
#define TOP_VALUES 10
/* Subjects and clusters listed before the rest is counted. */
#define TOP_LIST 20

static void dimensions(struct rctx *c, enum inv_kind k)
{
	static const struct rcol cols[] = {
		{ "项目", 0.20, RA_LEFT, 0 },
		{ "取值", 0.50, RA_LEFT, 1 },
		{ "数量", 0.12, RA_RIGHT, 0 },
		{ "占比（个数/总数）", 0.18, RA_RIGHT, 0 },
	};
	static const char *const dims[] = { "form", "platform", "status", "audience" };
	const struct inventory *inv = inventory_get(k);
	const char *multi = NULL;	/* a dimension counted per value of a list */
	struct rtable t;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(c->sub, "SELECT value, count FROM inventory_counts WHERE inventory = ? AND dimension = ?"
			       " ORDER BY count DESC, value", -1, &st, NULL) != SQLITE_OK) {
		rctx_sql_error(c, c->sub, _("cannot read the submission"));
		return;
	}
	rtable_begin(&t, c->d, cols, 4, RD_SMALL, 0, 0);
	for (size_t di = 0; di < sizeof(dims) / sizeof(dims[0]); di++) {
		int col = inventory_find_column(inv, dims[di]);
		long long rest = 0, nrest = 0, sum = 0;
		size_t shown = 0;

		if (col < 0)
			continue;
		sqlite3_bind_text(st, 1, inv->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, dims[di], -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(st, 0);
			long long n = sqlite3_column_int64(st, 1);
			char b[32], pct[64];
			const char *cells[4];

			sum += n;
			if (shown >= TOP_VALUES) {
				rest += n;
				nrest++;
				continue;
			}
			rpct(n, c->inv_rows[k], pct);
			cells[0] = shown ? "" : inv->cols[col].header;
			cells[1] = v ? v : "（未填）";
			cells[2] = fmt_count(n, b);
			cells[3] = pct;
			rtable_row(&t, cells, NULL);
			shown++;
		}
		sqlite3_reset(st);
		if (sum > c->inv_rows[k] && !multi)
			multi = inv->cols[col].header;
		if (nrest) {
			char b[32], b2[32], pct[64], label[64];
			const char *cells[4];

			snprintf(label, sizeof(label), "其他（%s种）", fmt_count(nrest, b2));
			rpct(rest, c->inv_rows[k], pct);
			cells[0] = "";
			cells[1] = label;
			cells[2] = fmt_count(rest, b);
			cells[3] = pct;
			rtable_row(&t, cells, NULL);
		}
	}
	rtable_end(&t);
	sqlite3_finalize(st);
	if (multi) {
		struct strbuf sb = { 0 };

		sb_addf(&sb, "注：占比的分母为本清单的对象数。一个对象的“%s”可有多个取值（如“微信;支付宝”），"
			"按取值分别计数，各取值占比之和可超过100%%。", multi);
		rdoc_para(c->d, &RST_NOTE, sb.p);
		sb_release(&sb);
	}
}

/* The 空壳/僵尸 list is exactly the subjects of the rules the checklist marks
 * `zombie = yes` (core/policy.h): apps of low use relative to their
 * audience, not every finding of article 7. */
struct zctx {
	struct rtable t;
	struct strbuf sb;
};

static int zombie_row(void *ctx, const struct zombie_row *z)
{
	struct zctx *zc = ctx;
	const char *cells[5];
	char b1[32], b2[32];

	sb_reset(&zc->sb);
	if (z->inv == INV_APPS) {
		sb_addf(&zc->sb, "%s：月活跃%s，注册%s；最近更新%s", z->audience ? z->audience : "服务对象未填",
			z->monthly_active_users >= 0 ? fmt_count(z->monthly_active_users, b1) : "未填",
			z->registered_users >= 0 ? fmt_count(z->registered_users, b2) : "未填",
			z->last_updated_on ? z->last_updated_on : "未填");
	}
	cells[0] = z->id;
	cells[1] = z->name;
	cells[2] = z->host_unit;
	cells[3] = z->rules;
	cells[4] = zc->sb.p ? zc->sb.p : "";
	rtable_row(&zc->t, cells, NULL);
	return 0;
}

static int zombies(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "编号", 0.15, RA_LEFT, 0 },
		{ "名称", 0.22, RA_LEFT, 1 },
		{ "主办单位", 0.18, RA_LEFT, 1 },
		{ "问题", 0.15, RA_LEFT, 0 },
		{ "情况", 0.30, RA_LEFT, 0 },
	};
	struct zctx zc = { .sb = { 0 } };
	struct strbuf sb = { 0 };
	long long total = 0;
	char b[32];
	int marked = 0;

	for (size_t r = 0; r < c->cl->nrules; r++)
		marked |= c->cl->rules[r].zombie;
	if (!marked) {
		rdoc_para(c->d, &RST_BODY, c->a.scored ? "检查清单未标注“空壳”“僵尸”类规则。" : "尚未评分。");
		return 0;
	}
	total = c->zombies;	/* counted by the findings pass */
	sb_addf(&sb, "按检查清单，“空壳”“僵尸”清单只列使用频率低的政务应用程序（月活跃用户数为零，或低于注册用户数的"
		"清单默认比例，比例及其依据见附件1评分明细），共%s个；长期未更新等其他问题不列入此清单。"
		"是否“实用性不强”、应否关停注销，须结合实际研判。", fmt_count(total, b));
	if (total > TOP_LIST)
		sb_addf(&sb, "以下列出月活跃用户数最少的%d个：", TOP_LIST);
	if (total)
		rdoc_lead(c->d, &RST_BODY, sb.p);
	else
		rdoc_para(c->d, &RST_BODY, sb.p);
	sb_release(&sb);
	if (!total)
		return 0;
	rtable_begin(&zc.t, c->d, cols, 5, 8.5, 0, 0);
	if (policy_zombies(c->db, TOP_LIST, zombie_row, &zc, NULL, c->err) < 0) {
		rtable_end(&zc.t);
		sb_release(&zc.sb);
		return -1;
	}
	rtable_end(&zc.t);
	sb_release(&zc.sb);
	return 0;
}

/* ---- duplicate clusters ---- */

/* Union-find over the rowids that occur in the pairs.  Rowids of one
 * import are dense, so an index is the rowid less the smallest one: no
 * sort, no search per pair (sorting and searching the 800,000 ends of a
 * million apps' pairs was a tenth of the report).  Only where the rowids
 * are sparse (a hole four times the pairs' size) are the distinct rowids
 * sorted and searched instead.  An index of the dense range that no pair
 * names stays a cluster of one, which is never listed. */
struct uf {
	long long *id;		/* sparse: sorted distinct rowids; dense: NULL */
	long long base;		/* dense: the smallest rowid */
	uint32_t *parent, *size;
	size_t n;
};

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static uint32_t uf_find(struct uf *u, uint32_t i)
{
	while (u->parent[i] != i) {
		u->parent[i] = u->parent[u->parent[i]];
		i = u->parent[i];
	}
	return i;
}

static size_t uf_index(const struct uf *u, long long id)
{
	const long long *p;

	if (!u->id)
		return id >= u->base && (unsigned long long)(id - u->base) < u->n ? (size_t)(id - u->base) : (size_t)-1;
	p = bsearch(&id, u->id, u->n, sizeof(*u->id), cmp_ll);
	return p ? (size_t)(p - u->id) : (size_t)-1;
}

static long long uf_rowid(const struct uf *u, size_t i)
{
	return u->id ? u->id[i] : u->base + (long long)i;
}

/* Sets up u for the 2 * npairs rowids of pairs; -1 out of memory. */
static int uf_init(struct uf *u, const long long *pairs, size_t npairs)
{
	size_t ends = npairs * 2;
	long long lo = 0, hi = -1;

	for (size_t i = 0; i < ends; i++) {
		if (!i || pairs[i] < lo)
			lo = pairs[i];
		if (!i || pairs[i] > hi)
			hi = pairs[i];
	}
	if (ends && (unsigned long long)(hi - lo) < (unsigned long long)ends * 4 + 4096 &&
	    (unsigned long long)(hi - lo) < UINT32_MAX) {
		u->base = lo;
		u->n = (size_t)(hi - lo) + 1;
	} else if (ends) {
		u->id = malloc(ends * sizeof(*u->id));
		if (!u->id)
			return -1;
		memcpy(u->id, pairs, ends * sizeof(*u->id));
		qsort(u->id, ends, sizeof(*u->id), cmp_ll);
		for (size_t i = 0; i < ends; i++)
			if (!u->n || u->id[u->n - 1] != u->id[i])
				u->id[u->n++] = u->id[i];
	}
	u->parent = malloc((u->n + 1) * sizeof(*u->parent));
	u->size = malloc((u->n + 1) * sizeof(*u->size));
	if (!u->parent || !u->size)
		return -1;
	for (size_t i = 0; i < u->n; i++) {
		u->parent[i] = (uint32_t)i;
		u->size[i] = 1;
	}
	return 0;
}

struct cluster {
	uint32_t root, size;
	long long first;	/* the root's rowid: a stable order among equals */
};

static int cmp_cluster(const void *a, const void *b)
{
	const struct cluster *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return (x->first > y->first) - (x->first < y->first);
}

/* Clusters of inventory k from pairs of rowids (2 per pair), listed. */
static int clusters(struct rctx *c, enum inv_kind k, long long *pairs, size_t npairs, const char *what)
{
	static const struct rcol cols[] = {
		{ "序号", 0.07, RA_CENTER, 0 },
		{ "主办单位", 0.22, RA_LEFT, 1 },
		{ "数量", 0.08, RA_RIGHT, 0 },
		{ "成员（编号 名称）", 0.63, RA_LEFT, 1 },
	};
	const struct inventory *inv = inventory_get(k);
	struct uf u = { 0 };
	struct cluster *cl = NULL;
	size_t ncl = 0, members = 0;
	struct strbuf sb = { 0 };
	int rc = -1;
	char b1[32], b2[32];

	if (uf_init(&u, pairs, npairs) < 0)
		goto oom;
	for (size_t p = 0; p < npairs; p++) {
		size_t ia = uf_index(&u, pairs[2 * p]), ib = uf_index(&u, pairs[2 * p + 1]);
		uint32_t a, b;

		if (ia == (size_t)-1 || ib == (size_t)-1)
			continue;
		a = uf_find(&u, (uint32_t)ia);
		b = uf_find(&u, (uint32_t)ib);
		if (a == b)
			continue;
		if (u.size[a] < u.size[b]) {
			uint32_t t = a;

			a = b;
			b = t;
		}
		u.parent[b] = a;
		u.size[a] += u.size[b];
	}
	for (size_t i = 0; i < u.n; i++)
		if (u.parent[i] == i && u.size[i] > 1)
			ncl++;
	cl = malloc((ncl + 1) * sizeof(*cl));
	if (!cl)
		goto oom;
	ncl = 0;
	for (size_t i = 0; i < u.n; i++)
		if (u.parent[i] == i && u.size[i] > 1) {
			cl[ncl++] = (struct cluster){ (uint32_t)i, u.size[i], uf_rowid(&u, i) };
			members += u.size[i];
		}
	if (ncl > 1)
		qsort(cl, ncl, sizeof(*cl), cmp_cluster);
	sb_addf(&sb, "%s：%s组重复，共涉及%s个%s", what, fmt_count((long long)ncl, b1), fmt_count((long long)members, b2),
		k == INV_APPS ? "应用" : "群组");
	sb_adds(&sb, ncl > TOP_LIST ? "。以下列出规模最大的20组：" : ncl ? "：" : "。");
	if (ncl)
		rdoc_lead(c->d, &RST_BODY, sb.p);
	else
		rdoc_para(c->d, &RST_BODY, sb.p);
	sb_reset(&sb);
	if (ncl) {
		size_t top = ncl < TOP_LIST ? ncl : TOP_LIST;
		struct members {
			long long id[8];
			size_t n;
		} *mem = calloc(top, sizeof(*mem));
		int32_t *rank = malloc((u.n + 1) * sizeof(*rank));
		struct rtable t;
		sqlite3_stmt *st;
		char *sql;

		if (!mem || !rank) {
			free(mem);
			free(rank);
			goto oom;
		}
		/* One pass gathers the first members of the listed clusters. */
		for (size_t i = 0; i < u.n; i++)
			rank[i] = -1;
		for (size_t i = 0; i < top; i++)
			rank[cl[i].root] = (int32_t)i;
		for (size_t m = 0; m < u.n; m++) {
			int32_t r = rank[uf_find(&u, (uint32_t)m)];

			if (r >= 0 && mem[r].n < 8)
				mem[r].id[mem[r].n++] = uf_rowid(&u, m);
		}
		free(rank);
		sql = sqlite3_mprintf("SELECT id, name, host_unit FROM %s WHERE rowid = ?", inv->table);
		if (!sql || sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
			sqlite3_free(sql);
			free(mem);
			rctx_sql_error(c, c->db, _("cannot read the inventory"));
			goto out;
		}
		sqlite3_free(sql);
		rtable_begin(&t, c->d, cols, 4, 8.5, 0, 0);
		for (size_t i = 0; i < top; i++) {
			struct strbuf unit = { 0 };
			char no[16], sz[32];
			const char *cells[4];

			for (size_t k2 = 0; k2 < mem[i].n; k2++) {
				sqlite3_bind_int64(st, 1, mem[i].id[k2]);
				if (sqlite3_step(st) == SQLITE_ROW) {
					sb_addf(&sb, "%s%s %s", sb.len ? "；" : "", sqlite3_column_text(st, 0),
						sqlite3_column_text(st, 1));
					if (!unit.len && sqlite3_column_text(st, 2))
						sb_adds(&unit, (const char *)sqlite3_column_text(st, 2));
				}
				sqlite3_reset(st);
			}
			if (cl[i].size > mem[i].n)
				sb_addf(&sb, "；等%zu个", (size_t)cl[i].size);
			snprintf(no, sizeof(no), "%zu", i + 1);
			cells[0] = no;
			cells[1] = unit.p ? unit.p : "";
			cells[2] = fmt_count((long long)cl[i].size, sz);
			cells[3] = sb.p ? sb.p : "";
			rtable_row(&t, cells, NULL);
			sb_reset(&sb);
			sb_release(&unit);
		}
		sqlite3_finalize(st);
		rtable_end(&t);
		free(mem);
	}
	rc = 0;
	goto out;
oom:
	zj_err(c->err, "%s", _("out of memory"));
out:
	free(u.id);
	free(u.parent);
	free(u.size);
	free(cl);
	sb_release(&sb);
	return rc;
}

static int duplicates(struct rctx *c)
{
	long long *pairs = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	int rc = 0;

	/* Apps: the similarity pass's peers (rules of method similar-apps),
	 * gathered by the findings pass. */
	if (c->inv_rows[INV_APPS])
		rc = clusters(c, INV_APPS, c->dup_pairs, c->ndup_pairs, "名称或功能相近的政务应用程序");
	else
		rdoc_para(c->d, &RST_BODY, "政务应用程序清单未导入。");
	/* Groups: the 与之重复的群组编号 column. */
	if (rc == 0 && c->inv_rows[INV_GROUPS]) {
		if (sqlite3_prepare_v2(c->db, "SELECT g.rowid, d.rowid FROM inv_groups g JOIN inv_groups d"
				       " ON d.id = g.duplicate_of WHERE g.duplicate_of IS NOT NULL", -1, &st, NULL) != SQLITE_OK)
			return rctx_sql_error(c, c->db, _("cannot read the inventory"));
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				long long *v = realloc(pairs, ncap * 2 * sizeof(*v));

				if (!v) {
					sqlite3_finalize(st);
					free(pairs);
					return zj_err(c->err, "%s", _("out of memory"));
				}
				pairs = v;
				cap = ncap;
			}
			pairs[2 * n] = sqlite3_column_int64(st, 0);
			pairs[2 * n + 1] = sqlite3_column_int64(st, 1);
			n++;
		}
		sqlite3_finalize(st);
		rc = clusters(c, INV_GROUPS, pairs, n, "重复设置的工作群组");
	}
	free(pairs);
	return rc;
}

static void counts_table(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "清单", 0.22, RA_LEFT, 0 },
		{ "条目数", 0.13, RA_RIGHT, 0 },
		{ "有问题的对象", 0.15, RA_RIGHT, 0 },
		{ "违反·高", 0.125, RA_RIGHT, 0 },
		{ "违反·中", 0.125, RA_RIGHT, 0 },
		{ "违反·低", 0.125, RA_RIGHT, 0 },
		{ "待核实", 0.125, RA_RIGHT, 0 },
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
	rdoc_para(c->d, &RST_NOTE, "注：问题按“每个对象、每条规则”计一项；“待核实”指规则所需字段为空或填报相互矛盾、"
		  "无法判定的情形，不视为符合。");
}

/* The campaign's four problem types (core/policy.h): findings, subjects and
 * rectifications by type, as the level above sums them. */
static int types_table(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "问题类型", 0.22, RA_LEFT, 0 },
		{ "违反", 0.13, RA_RIGHT, 0 },
		{ "涉及对象", 0.13, RA_RIGHT, 0 },
		{ "待核实", 0.13, RA_RIGHT, 0 },
		{ "整改事项", 0.13, RA_RIGHT, 0 },
		{ "未完成", 0.13, RA_RIGHT, 0 },
		{ "逾期", 0.13, RA_RIGHT, 0 },
	};
	struct type_count tc[PT_COUNT + 1];
	struct rtable t;
	char b[6][32];

	/* The subjects per type come from the findings pass (sec_common.c). */
	if (policy_by_type(c->db, c->cl, c->ws->today, 0, tc, c->err) < 0)
		return -1;
	for (int k = 0; k <= PT_COUNT; k++)
		tc[k].subjects = c->type_subjects[k];
	rtable_begin(&t, c->d, cols, 7, RD_SMALL, 0, 0);
	for (int k = 0; k <= PT_COUNT; k++) {
		const char *cells[7];

		if (k == PT_COUNT && !tc[k].violated && !tc[k].unknown && !tc[k].rectifications)
			continue;
		cells[0] = k < PT_COUNT ? problem_type_label(k) : "未分类";
		cells[1] = fmt_count(tc[k].violated, b[0]);
		cells[2] = fmt_count(tc[k].subjects, b[1]);
		cells[3] = fmt_count(tc[k].unknown, b[2]);
		cells[4] = fmt_count(tc[k].rectifications, b[3]);
		cells[5] = fmt_count(tc[k].open, b[4]);
		cells[6] = fmt_count(tc[k].overdue, b[5]);
		rtable_row(&t, cells, NULL);
	}
	rtable_end(&t);
	rdoc_para(c->d, &RST_NOTE, "注：问题类型按2024年《“指尖上的形式主义”全国整治工作方案》的过多过滥、多头填报、"
		  "建设不规范、功能异化四类，每条规则标注一类；整改事项按其针对的规则归类，"
		  "针对的规则分属不同类型的列为“未分类”。");
	/* Overdue is judged against today, as in the ledger (DESIGN.md
	 * "Ledger and levels"), and the table says which day that was. */
	{
		char note[160], day[40];

		snprintf(note, sizeof(note), "“逾期”指截至%s已过整改期限仍未完成的整改事项。",
			 rfmt_date(c->ws->today, day));
		rdoc_para(c->d, &RST_NOTE, note);
	}
	return 0;
}

static void gaps_table(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "条款", 0.08, RA_CENTER, 0 },
		{ "规则", 0.30, RA_LEFT, 0 },
		{ "清单", 0.16, RA_LEFT, 0 },
		{ "待核实", 0.11, RA_RIGHT, 0 },
		{ "为空的字段（对象数）", 0.35, RA_LEFT, 0 },
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

/* The articles with problems, the worst first (most high-severity
 * violations, then most violations). */
struct art_row {
	int article;
	long long violated, high, unknown;
};

static int cmp_art_row(const void *a, const void *b)
{
	const struct art_row *x = a, *y = b;

	if (x->high != y->high)
		return x->high < y->high ? 1 : -1;
	if (x->violated != y->violated)
		return x->violated < y->violated ? 1 : -1;
	if (x->unknown != y->unknown)
		return x->unknown < y->unknown ? 1 : -1;
	return x->article - y->article;
}

static void by_article(struct rctx *c)
{
	static const struct rcol cols[] = {
		{ "条款", 0.40, RA_LEFT, 0 },
		{ "问题", 0.15, RA_RIGHT, 0 },
		{ "其中高风险", 0.15, RA_RIGHT, 0 },
		{ "待核实", 0.15, RA_RIGHT, 0 },
		{ "本条得分", 0.15, RA_RIGHT, 0 },
	};
	const struct checklist *cl = c->cl;
	struct art_row *v = calloc(cl->narticles + 1, sizeof(*v));
	struct strbuf sb = { 0 };
	struct rtable t;
	size_t n = 0;

	if (!v)
		return;
	for (size_t a = 0; a < cl->narticles; a++) {
		struct art_row r = { cl->articles[a].no, 0, 0, 0 };

		for (size_t i = 0; i < c->nrules; i++)
			if (c->rules[i].article == r.article) {
				r.violated += c->rules[i].violated;
				r.unknown += c->rules[i].unknown;
				if (c->rules[i].sev == SEV_HIGH)
					r.high += c->rules[i].violated;
			}
		if (r.violated || r.unknown)
			v[n++] = r;
	}
	if (!n) {
		rdoc_para(c->d, &RST_BODY, "各条款的规则核查均未发现问题或待核实的情形。");
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), cmp_art_row);
	rtable_begin(&t, c->d, cols, 5, 10.5, 0, 0);
	for (size_t i = 0; i < n; i++) {
		const struct cl_article *art = checklist_article(cl, v[i].article);
		char b1[32], b2[32], b3[32], b4[32], no[32];
		const char *cells[5];
		const struct rgb *cc[5] = { 0 };
		struct rrow_style rs = { .cell_color = cc };

		sb_reset(&sb);
		sb_addf(&sb, "第%s条　%s", rcn_num(v[i].article, no), art ? art->title : "");
		cells[0] = sb.p;
		cells[1] = fmt_count(v[i].violated, b1);
		cells[2] = fmt_count(v[i].high, b2);
		cells[3] = fmt_count(v[i].unknown, b3);
		cells[4] = fmt_score(c->a.article_score[v[i].article - 1], b4);
		if (v[i].high)
			cc[2] = &RGB_RED;
		rtable_row(&t, cells, &rs);
	}
	rtable_end(&t);
	sb_release(&sb);
	free(v);
}

int sec_problems(struct rctx *c)
{
	struct rdoc *d = c->d;
	HPDF_Outline top, h;
	char n[32], b1[32], b2[32], pct[64];
	/* With no inventory (a province that imports none of its own) each
	 * part below is one line: a heading asks to keep only that with it,
	 * not 80 points, or each would wait for the next page. */
	int any = c->inv_rows[INV_APPS] || c->inv_rows[INV_ACCOUNTS] || c->inv_rows[INV_GROUPS];
	double keep = any ? 80 : 0;

	top = ranx_begin(c, RANX_PROBLEMS);
	h = rhead1(c, top, "一、清单概况", 80);
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		struct strbuf sb = { 0 };

		sb_addf(&sb, "（%s）%s", rcn_num(k + 1, n), inv->title);
		rhead2(c, h, sb.p, c->inv_rows[k] ? 80 : 0);
		sb_reset(&sb);
		if (!c->inv_rows[k]) {
			rdoc_para(d, &RST_BODY, "本清单未导入。");
			sb_release(&sb);
			continue;
		}
		sb_addf(&sb, "共%s个，其中%s个存在问题或待核实情形，占%s。", fmt_count(c->inv_rows[k], b1),
			fmt_count(c->inv_subjects[k], b2), rpct(c->inv_subjects[k], c->inv_rows[k], pct));
		rdoc_para(d, &RST_BODY, sb.p);
		sb_release(&sb);
		dimensions(c, (enum inv_kind)k);
	}
	rtrace(" p.inventories");
	h = rhead1(c, top, "二、问题统计", 80);
	rhead2(c, h, "（一）按清单和风险程度", 80);
	counts_table(c);
	rhead2(c, h, "（二）按问题类型", 80);
	if (types_table(c) < 0)
		return -1;
	rtrace(" p.types");
	rhead2(c, h, "（三）按条款（问题多的在前）", 80);
	by_article(c);
	rhead1(c, top, "三、待核实的数据缺口", any ? 60 : 0);
	gaps_table(c);
	rtrace(" p.gaps");
	rhead1(c, top, "四、“空壳”“僵尸”清单", keep);
	if (zombies(c) < 0)
		return -1;
	rtrace(" p.zombies");
	rhead1(c, top, "五、重复建设情况", keep);
	if (duplicates(c) < 0)
		return -1;
	rtrace(" p.duplicates");
	return rfindings(c, rhead1(c, top, "六、问题明细", keep));
}
