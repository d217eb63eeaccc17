/* zhijian import apps|accounts|groups FILE: one inventory (CSV, .xlsx, .xls), atomically. */
#include <getopt.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/import.h"
#include "util/i18n.h"

#define LISTED_ERRORS 50
#define PREVIEW_ROWS 3

static const char usage[] =
	"zhijian import apps|accounts|groups FILE [--sheet NAME|N] [--map MAP]\n"
	"                    [--encoding auto|utf-8|gb18030] [--replace] [--skip-invalid] [--dry-run]";

struct sink {
	long long errors;
	int tty;
	int progress_shown;
};

static void on_error(void *ctx, const char *msg)
{
	struct sink *s = ctx;

	if (s->progress_shown) {
		fputs("\r\033[K", stderr);
		s->progress_shown = 0;
	}
	if (++s->errors <= LISTED_ERRORS)
		fprintf(stderr, "%s\n", msg);
}

static void on_progress(void *ctx, long long done, long long total, long long rows)
{
	struct sink *s = ctx;

	if (!s->tty)
		return;
	if (total > 0)
		fprintf(stderr, _("\rimporting: %lld%% (%lld rows)"), done * 100 / total, rows);
	else
		fprintf(stderr, _("\rimporting: %lld rows"), rows);
	s->progress_shown = 1;
}

static const char *how_text(enum colmap_how how)
{
	switch (how) {
	case MATCH_MAP: return _("by the map");
	case MATCH_ALIAS: return _("alias");
	case MATCH_NORMALIZED: return _("normalised");
	case MATCH_EXACT:
	case MATCH_NONE:
	default: return "";
	}
}

/* The column's own line: "  B  应用名称      name  (alias, FILE:LINE)". */
static void print_column(FILE *f, const struct inventory *inv, const struct import_column *c)
{
	fprintf(f, "    %-3s ", c->letter);
	put_cell(f, c->header ? c->header : "", 24, 0);
	fputs("  ", f);
	if (c->reason)
		fputs(_("our own reasons column: ignored"), f);
	else if (c->blank)
		fputs(_("no header: kept as extra data if it holds anything"), f);
	else if (c->col >= 0 && c->how != MATCH_EXACT)
		fprintf(f, "%s  (%s%s%s)", label_field(inv, c->col), how_text(c->how), c->via ? ", " : "",
			c->via ? c->via : "");
	else if (c->col >= 0)
		fputs(label_field(inv, c->col), f);
	else if (c->suggest >= 0)
		fprintf(f, _("not in the contract; may be '%s' (%s)"), inv->cols[c->suggest].header,
			label_field(inv, c->suggest));
	else
		fputs(_("not in the contract: kept as extra data"), f);
	fputc('\n', f);
}

/* Sheet and header facts: "sheet '摸排表' (the workbook also has …); header
 * on row 3, 2 rows above it skipped". */
static void print_where_read(FILE *f, const struct import_result *res)
{
	if (res->sheet) {
		fprintf(f, _("  sheet '%s'"), res->sheet);
		if (res->nsheets > 1) {
			int first = 1;

			fputs(_(" (the workbook also has "), f);
			for (size_t i = 0; i < res->nsheets; i++) {
				if (!strcmp(res->sheets[i], res->sheet))
					continue;
				fprintf(f, "%s'%s'", first ? "" : ", ", res->sheets[i]);
				first = 0;
			}
			fputs(_("; choose with --sheet)"), f);
		}
		fputc('\n', f);
	}
	if (res->skipped_above || res->subheader_row) {
		fprintf(f, res->sheet ? _("  header on row %ld") : _("  header on line %ld"), res->header_row);
		if (res->subheader_row)
			fprintf(f, _(" and %ld"), res->subheader_row);
		if (res->skipped_above)
			fprintf(f, _("; %ld rows above it skipped (titles, groups)"), res->skipped_above);
		fputc('\n', f);
	}
}

static void print_preview(const struct inventory *inv, const struct import_result *res)
{
	if (!res->npreview)
		return;
	printf(_("preview of the first %zu rows as they will be stored:\n"), res->npreview);
	for (size_t r = 0; r < res->npreview; r++) {
		const struct import_preview *p = &res->preview[r];

		printf("  %s%s%s\n", p->where, p->error ? "  " : "", p->error ? _("(invalid: not stored)") : "");
		for (size_t i = 0; i < res->ncolumns; i++) {
			int c = res->columns[i].col;

			if (c < 0)
				continue;
			fputs("    ", stdout);
			put_cell(stdout, label_field(inv, c), 26, 0);
			fputs(p->stored[c] ? p->stored[c] : _("(empty: unknown)"), stdout);
			if (p->source[c])
				printf(_("  ← '%s'"), p->source[c]);
			fputc('\n', stdout);
		}
	}
}

static void print_columns(FILE *f, const struct inventory *inv, const struct import_result *res)
{
	for (size_t i = 0; i < res->ncolumns; i++)
		print_column(f, inv, &res->columns[i]);
}

