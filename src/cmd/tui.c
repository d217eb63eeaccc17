/* zhijian tui: the terminal user interface (src/tui/). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "tui/tui.h"
#include "util/i18n.h"

static const char usage[] = "zhijian tui [--list-keys]";

int cmd_tui(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "list-keys", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct timespec t0;
	int c, list_keys = 0;

	/* The trace's clock starts here, before the workspace is opened. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "tui", usage)) != -1) {
		switch (c) {
		case 'k': list_keys = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (list_keys) {
		tui_list_keys(stdout);
		return EXIT_OK;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		error_msg("%s", _("the TUI needs a terminal; the other commands work without one (see 'zhijian --help')"));
		return EXIT_FAIL;
	}
	if (access(ctx->db_path, F_OK) != 0) {
		error_msg(_("no workspace at '%s'"), ctx->db_path);
		fprintf(stderr, "%s\n", _("To start an assessment, create a workspace and import the inventories:\n"
					  "  zhijian init --unit NAME --level unit|county|city|province|central\n"
					  "  zhijian import apps apps.csv   (and accounts, groups)\n"
					  "  zhijian score\n"
					  "then run 'zhijian' again, or use --db PATH for a workspace elsewhere.\n"
					  "'zhijian --help' lists every command."));
		return EXIT_FAIL;
	}
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	return tui_run(ctx->db, &ctx->ws, ctx->db_path, &t0) == 0 ? EXIT_OK : EXIT_FAIL;
}
