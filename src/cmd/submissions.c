/* zhijian submissions [expect FILE]: what was received from below. */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/rollup.h"
#include "util/i18n.h"
#include "util/strbuf.h"

/* Translated whole (N_): it names the columns in prose. */
static const char *const usage = N_(
	"zhijian submissions [--format table|csv]\n"
	"       zhijian submissions expect FILE.csv   (columns 单位名称, 单位代码, 层级)");

static const char *status_word(const char *key)
{
	if (!strcmp(key, "accepted"))
		return _("accepted");
	if (!strcmp(key, "superseded"))
		return _("superseded");
	if (!strcmp(key, "rejected"))
		return _("rejected");
	if (!strcmp(key, "missing"))
		return _("missing");
	return key;
}

int cmd_submissions(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rollup_list l;
	struct zj_error err;
	int c, csv = 0;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "submissions", usage)) != -1) {
		switch (c) {
		case 'f':
			if (format_table_csv(optarg, usage, &csv))
				return EXIT_USAGE;
			break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc && !strcmp(argv[optind], "expect")) {
		long long n;

		if (argc - optind != 2)
			return usage_error(usage, "%s", _("expect takes one CSV file"));
		if (cmd_need_workspace(ctx, 0) < 0)
			return EXIT_FAIL;
		n = rollup_expect(ctx->db, argv[optind + 1], &err);
		if (n < 0) {
			error_msg("%s", err.msg);
			return EXIT_DATA;
		}
		printf(_("%lld units are expected to report to %s\n"), n, ctx->ws.unit);
		return EXIT_OK;
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;

	if (rollup_list_load(ctx->db, ctx->ws.period, &l, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (csv) {
		fputs("id,status,unit,period,total,grade,violated,overdue,signer_fingerprint,file,file_sha256,received_at,reason\r\n", stdout);
	} else {
		put_cell(stdout, _("id"), 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, _("status"), 11, 0);
		put_cell(stdout, _("unit"), 20, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("score"), 6, 1);
		fputs(" ", stdout);
		put_cell(stdout, _("grade"), 6, 0);
		put_cell(stdout, _("viol."), 6, 1);
		put_cell(stdout, _("overdue"), 8, 1);
		fputs("  ", stdout);
		put_cell(stdout, _("signer"), 16, 0);
		printf("  %s\n", _("file or reason"));
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct rollup_entry *e = &l.v[i];
		const char *status = sub_state_key(e->status);
		struct rollup_entry_text t;

		rollup_entry_text(e, &t);
		if (csv) {
			const char *cells[] = { t.id, status, e->unit, e->period, t.total, e->grade, t.violated, t.overdue,
						e->signer_fingerprint, e->file, e->file_sha256, e->received_at, e->reason };

			for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]); k++)
				csvout_field(stdout, cells[k], strlen(cells[k]), k + 1 == sizeof(cells) / sizeof(cells[0]), 1);
			continue;
		}
		put_cell(stdout, t.id, 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, status_word(status), 11, 0);
		put_cell(stdout, e->unit, 20, 0);
		fputs(" ", stdout);
		put_cell(stdout, t.total, 6, 1);
		fputs(" ", stdout);
		put_cell(stdout, e->grade, 6, 0);
		put_cell(stdout, t.violated, 6, 1);
		put_cell(stdout, t.overdue, 8, 1);
		/* The file always, so a refused one can be found and sent
		 * back; then why it was refused or superseded. */
		printf("  %-16.16s  %s%s%s\n", e->signer_fingerprint, e->file, *e->file && *e->reason ? ": " : "",
		       e->reason);
	}
	if (!csv)
		printf(_("%lld accepted, %lld superseded, %lld rejected, %lld missing (period %s)\n"),
		       l.count[SUB_ACCEPTED], l.count[SUB_SUPERSEDED], l.count[SUB_REJECTED], l.count[SUB_MISSING],
		       ctx->ws.period);
	rollup_list_release(&l);
	return EXIT_OK;
}
