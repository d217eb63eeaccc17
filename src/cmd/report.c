/* zhijian report: the self-assessment report (自查自评报告) as a PDF. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/audit.h"
#include "core/narrative.h"
#include "core/score.h"
#include "core/store.h"
#include "report/report.h"
#include "util/hash.h"
#include "util/i18n.h"

static const char usage[] = "zhijian report -o FILE.pdf [--draft] [--accept-generated]\n"
	"                    [--sign --key KEY --cert CERT [--chain FILE] [--passphrase-file FILE] [--name NAME]]";

/* Why the findings in the workspace do not describe its inventories as of
 * its date, or NULL when they do (or there is nothing to score). */
static const char *stale(const struct score_freshness *f)
{
	if (!f->imported)
		return NULL;
	switch (f->state) {
	case SCORE_NEVER: return _("the inventories were never scored");
	case SCORE_IMPORTED_AFTER: return _("inventories were imported after the last score");
	case SCORE_OTHER_DATE: return _("the last score is not as of the workspace's as-of date");
	default: return NULL;
	}
}

/* Lists the items without an answer on stderr, as the refusal says. */
static void list_unanswered(const struct checklist *cl, const struct assessment *a)
{
	for (size_t i = 0; i < cl->nitems; i++) {
		const struct item_status *s = &a->items[i];

		if (s->answer != VERDICT_NONE)
			continue;
		fprintf(stderr, "  %-6s ", cl->items[i].id);
		put_cell(stderr, cl->items[i].question, 44, 0);
		if (s->proposal != VERDICT_NONE)
			fprintf(stderr, _("  the rules propose %s, awaiting confirmation\n"),
				checklist_answer_text(&cl->items[i], s->proposal));
		else
			fprintf(stderr, "  %s\n", _("no answer"));
	}
}

/* A final report speaks in the inspector's words: each section of the body
 * must be theirs, or accepted as generated (--accept-generated); and words
 * written when the figures read otherwise must be looked at again. */
static int body_check(struct cmd_ctx *ctx, int accept)
{
	struct narrative v[NARR_COUNT];
	struct zj_error err;
	int generated = 0, stale = 0;

	if (narrative_load(ctx->db, &ctx->ws, v, &err) < 0) {
		error_msg("%s", err.msg);
		return -1;
	}
	for (int i = 0; i < NARR_COUNT; i++) {
		generated += !v[i].text;
		stale += v[i].text && v[i].stale;
	}
	if (stale) {
		error_msg("%s", _("cannot write a final report: the figures changed since these sections were written:"));
		for (int i = 0; i < NARR_COUNT; i++)
			if (v[i].text && v[i].stale)
				fprintf(stderr, "  %-14s %s\n", narrative_key((enum narrative_section)i),
					narrative_heading((enum narrative_section)i));
		fprintf(stderr, "%s\n", _("read them again with 'zhijian narrative edit SECTION' (saving confirms them);"
					  " 'zhijian narrative show SECTION --generated' shows the text generated from the data now"));
	} else if (generated && !accept) {
		error_msg("%s", _("cannot write a final report: these sections of the body are only the text generated from"
				  " the data:"));
		for (int i = 0; i < NARR_COUNT; i++)
			if (!v[i].text)
				fprintf(stderr, "  %-14s %s\n", narrative_key((enum narrative_section)i),
					narrative_heading((enum narrative_section)i));
		fprintf(stderr, "%s\n", _("write them with 'zhijian narrative edit SECTION' or in the TUI (W), or send the generated"
					  " text as it is with --accept-generated"));
	}
	narrative_release(v);
	return stale || (generated && !accept) ? -1 : 0;
}

