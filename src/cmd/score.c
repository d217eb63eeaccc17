/* zhijian score: evaluate every rule and print the per-article table. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/score.h"
#include "util/i18n.h"
#include "util/parse.h"

static const char usage[] = "zhijian score [--as-of DATE] [--quiet]";

static void progress(void *ctx, const char *inventory, long long done, long long total)
{
	(void)ctx;
	if (total > 0)
		fprintf(stderr, _("\rscoring %s: %lld%% (%lld of %lld)"), inventory,
			done * 100 / total, done, total);
	fflush(stderr);
}

int cmd_score(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rules_progress prog = { progress, NULL };
	const char *as_of = NULL, *why;
	char date[11], sbuf[16];
	struct assessment a;
	struct zj_error err;
	struct article_stat *stats;
	size_t nstats;
	long long ready = 0, reopened = 0;
	int c, quiet = 0, tty = isatty(2);

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "hq", opts, "score", usage)) != -1) {
		switch (c) {
		case 'a': as_of = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (as_of && parse_date(as_of, strlen(as_of), date, &why) <= 0)
		return usage_error(usage, _("--as-of: '%s' is not a date (use 2026-06-30)"), as_of);
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;

	if (score_run(ctx->db, &ctx->ws, as_of ? date : NULL, tty && !quiet ? &prog : NULL, &ready, &reopened,
		      &err) < 0)
		goto fail;
	if (tty && !quiet)
		fputs("\r\033[K", stderr);
	if (ready)
		printf(_("%lld rectifications are ready for verification: the violation is gone\n"), ready);
	if (reopened)
		printf(_("%lld rectifications reopened: the violation is back\n"), reopened);

	if (assessment_load(ctx->db, ctx->ws.cl, &a, &err) < 0)
		goto fail;
	if (quiet)
		goto total;
	printf(_("as of %s\n"), as_of ? date : ctx->ws.as_of);
	put_cell(stdout, _("article"), 8, 0);
	put_cell(stdout, _("title"), 22, 0);
	put_cell(stdout, _("checked"), 10, 1);
	put_cell(stdout, _("violations"), 12, 1);
	put_cell(stdout, _("unknowns"), 10, 1);
	put_cell(stdout, _("score"), 8, 1);
	putchar('\n');
	if (score_article_stats(ctx->db, &stats, &nstats, &err) < 0) {
		assessment_release(&a);
		goto fail;
	}
	for (size_t i = 0; i < nstats; i++) {
		int no = stats[i].article;
		const struct cl_article *art = checklist_article(ctx->ws.cl, no);
		char num[24];

		if (!art)
			continue;
		snprintf(num, sizeof(num), "%d", no);
		put_cell(stdout, num, 8, 0);
		put_cell(stdout, art->title, 22, 0);
		printf("%10lld%12lld%10lld", stats[i].checked, stats[i].violated, stats[i].unknown);
		put_cell(stdout, fmt_score(a.article_score[no - 1], sbuf), 8, 1);
		putchar('\n');
	}
	free(stats);
total:
	{
		const char *grade = scoring_grade(ctx->ws.cl, a.total);

		if (!a.assessed)
			printf(_("total not yet assessed; answered 0 of %zu items, %zu proposed by the rules awaiting confirmation, %zu open\n"),
			       ctx->ws.cl->nitems, a.pending, a.open);
		else
			printf(_("total %s%s%s; answered %zu of %zu items, %zu proposed by the rules awaiting confirmation, %zu open\n"),
			       fmt_score(a.total, sbuf), grade ? " " : "", grade ? grade : "",
			       a.answered, ctx->ws.cl->nitems, a.pending, a.open);
	}
	assessment_release(&a);
	return EXIT_OK;
fail:
	if (tty && !quiet)
		fputs("\r\033[K", stderr);
	error_msg("%s", err.msg);
	return EXIT_FAIL;
}
