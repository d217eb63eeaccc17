/* zhijian submissions [expect FILE]: what was received from below. */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/rollup.h"
#include "util/i18n.h"
#include "util/strbuf.h"

static const char usage[] =
	"zhijian submissions [--format table|csv]\n"
	"       zhijian submissions expect FILE.csv   (columns 单位名称, 单位代码, 层级)";

int cmd_submissions(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct zj_error err;
	sqlite3_stmt *st;
	int c, csv = 0;
	long long nacc = 0, nrej = 0, nsup = 0, nmiss = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "csv"))
				csv = 1;
			else if (strcmp(optarg, "table"))
				return usage_error(usage, _("'%s' is not a format (table, csv)"), optarg);
			break;
		case 'h': printf("%s%s\n", _("usage: "), usage); return EXIT_OK;
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

	/* Received (accepted, superseded, rejected), then the expected units
	 * with nothing accepted for this period: missing. */
	if (sqlite3_prepare_v2(ctx->db,
			       "SELECT * FROM (SELECT id, status, coalesce(unit, ''), coalesce(period, ''), total, coalesce(grade, ''),"
			       " violated, overdue, coalesce(signer_fingerprint, ''), file, received_at, coalesce(reason, ''),"
			       " file_sha256 FROM submissions"
			       " UNION ALL SELECT NULL, 'missing', e.unit, ?1, NULL, '', NULL, NULL, '', '', '', '', ''"
			       " FROM expected_units e WHERE NOT EXISTS (SELECT 1 FROM submissions s"
			       " WHERE s.status = 'accepted' AND s.period = ?1 AND (s.unit = e.unit OR (e.code IS NOT NULL AND s.code = e.code)))"
			       ") ORDER BY id IS NULL, id", -1, &st, NULL) != SQLITE_OK) {
		error_msg(_("cannot read the submissions: %s"), sqlite3_errmsg(ctx->db));
		return EXIT_FAIL;
	}
	sqlite3_bind_text(st, 1, ctx->ws.period, -1, SQLITE_STATIC);
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
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 1);
		const char *unit = (const char *)sqlite3_column_text(st, 2);
		char id[24] = "", total[16] = "", viol[24] = "", over[24] = "";

		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			snprintf(id, sizeof(id), "%lld", sqlite3_column_int64(st, 0));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			snprintf(total, sizeof(total), "%.1f", sqlite3_column_double(st, 4));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			snprintf(viol, sizeof(viol), "%lld", sqlite3_column_int64(st, 6));
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			snprintf(over, sizeof(over), "%lld", sqlite3_column_int64(st, 7));
		nacc += !strcmp(status, "accepted");
		nrej += !strcmp(status, "rejected");
		nsup += !strcmp(status, "superseded");
		nmiss += !strcmp(status, "missing");
		if (csv) {
			const char *cells[] = { id, status, unit, (const char *)sqlite3_column_text(st, 3), total,
						(const char *)sqlite3_column_text(st, 5), viol, over,
						(const char *)sqlite3_column_text(st, 8), (const char *)sqlite3_column_text(st, 9),
						(const char *)sqlite3_column_text(st, 12), (const char *)sqlite3_column_text(st, 10),
						(const char *)sqlite3_column_text(st, 11) };

			for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
				csvout_field(stdout, cells[i], strlen(cells[i]), i + 1 == sizeof(cells) / sizeof(cells[0]), 1);
			continue;
		}
		put_cell(stdout, id, 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, status, 11, 0);
		put_cell(stdout, unit, 20, 0);
		fputs(" ", stdout);
		put_cell(stdout, total, 6, 1);
		fputs(" ", stdout);
		put_cell(stdout, (const char *)sqlite3_column_text(st, 5), 6, 0);
		put_cell(stdout, viol, 6, 1);
		put_cell(stdout, over, 8, 1);
		printf("  %.16s  %s\n", (const char *)sqlite3_column_text(st, 8),
		       *(const char *)sqlite3_column_text(st, 11) ? (const char *)sqlite3_column_text(st, 11)
								 : (const char *)sqlite3_column_text(st, 9));
	}
	sqlite3_finalize(st);
	if (!csv)
		printf(_("%lld accepted, %lld superseded, %lld rejected, %lld missing (period %s)\n"),
		       nacc, nsup, nrej, nmiss, ctx->ws.period);
	return EXIT_OK;
}