int cmd_report(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "draft", no_argument, NULL, 'd' },
		{ "accept-generated", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		SIGN_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sign_args sa = { 0 };		/* --sign: cmd/sign.c */
	struct report_signer rs = { 0 };
	struct report_options o = { 0 };
	struct report_result res = { 0 };
	struct score_freshness fresh;
	struct assessment a;
	struct zj_error err;
	const char *why, *sde;
	size_t unanswered;
	int c, accept = 0;

	if ((c = sign_args_refuse(argc, argv, usage)))
		return c;
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "ho:", opts, "report", usage)) != -1) {
		switch (c) {
		case 'o': o.path = optarg; break;
		case 'd': o.draft = 1; break;
		case 'g': accept = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default:
			if (sign_args_option(&sa, c, optarg))
				break;
			return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (!o.path || !*o.path)
		return usage_error(usage, "%s", _("option '-o FILE.pdf' is required"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (assessment_load(ctx->db, ctx->ws.cl, &a, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (score_freshness_load(ctx->db, &fresh, &err) < 0) {
		error_msg("%s", err.msg);
		assessment_release(&a);
		return EXIT_FAIL;
	}
	unanswered = a.pending + a.open;
	why = stale(&fresh);
	score_freshness_release(&fresh);
	if (!o.draft && (unanswered || why)) {
		if (unanswered) {
			error_msg(_("cannot write a final report: %zu of %zu check items are unanswered:"),
				  unanswered, ctx->ws.cl->nitems);
			list_unanswered(ctx->ws.cl, &a);
			fprintf(stderr, "%s\n", _("answer them with 'zhijian answer ITEM VERDICT' (a proposal is confirmed with"
						  " 'zhijian answer ITEM proposed'), or write a draft with --draft"));
		} else {
			error_msg(_("cannot write a final report: %s; run 'zhijian score' first, or write a draft with --draft"),
				  why);
		}
		assessment_release(&a);
		return EXIT_FAIL;
	}
	assessment_release(&a);
	if (why)
		error_msg(_("warning: %s; the draft shows the last score's findings"), why);
	if (!o.draft && body_check(ctx, accept) < 0)
		return EXIT_FAIL;
	/* A report goes to someone: the 主送机关 (the central office reports
	 * to no level of this tree, and may leave it out). */
	if (!ctx->ws.parent && ctx->ws.level != LEVEL_CENTRAL) {
		if (!o.draft) {
			error_msg("%s", _("cannot write a final report: the level it goes to (主送机关) is not set;"
					  " set it with 'zhijian config parent NAME'"));
			return EXIT_FAIL;
		}
		error_msg("%s", _("warning: the level the report goes to (主送机关) is not set ('zhijian config parent NAME')"));
	}

	/* SOURCE_DATE_EPOCH pins the generation time, for reproducible
	 * output (and tests). */
	sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde)
		o.generated = (time_t)strtoll(sde, NULL, 10);
	o.fonts[0] = getenv("ZHIJIAN_FONT_SONG");
	o.fonts[1] = getenv("ZHIJIAN_FONT_HEI");
	o.fonts[2] = getenv("ZHIJIAN_FONT_KAI");
	if ((c = sign_args_prepare(&sa, &rs, usage)))
		return c;
	if (sa.sign)
		o.signer = &rs;
	if (report_write(ctx->db, &ctx->ws, &o, &res, &err) < 0) {
		error_msg("%s", err.msg);
		sign_args_release(&sa);
		return EXIT_FAIL;
	}
	if (sign_args_finish(&sa, o.path) < 0) {
		sign_args_release(&sa);
		return EXIT_FAIL;
	}
	/* The report is on the record too, with the hash of what left. */
	{
		char hex[65];
		long long size;

		if (hash_file_sha256(o.path, HASH_FILE_MAX_BYTES, hex, &size, &err) < 0 || store_begin(ctx->db, &err) < 0 ||
		    audit_appendf(ctx->db, &err, "report", "%s%s%s: %zu pages, sha256 %s", o.path,
				  o.draft ? " (draft)" : "", sa.sign ? " (signed)" : "", res.pages, hex) < 0 ||
		    store_commit(ctx->db, &err) < 0) {
			store_rollback(ctx->db);
			error_msg(_("the report was written, but not recorded in the audit log: %s"), err.msg);
			sign_args_release(&sa);
			return EXIT_FAIL;
		}
	}
	printf(_("wrote '%s': %zu pages, %lld KiB%s\n"), o.path, res.pages, (res.bytes + 1023) / 1024,
	       o.draft ? _(", draft") : "");
	printf(_("  embedded zhijian-submission.sqlite (%lld KiB); see 'zhijian submission show %s'\n"),
	       (res.submission_bytes + 1023) / 1024, o.path);
	if (o.draft && unanswered)
		printf(_("  %zu check items are still unanswered\n"), unanswered);
	sign_args_print(&sa);
	sign_args_release(&sa);
	return EXIT_OK;
}
