#include "cmd/rectify_export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/rectify.h"
#include "util/file.h"
#include "util/i18n.h"
#include "util/strbuf.h"

static const struct {
	const char *header;
	double width;
} columns[] = {
	{ "编号", 6 }, { "状态", 8 }, { "是否逾期", 8 }, { "待验证", 7 }, { "条款", 6 },
	{ "整改对象", 8 }, { "清单", 9 }, { "对象编号", 14 }, { "对象名称", 24 },
	{ "规则或检查项", 22 }, { "整改措施", 40 }, { "责任单位", 16 }, { "责任人", 10 },
	{ "整改时限", 11 }, { "取消原因", 20 }, { "整改后分数提升", 12 },
	/* A single subject rarely moves an item's three-step verdict, so the
	 * gain is often 0.00: what fixing would change is the item's next
	 * step, in words and as the count to fix (issue 15 item 9). */
	{ "下一档", 44 }, { "达到下一档需整改对象数", 12 },
	{ "创建时间", 20 }, { "更新时间", 20 },
	/* Left empty for the units to fill in; `rectify import` reads them
	 * back (core/rectify.h rect_import_header). */
	{ "整改进展", 36 }, { "进展日期", 11 }, { "佐证材料", 24 },
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))
_Static_assert(NCOLS == 23, "cells() fills the columns by position");

static const char *target_label(enum rect_target t)
{
	return t == RT_FINDING ? "发现问题" : t == RT_ITEM ? "检查项" : "条款";
}

enum { COL_ID = 0, COL_ART = 4, COL_DEADLINE = 13, COL_GAIN = 15, COL_NEXT = 16, COL_FIX = 17 };

struct cell_text {
	char id[24], art[8], gain[24], next[256], fix[24];
};

/* The cells of one row as text, in column order; numbers as text too. */
static void cells(const struct rect_row *r, const char *out[NCOLS], struct cell_text *t)
{
	char *id = t->id, *art = t->art, *gain = t->gain;

	snprintf(id, 24, "%lld", r->id);
	snprintf(art, 8, "%d", r->article);
	if (r->gain < 0)
		snprintf(gain, 24, "—");
	else
		snprintf(gain, 24, "%.2f", r->gain);
	out[0] = id;
	out[1] = rect_status_label(r->status);
	out[2] = r->overdue ? "逾期" : "";
	out[3] = r->ready ? "是" : "";
	out[4] = art;
	out[5] = target_label(r->target);
	out[6] = r->inventory ? r->inventory : "";
	out[7] = r->subject_id ? r->subject_id : "";
	out[8] = r->subject_name ? r->subject_name : "";
	out[9] = r->rule ? r->rule : r->item ? r->item : "";
	out[10] = r->measure ? r->measure : "";
	out[11] = r->unit ? r->unit : "";
	out[12] = r->owner ? r->owner : "";
	out[13] = r->deadline ? r->deadline : "";
	out[14] = r->cancel_reason ? r->cancel_reason : "";
	out[15] = gain;
	out[COL_NEXT] = rect_next_text_zh(r->next_item, &r->next_step, t->next, sizeof(t->next));
	t->fix[0] = '\0';
	if (r->next_item && r->next_step.found)
		snprintf(t->fix, sizeof(t->fix), "%lld", r->next_step.fix);
	out[COL_FIX] = t->fix;
	out[18] = r->created_at ? r->created_at : "";
	out[19] = r->updated_at ? r->updated_at : "";
	out[20] = out[21] = out[22] = "";
}

struct csv_ctx {
	FILE *f;
	long long n;
};

static int csv_row(void *vctx, const struct rect_row *r)
{
	struct csv_ctx *c = vctx;
	const char *v[NCOLS];
	struct cell_text t;

	cells(r, v, &t);
	for (size_t i = 0; i < NCOLS; i++)
		csvout_field(c->f, v[i], strlen(v[i]), i + 1 == NCOLS, 1);
	c->n++;
	return ferror(c->f) ? -1 : 0;
}

struct xlsx_ctx {
	lxw_worksheet *ws;
	lxw_format *date, *date_late, *late, *num, *num_late;
	lxw_row_t row;
	long long n;
	lxw_error e;
};

