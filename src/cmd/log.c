/* zhijian log [--verify] [-n N]: the audit log, and a check of its chain. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/audit.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/when.h"

static const char usage[] = "zhijian log [-n N] [--verify]";

/* The kind of an entry for the reader: its stored word (the action the
 * SHA-256 chain covers) in English, the office's word in Chinese; an
 * action this table does not know is shown as stored. */
static const char *kind_label(const char *action)
{
	static const struct { const char *key, *zh; } kinds[] = {
		{ "init", "创建" }, { "config", "设置" }, { "import", "导入" }, { "score", "评分" },
		{ "answer", "作答" }, { "rectify", "整改" }, { "narrative", "报告正文" }, { "report", "报告" },
		{ "merge", "接收" }, { "expect", "应报单位" },
	};

	if (action && i18n_chinese_labels())
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(action, kinds[i].key))
				return kinds[i].zh;
	return action ? action : "";
}

static int print_row(void *ctx, const struct audit_row *r)
{
	char local[WHEN_TIME_SIZE];

	(void)ctx;
	/* Stored in UTC; read in local time with the zone.  The details are
	 * the record as the chain hashed it (canonical English with the
	 * user's own words), shown as stored in every language. */
	const char *kind = kind_label(r->action);
	size_t kw = utf8_width(kind);

	/* Padded by display width, never cut: a log hides nothing. */
	printf("%5lld  %s  %-10s %s%*s %s\n", r->seq, when_local(r->at, 1, local), r->user, kind,
	       kw < 8 ? (int)(8 - kw) : 0, "", r->summary);
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
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
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
