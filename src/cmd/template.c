/*
 * zhijian template apps|accounts|groups -o FILE.xlsx: a workbook an office
 * fills in and sends back, written with libxlsxwriter from the inventory's
 * own column list (core/inventory), so a column added there is in the next
 * template.  One sheet for the inventory: the Chinese headers (required ones
 * marked), a note on each saying what it takes, drop-down lists for the
 * enumerated and yes/no columns, date-formatted and date-checked date
 * columns, whole numbers checked; a second sheet says how to fill it in.
 * Everything the template accepts, import accepts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cmd/cmd.h"
#include "core/inventory.h"
#include "util/i18n.h"

#define ROWS 5000	/* rows the checks and formats cover */

static const char usage[] = "zhijian template apps|accounts|groups -o FILE.xlsx";

/* What a column takes, for its header note (the template is Chinese, as
 * the offices that fill it in are). */
static const char *type_note(const struct inv_column *c)
{
	switch (c->type) {
	case COL_LIST:
		return "文本，多项以英文分号 ; 分隔";
	case COL_ENUM:
		return "从下拉列表中选择";
	case COL_DATE:
		return "日期，如 2026-03-01（也可写 2026/3/1、2026年3月1日）";
	case COL_INT:
		return "非负整数，如 12345（也可写 12,345、1.2万、300人）";
	case COL_BOOL:
		return "是 / 否（也可写 有/无、√/×）；不清楚请留空，不要填“否”";
	case COL_FILING:
		return "备案号；未备案填“无”；不清楚请留空";
	case COL_TEXT:
	default:
		return "文本";
	}
}

