/* zhijian status: where the assessment stands. */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/overview.h"
#include "core/region.h"
#include "util/i18n.h"
#include "util/when.h"

static const char usage[] = "zhijian status";

int cmd_status(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct workspace *ws = &ctx->ws;
	struct assessment a;
	struct zj_error err;
	struct overview ov;
	char sbuf[16];
	const char *grade;
	int zh = i18n_chinese_labels();

	if (argc > 1) {
		static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };

		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			cmd_print_help("status", usage, opts);
			return EXIT_OK;
		}
		return usage_error(usage, _("unexpected argument '%s'"), argv[1]);
	}
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (assessment_load(ctx->db, ws->cl, &a, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (overview_load(ctx->db, ws->today, 0, &ov, &err) < 0) {
		error_msg("%s", err.msg);
		assessment_release(&a);
		return EXIT_FAIL;
	}
	printf(_("workspace  %s\n"), ctx->db_path);
	printf(_("unit       %s (%s)%s%s\n"), ws->unit, level_word((enum level)ws->level),
	       ws->code ? _(", code ") : "", ws->code ? ws->code : "");
	printf(_("as of      %s, period %s\n"), ws->as_of, ws->period ? ws->period : "—");
	printf(_("checklist  %s %s (sha256 %.12s…)\n"), ws->cl->id, ws->cl->version ? ws->cl->version : "",
	       ws->cl->sha256);
	printf("%s\n", _("inventories"));
	for (int k = 0; k < INV_COUNT; k++) {
		const struct overview_inv *o = &ov.inv[k];
		char when[WHEN_TIME_SIZE];

		/* The inventory as the reader names it: its key (the word
		 * `import` takes) in English, 政务应用程序 in Chinese. */
		fputs("  ", stdout);
		put_cell(stdout, inventory_title_word(k), zh ? 12 : 9, 0);
		printf(" %10lld", o->rows);
		if (o->last_file)
			printf(_("   last import %s from %s"), when_local(o->last_at, 1, when), o->last_file);
		else
			printf("%s", _("   not imported"));
		putchar('\n');
	}
	switch (ov.score.state) {
	case SCORE_NEVER:
		printf("%s\n", _("score      never run; run 'zhijian score'"));
		break;
	case SCORE_IMPORTED_AFTER:
		printf(_("score      out of date: inventories were imported after the last score (as of %s); run 'zhijian score'\n"),
		       ov.score.scored_as_of);
		break;
	case SCORE_OTHER_DATE:
		printf(_("score      measured as of %s, but the workspace is now as of %s; run 'zhijian score'\n"),
		       ov.score.scored_as_of, ov.score.as_of);
		break;
	case SCORE_CURRENT:
		printf(_("score      up to date (as of %s)\n"), ov.score.scored_as_of);
		break;
	}
	printf(_("progress   answered %zu of %zu items; %zu proposed by the rules awaiting confirmation; %zu open\n"),
	       a.answered, ws->cl->nitems, a.pending, a.open);
	grade = scoring_grade(ws->cl, a.total);
	if (!a.assessed)
		printf("%s\n", _("total      not yet assessed: no item is answered"));
	else
		printf(_("total      %s%s%s%s\n"), fmt_score(a.total, sbuf), grade ? " " : "", grade ? grade : "",
		       a.pending || a.open ? _("  (provisional: not every item is answered)") : "");
	/* Above the unit the total is the office's own (本级); the region
	 * (辖区) is said beside it. */
	{
		struct region r;
		char n1[32], n2[32], s1[16], s2[16], s3[16];

		if (region_load(ctx->db, ws, &r, &err) < 0) {
			error_msg("%s", err.msg);
		} else if (r.present) {
			const char *rg = region_grade(ws, &r);

			printf("%s\n", _("           (the total is this level's own items, 本级; its region, 辖区, follows)"));
			if (r.expected)
				printf(_("region     %s of %s expected units reported, %lld missing; %lld files refused\n"),
				       fmt_count(r.reported, n1), fmt_count(r.expected, n2), r.missing, r.refused);
			else
				printf(_("region     %s units reported; %lld files refused (no list of the units expected)\n"),
				       fmt_count(r.reported, n1), r.refused);
			if (r.scored)
				printf(_("           units' mean %s%s%s (min %s, max %s, sd %.1f)\n"), fmt_score(r.mean, s1),
				       rg ? " " : "", rg ? rg : "", fmt_score(r.min, s2), fmt_score(r.max, s3), r.sd);
			printf(_("           %s violations; %s overdue rectifications (deadlines judged against today, %s)\n"),
			       fmt_count(r.violated, n1), fmt_count(r.overdue, n2), ws->today);
		}
	}
	if (ov.ledger.total)
		printf(_("ledger     %lld rectifications: %lld open, %lld overdue (deadlines judged against today, %s)\n"),
		       ov.ledger.total, ov.ledger.open, ov.ledger.overdue, ws->today);
	overview_release(&ov);
	assessment_release(&a);
	return EXIT_OK;
}