int cmd_import(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ "sheet", required_argument, NULL, 'S' },
		{ "map", required_argument, NULL, 'm' },
		{ "replace", no_argument, NULL, 'r' },
		{ "skip-invalid", no_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sink sink = { .tty = isatty(2) };
	struct import_opts o = { .on_error = on_error, .on_progress = on_progress, .ctx = &sink };
	struct import_result res;
	const struct inventory *inv;
	struct zj_error err;
	int c, rc;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "hn", opts, "import", usage)) != -1) {
		switch (c) {
		case 'e':
			if (!strcasecmp(optarg, "auto"))
				o.encoding = CSVREAD_AUTO;
			else if (!strcasecmp(optarg, "utf-8") || !strcasecmp(optarg, "utf8"))
				o.encoding = CSVREAD_UTF8;
			else if (!strcasecmp(optarg, "gb18030") || !strcasecmp(optarg, "gbk") ||
				 !strcasecmp(optarg, "gb2312"))
				o.encoding = CSVREAD_GB18030;
			else
				return usage_error(usage, _("'%s' is not an encoding (auto, utf-8, gb18030)"), optarg);
			break;
		case 'S': o.sheet = optarg; break;
		case 'm': o.map = optarg; break;
		case 'r': o.replace = 1; break;
		case 's': o.skip_invalid = 1; break;
		case 'n': o.dry_run = 1; o.preview = PREVIEW_ROWS; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (argc - optind != 2)
		return usage_error(usage, "%s", _("import takes an inventory and a FILE"));
	inv = inventory_by_name(argv[optind]);
	if (!inv)
		return usage_error(usage, _("'%s' is not an inventory (apps, accounts, groups)"), argv[optind]);
	o.kind = inv->kind;
	o.path = argv[optind + 1];
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;

	rc = import_run(ctx->db, &o, &res, &err);
	if (sink.progress_shown)
		fputs("\r\033[K", stderr);
	if (rc < 0) {
		error_msg("%s", err.msg);
		if (res.missing_columns && res.ncolumns) {
			fputs(_("  the columns of that row:\n"), stderr);
			print_columns(stderr, inv, &res);
			fprintf(stderr, _("  a header of the unit's own can be added to the aliases (%s) or given in a --map file, or renamed in the file\n"),
				res.aliases ? res.aliases : _("none found"));
		}
		rc = res.system_error ? EXIT_FAIL : EXIT_DATA;
		import_result_release(&res);
		return rc;
	}
	if (sink.errors > LISTED_ERRORS)
		fprintf(stderr, _("… and %lld more errors\n"), sink.errors - LISTED_ERRORS);
	for (size_t i = 0; i < res.nunknown; i++) {
		fprintf(stderr, _("%s: note: column '%s' is not in the %s contract; kept as extra data\n"),
			o.path, res.unknown[i], inventory_title_word(inv->kind));
		for (size_t k = 0; k < res.ncolumns; k++)
			if (res.columns[k].suggest >= 0 && res.columns[k].header &&
			    !strcmp(res.columns[k].header, res.unknown[i]))
				fprintf(stderr, _("%s: note: '%s' may be '%s' (%s): add it to the aliases or a --map file, or rename it\n"),
					o.path, res.unknown[i], inv->cols[res.columns[k].suggest].header,
					label_field(inv, res.columns[k].suggest));
	}
	if (rc == IMPORT_INVALID) {
		error_msg(_("%s: %lld of %lld rows are invalid; nothing was imported (use --skip-invalid to import the valid rows)"),
			  o.path, res.rejected, res.rows);
		import_result_release(&res);
		return EXIT_DATA;
	}
	if (o.dry_run) {
		printf(_("%s: %s"), o.path, res.format);
		if (res.encoding)
			printf(_(", encoding %s%s"), res.encoding, res.bom ? _(" with BOM") : "");
		fputc('\n', stdout);
		print_where_read(stdout, &res);
		printf("%s\n", _("  columns:"));
		print_columns(stdout, inv, &res);
		print_preview(inv, &res);
		if (res.encoding)
			printf(_("%s: %lld rows valid (%lld new, %lld updates), encoding %s%s; dry run, nothing imported\n"),
			       o.path, res.rows - res.rejected, res.inserted, res.updated, res.encoding,
			       res.bom ? _(" with BOM") : "");
		else
			printf(_("%s: %lld rows valid (%lld new, %lld updates), sheet '%s'; dry run, nothing imported\n"),
			       o.path, res.rows - res.rejected, res.inserted, res.updated, res.sheet ? res.sheet : "");
	} else {
		printf(_("%s: imported %lld rows (%lld new, %lld updated) into %s\n"),
		       o.path, res.rows - res.rejected, res.inserted, res.updated, inventory_title_word(inv->kind));
		if (res.encoding)
			printf(_("  encoding %s%s%s\n"), res.encoding, res.bom ? _(" with BOM") : "",
			       o.replace ? _("; the inventory was replaced") : "");
		else if (o.replace)
			printf("%s\n", _("  the inventory was replaced"));
		print_where_read(stdout, &res);
	}
	if (res.rejected && o.dry_run)
		printf(_("  %lld invalid rows would be skipped\n"), res.rejected);
	else if (res.rejected)
		printf(_("  %lld invalid rows skipped, written to %s\n"), res.rejected,
		       res.rejected_path ? res.rejected_path : "");
	if (!o.dry_run)
		printf("%s\n", _("  run 'zhijian score' to evaluate the rules"));
	import_result_release(&res);
	return EXIT_OK;
}
