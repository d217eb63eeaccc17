/* zhijian answer ITEM... VERDICT: an inspector's verdict on check items. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/i18n.h"

/* Translated whole (N_): its last lines are prose. */
static const char *const usage = N_(
	"zhijian answer ITEM... VERDICT [--note TEXT] [--reason TEXT]\n"
	"       zhijian answer (--all | --article N) proposed\n"
	"  VERDICT: 符合|compliant  基本符合|partial  不符合|noncompliant  不适用|na\n"
	"           or 'proposed' to confirm what the rules propose");

/* ctx is the checklist: a 是否存在… item reads 否，符合 as its question does. */
static void print_confirmed(void *ctx, const char *item, enum verdict v)
{
	const struct cl_item *it = checklist_item(ctx, item);
	const char *text = it ? checklist_answer_text(it, v) : verdict_label(v);

	/* The verdict is the official Chinese term; its English gloss only
	 * where the reader's language is not Chinese. */
	if (i18n_chinese_labels())
		printf(_("%s: %s\n"), item, text);
	else
		printf(_("%s: %s (%s)\n"), item, text, verdict_key(v));
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
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
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
	if (argc - optind < 2)
		return usage_error(usage, "%s", _("answer takes an ITEM and a VERDICT"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	/* ITEM... VERDICT: every item checked, and its verdict settled, before
	 * any is written; then all are recorded together, or none. */
	{
		size_t n = (size_t)(argc - optind - 1);
		const char *word = argv[argc - 1];
		const char **items = calloc(n, sizeof(*items));
		enum verdict *vs = calloc(n, sizeof(*vs));
		int rc = EXIT_OK;

		if (!items || !vs) {
			free(items);
			free(vs);
			error_msg("%s", _("out of memory"));
			return EXIT_FAIL;
		}
		if (assessment_load(ctx->db, ctx->ws.cl, &a, &err) < 0) {
			free(items);
			free(vs);
			error_msg("%s", err.msg);
			return EXIT_FAIL;
		}
		for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
			it = checklist_item(ctx->ws.cl, argv[optind + (int)i]);
			if (!it) {
				error_msg(_("no check item '%s' (see 'zhijian checklist show ARTICLE')"), argv[optind + (int)i]);
				rc = EXIT_USAGE;
			} else
				items[i] = it->id;
		}
		v = strcmp(word, "proposed") ? verdict_parse(word) : VERDICT_NONE;
		if (rc == EXIT_OK && strcmp(word, "proposed") && v == VERDICT_NONE)
			rc = usage_error(usage, _("'%s' is not a verdict: use 符合, 基本符合, 不符合, 不适用 (or compliant, partial, noncompliant, na), or proposed"),
					 word);
		for (size_t i = 0; i < n && rc == EXIT_OK; i++) {
			vs[i] = v != VERDICT_NONE ? v : a.items[checklist_item(ctx->ws.cl, items[i]) - ctx->ws.cl->items].proposal;
			if (vs[i] == VERDICT_NONE) {
				error_msg(_("item %s: the rules propose no verdict (run 'zhijian score', or answer it yourself)"), items[i]);
				rc = EXIT_FAIL;
			}
		}
		assessment_release(&a);
		if (rc == EXIT_OK && answer_record_many(ctx->db, &ctx->ws, items, vs, n, note, reason, print_confirmed, (void *)ctx->ws.cl, &err) < 0) {
			error_msg("%s", err.msg);
			rc = EXIT_FAIL;
		}
		if (rc == EXIT_OK && assessment_load(ctx->db, ctx->ws.cl, &a, &err) < 0) {
			error_msg("%s", err.msg);
			rc = EXIT_FAIL;
		} else if (rc == EXIT_OK) {
			char sbuf[16], tbuf[16];
			const char *grade = scoring_grade(ctx->ws.cl, a.total);

			it = checklist_item(ctx->ws.cl, items[n - 1]);
			if (n == 1)
				printf(_("article %d score %s; total %s%s%s; answered %zu of %zu\n"), it->article,
				       fmt_score(a.article_score[it->article - 1], sbuf), fmt_score(a.total, tbuf),
				       grade ? " " : "", grade ? grade : "", a.answered, ctx->ws.cl->nitems);
			else
				printf(_("%zu items answered; total %s%s%s; answered %zu of %zu\n"), n,
				       fmt_score(a.total, tbuf), grade ? " " : "", grade ? grade : "", a.answered,
				       ctx->ws.cl->nitems);
			assessment_release(&a);
		}
		free(items);
		free(vs);
		return rc;
	}
}