static int write_template(const struct inventory *inv, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws, *help;
	lxw_format *head, *req, *date, *wrap;
	/* libxlsxwriter's validation fields are char * though it only copies
	 * them: writable arrays, not string literals. */
	static char yes[] = "是", no[] = "否", err_title[] = "填写有误",
		    err_list[] = "请从下拉列表中选择。", err_bool[] = "请填写“是”或“否”；不清楚请留空。",
		    err_date[] = "请填写 1990 至 2100 年间的日期，如 2026-03-01。", err_int[] = "请填写非负整数。";
	static char *yes_no[] = { yes, no, NULL };
	char title[128];
	int row = 1;

	if (!wb)
		return -1;
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_text_wrap(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_border(head, LXW_BORDER_THIN);
	req = workbook_add_format(wb);
	format_set_bold(req);
	format_set_text_wrap(req);
	format_set_align(req, LXW_ALIGN_CENTER);
	format_set_align(req, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(req, 0xFCE4D6);
	format_set_border(req, LXW_BORDER_THIN);
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd");
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);

	ws = workbook_add_worksheet(wb, inv->title);
	worksheet_set_row(ws, 0, 36, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t i = 0; i < inv->ncols; i++) {
		const struct inv_column *c = &inv->cols[i];
		lxw_col_t col = (lxw_col_t)i;
		lxw_data_validation dv = { 0 };
		char note[512], header[128];
		size_t w = strlen(c->header) / 3 * 2 + 4;

		snprintf(header, sizeof(header), "%s%s", c->header, c->required ? "*" : "");
		worksheet_write_string(ws, 0, col, header, c->required ? req : head);
		snprintf(note, sizeof(note), "%s（%s）\n%s%s", c->header, c->key, type_note(c),
			 c->required ? "\n必填" : "");
		if (c->type == COL_ENUM) {
			size_t off = strlen(note);

			off += (size_t)snprintf(note + off, sizeof(note) - off, "\n可选：");
			for (const struct inv_enum_value *v = c->values; v && v->value; v++)
				off += (size_t)snprintf(note + off, sizeof(note) - off, "%s%s", v == c->values ? "" : "、", v->value);
		}
		worksheet_write_comment(ws, 0, col, note);
		worksheet_set_column(ws, col, col, w < 10 ? 10 : w > 28 ? 28 : (double)w,
				     c->type == COL_DATE ? date : NULL);

		dv.ignore_blank = LXW_VALIDATION_ON;
		dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
		dv.error_title = err_title;
		switch (c->type) {
		case COL_ENUM: {
			char vbuf[15][64], *vals[16];
			size_t n = 0;

			for (const struct inv_enum_value *v = c->values; v && v->value && n < 15; v++) {
				snprintf(vbuf[n], sizeof(vbuf[n]), "%s", v->value);
				vals[n] = vbuf[n];
				n++;
			}
			vals[n] = NULL;
			dv.validate = LXW_VALIDATION_TYPE_LIST;
			dv.value_list = vals;
			dv.error_message = err_list;
			worksheet_data_validation_range(ws, 1, col, ROWS, col, &dv);
			break;
		}
		case COL_BOOL:
			dv.validate = LXW_VALIDATION_TYPE_LIST;
			dv.value_list = yes_no;
			dv.error_message = err_bool;
			worksheet_data_validation_range(ws, 1, col, ROWS, col, &dv);
			break;
		case COL_DATE:
			dv.validate = LXW_VALIDATION_TYPE_DATE;
			dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
			dv.minimum_datetime = (lxw_datetime){ 1990, 1, 1, 0, 0, 0 };
			dv.maximum_datetime = (lxw_datetime){ 2100, 12, 31, 0, 0, 0 };
			dv.error_message = err_date;
			worksheet_data_validation_range(ws, 1, col, ROWS, col, &dv);
			break;
		case COL_INT:
			dv.validate = LXW_VALIDATION_TYPE_INTEGER;
			dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
			dv.value_number = 0;
			dv.error_message = err_int;
			worksheet_data_validation_range(ws, 1, col, ROWS, col, &dv);
			break;
		default:
			break;
		}
	}

	help = workbook_add_worksheet(wb, "填表说明");
	worksheet_set_column(help, 0, 0, 90, wrap);
	snprintf(title, sizeof(title), "%s摸排统计表填表说明", inv->title);
	worksheet_write_string(help, 0, 0, title, head);
	{
		static const char *const lines[] = {
			"1. 每行填写一个对象；表头请勿修改、删除或调换顺序之外的改动（可以增加本单位需要的列，导入时作为附加数据保留）。",
			"2. 带 * 的列为必填，“编号”在本单位内不得重复；再次报送同一编号即更新该行。",
			"3. 是/否类列：填“是”或“否”；情况不清楚时请留空（留空表示“未知”，会被列为需核实，而不是按“否”处理）。",
			"4. 日期列：填日期，如 2026-03-01；整数列：填数字，可写 1.2万、12,345。",
			"5. 鼠标移到表头可查看每列的说明；填好后直接报送本工作簿（.xlsx），无需另存为 CSV。",
		};

		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
			worksheet_write_string(help, (lxw_row_t)row++, 0, lines[i], wrap);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

int cmd_template(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct inventory *inv;
	const char *out = NULL;
	char *tmp;
	int c, fd;

	(void)ctx;
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "ho:", opts, "template", usage)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (argc - optind != 1 || !out)
		return usage_error(usage, "%s", _("template takes an inventory and -o FILE.xlsx"));
	inv = inventory_by_name(argv[optind]);
	if (!inv)
		return usage_error(usage, _("'%s' is not an inventory (apps, accounts, groups)"), argv[optind]);

	/* Written beside the target under a fresh name, then renamed. */
	if (!(tmp = malloc(strlen(out) + 8)))
		return EXIT_FAIL;
	sprintf(tmp, "%s.XXXXXX", out);
	fd = mkstemp(tmp);
	if (fd < 0) {
		error_msg(_("cannot write '%s': %s"), out, strerror(errno));
		free(tmp);
		return EXIT_FAIL;
	}
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0644 & ~mask);
	}
	close(fd);
	if (write_template(inv, tmp) < 0 || rename(tmp, out) != 0) {
		error_msg(_("cannot write '%s': %s"), out, errno ? strerror(errno) : _("libxlsxwriter failed"));
		unlink(tmp);
		free(tmp);
		return EXIT_FAIL;
	}
	free(tmp);
	printf(_("wrote %s: the %s template (%zu columns)\n"), out, inventory_title_word(inv->kind), inv->ncols);
	return EXIT_OK;
}
