/* zhijian checklist [show N | check FILE]: the policy as the tool reads it. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/rules.h"
#include "core/region.h"
#include "util/i18n.h"

static const char usage[] =
	"zhijian checklist [--file FILE]\n"
	"       zhijian checklist show ARTICLE [--file FILE]\n"
	"       zhijian checklist check FILE";

static const char *cn_number(int n)
{
	static const char *const nums[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" };

	return n >= 0 && n <= 10 ? nums[n] : "?";
}

static void list_articles(const struct checklist *cl, const struct assessment *a)
{
	char sbuf[16];

	printf("%s  %s %s\n", cl->title, cl->id, cl->version ? cl->version : "");
	for (size_t p = 0; p < cl->nparts; p++) {
		printf("\n%s、%s\n", cn_number(cl->parts[p].no), cl->parts[p].title);
		for (size_t i = 0; i < cl->narticles; i++) {
			const struct cl_article *art = &cl->articles[i];

			if (art->part != cl->parts[p].no)
				continue;
			printf("  %2d  ", art->no);
			put_cell(stdout, art->title, 20, 0);
			printf(_("  weight %-4g %2zu items"), art->weight, art->nitems);
			if (a) {
				size_t done = 0;

				for (size_t k = art->first_item; k < art->first_item + art->nitems; k++)
					done += a->items[k].answer != VERDICT_NONE;
				printf(_("  answered %zu/%zu  score %s"), done, art->nitems,
				       fmt_score(a->article_score[i], sbuf));
			}
			putchar('\n');
		}
	}
}

/* The rules of art linked from no item: their basis is the campaign, not
 * the article's text, and they change no score. */
static void campaign_rules(const struct checklist *cl, const struct cl_article *art)
{
	for (size_t r = 0; r < cl->nrules; r++) {
		const struct cl_rule *rule = &cl->rules[r];

		if (rule->article != art->no || rule->source != SRC_CAMPAIGN)
			continue;
		printf(_("\n  rule %s (%s, %s, %s) %s\n"), rule->id, label_inventory(rule->inv),
		       label_severity(rule->sev), label_problem_type(rule->type, 0), rule->title);
		printf(_("       basis (campaign, not the article's text; no item, no score): %s\n"), rule->basis);
	}
}

static void show_article(const struct checklist *cl, const struct cl_article *art,
			 const struct assessment *a)
{
	const struct cl_part *part = &cl->parts[art->part - 1];

	printf(_("Article %d  %s\n"), art->no, art->title);
	printf(_("Part %s、%s; weight %g\n\n"), cn_number(part->no), part->title, art->weight);
	printf("%s\n", art->text);
	for (size_t k = art->first_item; k < art->first_item + art->nitems; k++) {
		const struct cl_item *it = &cl->items[k];

		printf("\n  %s  %s\n", it->id, it->question);
		if (it->basis)
			printf(_("       basis:  %s\n"), it->basis);
		if (it->weight != 1)
			printf(_("       weight: %g\n"), it->weight);
		if (it->levels != LEVELS_ALL) {
			printf("%s", _("       levels:"));
			for (int l = 0; l < LEVEL_COUNT; l++)
				if (it->levels & (1u << l))
					printf(" %s", level_word((enum level)l));
			putchar('\n');
		}
		for (size_t r = 0; r < it->nrules; r++) {
			const struct cl_rule *rule = &cl->rules[it->rules[r]];

			printf(_("       rule:   %s (%s, %s, %s) %s\n"), rule->id, label_inventory(rule->inv),
			       label_severity(rule->sev), label_problem_type(rule->type, 0), rule->title);
		}
		if (!it->nrules)
			printf("%s\n", _("       rule:   none; the inspector answers this item"));
		if (it->covers)
			printf(_("       covers: the rules test only '%s'; the inspector judges the rest\n"), it->covers);
		if (a) {
			const struct item_status *s = &a->items[k];
			char rb[256];

			if (region_basis_text(s->basis, s->checked, s->violated, 0, rb, sizeof(rb)))
				printf(_("       proposed: %s (from what was received: %s)\n"),
				       s->proposal != VERDICT_NONE ? checklist_answer_text(it, s->proposal) :
				       _("none, needs verification"), rb);
			else if (s->proposal != VERDICT_NONE || s->evaluated)
				printf(_("       proposed: %s (%lld checked, %lld violated, %lld unknown)\n"),
				       s->proposal != VERDICT_NONE ? checklist_answer_text(it, s->proposal) : _("none, needs verification"),
				       s->checked, s->violated, s->unknown);
			if (s->answer != VERDICT_NONE)
				printf(_("       answer:   %s%s%s\n"), checklist_answer_text(it, s->answer),
				       s->note ? " — " : "", s->note ? s->note : "");
			if (s->reason)
				printf(_("       override reason: %s\n"), s->reason);
		}
	}
	campaign_rules(cl, art);
}

int cmd_checklist(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct checklist *own = NULL;
	const struct checklist *cl;
	struct assessment a, *ap = NULL;
	const char *file = NULL;
	struct zj_error err;
	int c, status = EXIT_OK;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "checklist", usage)) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	argc -= optind;
	argv += optind;

	if (argc >= 1 && !strcmp(argv[0], "check")) {
		if (argc != 2)
			return usage_error(usage, "%s", _("'check' takes one FILE"));
		own = checklist_load(argv[1], &err);
		if (!own || rules_validate(own, NULL, &err) < 0 || checklist_lint(own, &err) < 0) {
			error_msg("%s", err.msg);
			checklist_free(own);
			return EXIT_DATA;
		}
		printf(_("%s: ok: %zu parts, %zu articles, %zu items, %zu rules, sha256 %s\n"), argv[1],
		       own->nparts, own->narticles, own->nitems, own->nrules, own->sha256);
		checklist_free(own);
		return EXIT_OK;
	}
	if (!file && cmd_need_workspace(ctx, 1) < 0)
		return EXIT_FAIL;
	if (file || !ctx->db) {
		if (!file)
			file = checklist_default_path();
		if (!file) {
			error_msg("%s", _("cannot find the checklist file; use --file FILE or set ZHIJIAN_CHECKLIST"));
			return EXIT_FAIL;
		}
		own = checklist_load(file, &err);
		if (!own) {
			error_msg("%s", err.msg);
			return EXIT_DATA;
		}
		cl = own;
	} else {
		cl = ctx->ws.cl;
		if (assessment_load(ctx->db, cl, &a, &err) < 0) {
			error_msg("%s", err.msg);
			return EXIT_FAIL;
		}
		ap = &a;
	}

	if (argc == 0) {
		list_articles(cl, ap);
	} else if (!strcmp(argv[0], "show") && argc == 2) {
		char *end;
		long n = strtol(argv[1], &end, 10);
		const struct cl_article *art = *end ? NULL : checklist_article(cl, (int)n);

		if (!art) {
			error_msg(_("no article '%s'; articles are numbered 1 to %zu"), argv[1], cl->narticles);
			status = EXIT_USAGE;
		} else {
			show_article(cl, art, ap);
		}
	} else {
		status = usage_error(usage, _("unknown arguments starting at '%s'"), argv[0]);
	}
	if (ap)
		assessment_release(ap);
	checklist_free(own);
	return status;
}
