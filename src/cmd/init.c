/* zhijian init: create a workspace for one unit and one assessment. */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/rules.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/parse.h"

static const char usage[] =
	"zhijian init --unit NAME --level unit|county|city|province|central [--code CODE]\n"
	"                    [--parent NAME] [--as-of DATE] [--period TEXT] [--checklist FILE]";

int cmd_init(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "level", required_argument, NULL, 'l' },
		{ "code", required_argument, NULL, 'c' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "period", required_argument, NULL, 'p' },
		{ "parent", required_argument, NULL, 'P' },
		{ "checklist", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct workspace_init wi = { 0 };
	const char *level = NULL, *as_of = NULL, *checklist = NULL, *why;
	char date[11], period[64];
	struct zj_error err;
	sqlite3 *db;
	int c, lv;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "init", usage)) != -1) {
		switch (c) {
		case 'u': wi.unit = optarg; break;
		case 'l': level = optarg; break;
		case 'c': wi.code = optarg; break;
		case 'a': as_of = optarg; break;
		case 'p': wi.period = optarg; break;
		case 'P': wi.parent = optarg; break;
		case 'k': checklist = optarg; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (!wi.unit || !*wi.unit)
		return usage_error(usage, "%s", _("--unit is required"));
	if (!level)
		return usage_error(usage, "%s", _("--level is required"));
	lv = level_parse(level);
	if (lv < 0)
		return usage_error(usage, _("'%s' is not a level (unit, county, city, province, central)"), level);
	wi.level = (enum level)lv;
	if (wi.parent && workspace_check_parent(wi.parent, &err) < 0)
		return usage_error(usage, "--parent: %s", err.msg);
	if (as_of) {
		if (parse_date(as_of, strlen(as_of), date, &why) <= 0)
			return usage_error(usage, _("--as-of: '%s' is not a date (use 2026-06-30)"), as_of);
	} else {
		/* The as-of date is fixed here, once; scores never read the
		 * clock again, so they stay reproducible. */
		time_t t = time(NULL);
		struct tm tm;

		localtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	}
	wi.as_of = date;
	if (!wi.period) {
		snprintf(period, sizeof(period), "%.4s年度", date);
		wi.period = period;
	}
	if (!checklist)
		checklist = checklist_default_path();
	if (!checklist) {
		error_msg("%s", _("cannot find the checklist file; use --checklist FILE or set ZHIJIAN_CHECKLIST"));
		return EXIT_FAIL;
	}
	/* A broken checklist is found before anything is created. */
	{
		struct checklist *cl = checklist_load(checklist, &err);

		if (!cl || rules_validate(cl, NULL, &err) < 0 || checklist_lint(cl, &err) < 0) {
			checklist_free(cl);
			error_msg("%s", err.msg);
			return EXIT_DATA;
		}
		checklist_free(cl);
	}
	if (store_create(&db, ctx->db_path, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (store_begin(db, &err) < 0 || workspace_init(db, &wi, checklist, &err) < 0 ||
	    store_commit(db, &err) < 0) {
		store_rollback(db);
		store_close(db);
		store_remove(ctx->db_path);
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (workspace_load(db, &ctx->ws, &err) < 0) {
		store_close(db);
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	printf(_("created workspace '%s'\n"), ctx->db_path);
	printf(_("  unit:      %s (%s)\n"), wi.unit, level_word((enum level)wi.level));
	printf(_("  as of:     %s, period %s\n"), wi.as_of, wi.period);
	if (wi.parent)
		printf(_("  reports to: %s\n"), wi.parent);
	printf(_("  checklist: %s %s, %zu articles, %zu items, %zu rules (sha256 %.12s…)\n"),
	       ctx->ws.cl->id, ctx->ws.cl->version ? ctx->ws.cl->version : "",
	       ctx->ws.cl->narticles, ctx->ws.cl->nitems, ctx->ws.cl->nrules, ctx->ws.cl->sha256);
	workspace_release(&ctx->ws);
	store_close(db);
	return EXIT_OK;
}
