/* zhijian answer ITEM VERDICT: an inspector's verdict on one check item. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/i18n.h"

static const char usage[] =
	"zhijian answer ITEM VERDICT [--note TEXT] [--reason TEXT]\n"
	"       zhijian answer (--all | --article N) proposed\n"
	"  VERDICT: 符合|compliant  基本符合|partial  不符合|noncompliant  不适用|na\n"
	"           or 'proposed' to confirm what the rules propose";

/* ctx is the checklist: a 是否存在… item reads 否，符合 as its question does. */
static void print_confirmed(void *ctx, const char *item, enum verdict v)
{
	const struct cl_item *it = checklist_item(ctx, item);

	printf(_("%s: %s (%s)\n"), item, it ? checklist_answer_text(it, v) : verdict_label(v), verdict_key(v));
}

/* --all / --article N proposed: every unanswered proposal confirmed, each
 * recorded and logged as `answer ITEM proposed` would. */
static int confirm_bulk(struct cmd_ctx *ctx, int article)
{
	struct assessment a;
	struct zj_error err;
	long long n;
	char tbuf[16];
	const char *grade;

	if (answer_confirm_proposals(ctx->db, &ctx->ws, article, print_confirmed, (void *)ctx->ws.cl, &n, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (assessment_load(ctx->db, ctx->ws.cl, &a, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	grade = scoring_grade(ctx->ws.cl, a.total);
	if (article)
		printf(_("%lld proposals of article %d confirmed; "), n, article);
	else
		printf(_("%lld proposals confirmed; "), n);
	printf(_("total %s%s%s; answered %zu of %zu\n"), fmt_score(a.total, tbuf), grade ? " " : "",
	       grade ? grade : "", a.answered, ctx->ws.cl->nitems);
	if (!n)
		printf("%s\n", a.scored ? _("nothing to confirm: every proposal there is answered already")
				  : _("nothing to confirm: the rules have proposed nothing yet (run 'zhijian score')"));
	if (a.open)
		printf(_("%zu items have no proposal and need your own answer: see 'zhijian status'\n"), a.open);
	assessment_release(&a);
	return EXIT_OK;
}

int cmd_answer(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'A' },
		{ "article", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *note = NULL, *reason = NULL;
	struct assessment a;
	struct zj_error err;
	const struct cl_item *it;
	enum verdict v;
	int c, all = 0, article = 0;
	char *end;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "answer", usage)) != -1) {
		switch (c) {
		case 'n': note = optarg; break;
		case 'r': reason = optarg; break;
		case 'A': all = 1; break;
		case 'a':
			article = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || article < 1 || article > 1000)
				return usage_error(usage, _("--article: '%s' is not an article number"), optarg);
			break;
		case 'h': printf("%s%s\n", _("usage: "), usage); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (all || article) {
		if (all && article)
			return usage_error(usage, "%s", _("give --all or --article N, not both"));
		if (argc - optind != 1 || strcmp(argv[optind], "proposed"))
			return usage_error(usage, "%s", _("--all and --article confirm the rules' proposals: the only verdict they take is 'proposed'"));
		if (note || reason)
			return usage_error(usage, "%s", _("--note and --reason belong to one item's answer, not to a confirmation in bulk"));
		if (cmd_need_workspace(ctx, 0) < 0)
			return EXIT_FAIL;
		if (article && !checklist_article(ctx->ws.cl, article)) {
			error_msg(_("no article %d (1 to %zu)"), article, ctx->ws.cl->narticles);
			return EXIT_USAGE;
		}
		return confirm_bulk(ctx, article);
	}
	if (argc - optind != 2)
		return usage_error(usage, "%s", _("answer takes an ITEM and a VERDICT"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	it = checklist_item(ctx->ws.cl, argv[optind]);
	if (!it) {
		error_msg(_("no check item '%s' (see 'zhijian checklist show ARTICLE')"), argv[optind]);
		return EXIT_USAGE;
	}
	if (assessment_load(ctx->db, ctx->ws.cl, &a, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (!strcmp(argv[optind + 1], "proposed")) {
		v = a.items[it - ctx->ws.cl->items].proposal;
		if (v == VERDICT_NONE) {
			assessment_release(&a);
			error_msg(_("item %s: the rules propose no verdict (run 'zhijian score', or answer it yourself)"), it->id);
			return EXIT_FAIL;
		}
	} else {
		v = verdict_parse(argv[optind + 1]);
		if (v == VERDICT_NONE) {
			assessment_release(&a);
			return usage_error(usage, _("'%s' is not a verdict: use 符合, 基本符合, 不符合, 不适用 (or compliant, partial, noncompliant, na), or proposed"),
					   argv[optind + 1]);
		}
	}
	assessment_release(&a);
	if (answer_record(ctx->db, &ctx->ws, it->id, v, note, reason, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (assessment_load(ctx->db, ctx->ws.cl, &a, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	{
		char sbuf[16], tbuf[16];
		const char *grade = scoring_grade(ctx->ws.cl, a.total);

		printf(_("%s: %s (%s)\n"), it->id, checklist_answer_text(it, v), verdict_key(v));
		printf(_("article %d score %s; total %s%s%s; answered %zu of %zu\n"), it->article,
		       fmt_score(a.article_score[it->article - 1], sbuf), fmt_score(a.total, tbuf),
		       grade ? " " : "", grade ? grade : "", a.answered, ctx->ws.cl->nitems);
	}
	assessment_release(&a);
	return EXIT_OK;
}
