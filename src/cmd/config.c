/* zhijian config: the workspace's settings that may change after init.
 * Today one: parent, the level the report goes to (its 主送机关). */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/i18n.h"

static const char usage[] = "zhijian config [parent [NAME | --unset]]";

int cmd_config(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "unset", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct zj_error err;
	int unset = 0, c;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "config", usage)) != -1) {
		switch (c) {
		case 'u': unset = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "parent") && strcmp(argv[0], "主送机关"))
		return usage_error(usage, _("'%s' is not a setting (parent)"), argv[0]);
	if (argc > 2)
		return usage_error(usage, _("unexpected argument '%s'"), argv[2]);
	if (unset && argc != 1)
		return usage_error(usage, "%s", _("--unset goes with the name of a setting, and no value"));
	if (argc == 2 && workspace_check_parent(argv[1], &err) < 0)
		return usage_error(usage, "%s", err.msg);
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (argc == 0) {
		printf(_("parent     %s\n"), ctx->ws.parent ? ctx->ws.parent : _("(not set: the report has no 主送机关)"));
		return EXIT_OK;
	}
	if (argc == 1 && !unset) {
		if (!ctx->ws.parent)
			return EXIT_FAIL;
		printf("%s\n", ctx->ws.parent);
		return EXIT_OK;
	}
	if (workspace_set_parent(ctx->db, &ctx->ws, unset ? NULL : argv[1], &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (unset)
		printf("%s\n", _("parent cleared: the report has no 主送机关 until it is set again"));
	else
		printf(_("parent set: the report goes to %s\n"), ctx->ws.parent);
	return EXIT_OK;
}