static int xlsx_row(void *vctx, const struct rect_row *r)
{
	struct xlsx_ctx *x = vctx;
	const char *v[NCOLS];
	struct cell_text t;
	lxw_format *text = r->overdue ? x->late : NULL;

	cells(r, v, &t);
	x->row++;
	for (lxw_col_t c = 0; c < NCOLS && !x->e; c++) {
		if (c == COL_ID || c == COL_ART || (c == COL_FIX && *v[c])) {
			x->e = worksheet_write_number(x->ws, x->row, c, atof(v[c]), r->overdue ? x->num_late : x->num);
		} else if (c == COL_DEADLINE && r->deadline && strlen(r->deadline) == 10) {
			/* A deadline is a date cell, so it sorts and filters
			 * as one in Excel. */
			lxw_datetime dt = { atoi(r->deadline), atoi(r->deadline + 5), atoi(r->deadline + 8), 0, 0, 0 };

			x->e = worksheet_write_datetime(x->ws, x->row, c, &dt, r->overdue ? x->date_late : x->date);
		} else if (c == COL_GAIN && r->gain >= 0) {
			x->e = worksheet_write_number(x->ws, x->row, c, r->gain, r->overdue ? x->num_late : x->num);
		} else if (*v[c]) {
			/* Strings are shared-string cells: Excel never runs
			 * them, whatever they start with. */
			x->e = worksheet_write_string(x->ws, x->row, c, v[c], text);
		} else if (text) {
			x->e = worksheet_write_blank(x->ws, x->row, c, text);
		}
	}
	x->n++;
	return x->e ? -1 : 0;
}

int rectify_export(sqlite3 *db, const struct workspace *ws, int xlsx, const char *path,
		   long long *count, struct zj_error *err)
{
	struct rect_filter f = { .status = -1 };
	struct file_replace fr = { 0 };

	*count = 0;
	/* Written beside the target and renamed over it, 0644 whatever the
	 * umask, never through a symbolic link planted at its name. */
	if (file_replace_begin(&fr, path, err) < 0)
		return -1;
	if (!xlsx) {
		struct csv_ctx c = { file_fopen_excl(fr.tmp, FILE_MODE_PUBLIC, err), 0 };
		int rc;

		if (!c.f) {
			file_replace_abort(&fr);
			return -1;
		}
		fputs("\xef\xbb\xbf", c.f);
		for (size_t i = 0; i < NCOLS; i++)
			csvout_field(c.f, columns[i].header, strlen(columns[i].header), i + 1 == NCOLS, 0);
		rc = rectify_list(db, ws, &f, csv_row, &c, err);
		if (fclose(c.f) != 0 && rc == 0)
			rc = zj_err(err, _("cannot write '%s': %s"), path, strerror(errno));
		if (rc < 0 || file_replace_commit(&fr, path, FILE_MODE_PUBLIC, err) < 0) {
			file_replace_abort(&fr);
			return -1;
		}
		*count = c.n;
		return 0;
	}
	{
		lxw_workbook *wb = workbook_new(fr.tmp);
		struct xlsx_ctx x = { 0 };
		lxw_format *head;
		lxw_error e;
		int rc;

		if (!wb) {
			file_replace_abort(&fr);
			return zj_err(err, _("cannot write '%s'"), path);
		}
		x.ws = workbook_add_worksheet(wb, "整改台账");
		head = workbook_add_format(wb);
		format_set_bold(head);
		format_set_bg_color(head, 0xD9E1F2);
		format_set_text_wrap(head);
		x.date = workbook_add_format(wb);
		format_set_num_format(x.date, "yyyy-mm-dd");
		x.num = workbook_add_format(wb);
		x.late = workbook_add_format(wb);
		format_set_bg_color(x.late, 0xFFC7CE);
		format_set_font_color(x.late, 0x9C0006);
		x.date_late = workbook_add_format(wb);
		format_set_num_format(x.date_late, "yyyy-mm-dd");
		format_set_bg_color(x.date_late, 0xFFC7CE);
		format_set_font_color(x.date_late, 0x9C0006);
		x.num_late = workbook_add_format(wb);
		format_set_bg_color(x.num_late, 0xFFC7CE);
		format_set_font_color(x.num_late, 0x9C0006);
		for (lxw_col_t c = 0; c < NCOLS; c++) {
			worksheet_set_column(x.ws, c, c, columns[c].width, NULL);
			worksheet_write_string(x.ws, 0, c, columns[c].header, head);
		}
		worksheet_freeze_panes(x.ws, 1, 0);
		rc = rectify_list(db, ws, &f, xlsx_row, &x, err);
		if (rc == 0 && x.e)
			rc = zj_err(err, _("cannot write '%s': %s"), path, lxw_strerror(x.e));
		if (rc == 0)
			worksheet_autofilter(x.ws, 0, 0, x.row, NCOLS - 1);
		e = workbook_close(wb);
		if (rc == 0 && e != LXW_NO_ERROR)
			rc = zj_err(err, _("cannot write '%s': %s"), path, lxw_strerror(e));
		if (rc < 0 || file_replace_commit(&fr, path, FILE_MODE_PUBLIC, err) < 0) {
			file_replace_abort(&fr);
			return -1;
		}
		*count = x.n;
		return 0;
	}
}
