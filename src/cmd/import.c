/* zhijian import apps|accounts|groups FILE: one CSV inventory, atomically. */
#include <getopt.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/import.h"
#include "util/i18n.h"

#define LISTED_ERRORS 50

static const char usage[] =
	"zhijian import apps|accounts|groups FILE [--encoding auto|utf-8|gb18030]\n"
	"                    [--replace] [--skip-invalid] [--dry-run]";

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

int cmd_import(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "encoding", required_argument, NULL, 'e' },
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
	while ((c = getopt_long(argc, argv, "hn", opts, NULL)) != -1) {
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
		case 'r': o.replace = 1; break;
		case 's': o.skip_invalid = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), usage); return EXIT_OK;
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
		rc = res.system_error ? EXIT_FAIL : EXIT_DATA;
		import_result_release(&res);
		return rc;
	}
	if (sink.errors > LISTED_ERRORS)
		fprintf(stderr, _("… and %lld more errors\n"), sink.errors - LISTED_ERRORS);
	for (size_t i = 0; i < res.nunknown; i++)
		fprintf(stderr, _("%s: note: column '%s' is not in the %s contract; kept as extra data\n"),
			o.path, res.unknown[i], inv->name);
	if (rc == IMPORT_INVALID) {
		error_msg(_("%s: %lld of %lld rows are invalid; nothing was imported (use --skip-invalid to import the valid rows)"),
			  o.path, res.rejected, res.rows);
		import_result_release(&res);
		return EXIT_DATA;
	}
	if (o.dry_run) {
		printf(_("%s: %lld rows valid (%lld new, %lld updates), encoding %s%s; dry run, nothing imported\n"),
		       o.path, res.rows - res.rejected, res.inserted, res.updated, res.encoding,
		       res.bom ? _(" with BOM") : "");
	} else {
		printf(_("%s: imported %lld rows (%lld new, %lld updated) into %s\n"),
		       o.path, res.rows - res.rejected, res.inserted, res.updated, inv->name);
		printf(_("  encoding %s%s%s\n"), res.encoding, res.bom ? _(" with BOM") : "",
		       o.replace ? _("; the inventory was replaced") : "");
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
