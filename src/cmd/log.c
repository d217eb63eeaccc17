/* zhijian log [--verify] [-n N]: the audit log, and a check of its chain. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/audit.h"
#include "util/i18n.h"
#include "util/when.h"

static const char usage[] = "zhijian log [-n N] [--verify]";

static int print_row(void *ctx, const struct audit_row *r)
{
	char local[WHEN_TIME_SIZE];

	(void)ctx;
	/* Stored in UTC; read in local time with the zone. */
	printf("%5lld  %s  %-10s %-8s %s\n", r->seq, when_local(r->at, 1, local), r->user, r->action, r->summary);
	return 0;
}

int cmd_log(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "verify", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long long limit = 0, count;
	struct zj_error err;
	char head[65];
	int c, verify = 0, rc;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "n:h", opts, "log", usage)) != -1) {
		switch (c) {
		case 'n': {
			char *end;

			limit = strtoll(optarg, &end, 10);
			if (*end || limit <= 0)
				return usage_error(usage, _("-n: '%s' is not a positive number"), optarg);
			break;
		}
		case 'v': verify = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), usage); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (!verify) {
		if (audit_list(ctx->db, limit, print_row, NULL, &err) < 0) {
			error_msg("%s", err.msg);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	rc = audit_verify(ctx->db, &count, head, &err);
	if (rc < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (rc > 0) {
		error_msg("%s", err.msg);
		return EXIT_DATA;
	}
	printf(_("audit log intact: %lld entries, head %s\n"), count, head);
	return EXIT_OK;
}
