/*
 * zhijian: offline self-inspection against the 2023 Opinions on preventing
 * "fingertip formalism".  This file is the command table and the set-up every
 * command shares; each command lives in src/cmd/<name>.c.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/safeout.h"
#include "util/selfpath.h"
#include "util/when.h"

#ifndef ZJ_VERSION
#define ZJ_VERSION "0.1.0"
#endif

static const struct cmd_struct commands[] = {
	{ "init", cmd_init, N_("create a workspace for a unit") },
	{ "config", cmd_config, N_("show or change the level the report goes to (主送机关)") },
	{ "checklist", cmd_checklist, N_("list the articles, or show one with its items and rules") },
	{ "import", cmd_import, N_("import an inventory of apps, accounts or groups (CSV, .xlsx, .xls)") },
	{ "template", cmd_template, N_("write a workbook template of an inventory for units to fill in") },
	{ "score", cmd_score, N_("evaluate the rules and score the 16 articles") },
	{ "findings", cmd_findings, N_("list the findings of the last score") },
	{ "answer", cmd_answer, N_("record a verdict for a check item") },
	{ "status", cmd_status, N_("show progress, score and grade") },
	{ "tui", cmd_tui, N_("walk the checklist and browse inventories and findings in the terminal") },
	{ "rectify", cmd_rectify, N_("keep the rectification ledger (整改台账)") },
	{ "log", cmd_log, N_("show the audit log, or verify its hash chain") },
	{ "merge", cmd_merge, N_("receive and merge the signed reports of the units below") },
	{ "submissions", cmd_submissions, N_("list what was received from below, and who is missing") },
	{ "narrative", cmd_narrative, N_("write the report's sections in the inspector's own words") },
	{ "report", cmd_report, N_("write the self-assessment report (自查自评报告) as a PDF") },
	{ "submission", cmd_submission, N_("show or extract the data embedded in a report") },
	{ "keygen", cmd_keygen, N_("make a key and a certificate (or a request) for a unit or a CA") },
	{ "ca", cmd_ca, N_("sign a unit's or a province's certificate request") },
	{ "sign", cmd_sign, N_("sign a PDF report with a unit's key") },
	{ "verify", cmd_verify, N_("check a signed report: signature, trust, time and unit") },
};

static void print_help(FILE *f)
{
	fprintf(f, "%s\n\n", _("usage: zhijian [--db PATH] [--today DATE] COMMAND [ARGS]"));
	fprintf(f, "%s\n", _("commands:"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "   %-10s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(f, "\n%s\n", _("Run 'zhijian COMMAND --help' for a command's options; see zhijian(1)."));
}

/* Takes the global options --db PATH and --today DATE (or --db=PATH,
 * --today=DATE) out of argv wherever they stand. */
static int take_global_options(int *argc, char **argv, const char **path, const char **today)
{
	static const struct { const char *name; const char *need; } opts[] = {
		{ "--db", N_("option '--db' needs a path") },
		{ "--today", N_("option '--today' needs a date (YYYY-MM-DD)") },
	};
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char **dst[] = { path, today };
		int taken = 0;

		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]) && !taken; k++) {
			size_t n = strlen(opts[k].name);

			if (!strcmp(argv[i], opts[k].name)) {
				if (i + 1 >= *argc) {
					error_msg("%s", _(opts[k].need));
					return -1;
				}
				*dst[k] = argv[++i];
				taken = 1;
			} else if (!strncmp(argv[i], opts[k].name, n) && argv[i][n] == '=') {
				*dst[k] = argv[i] + n + 1;
				taken = 1;
			}
		}
		if (!taken)
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

/* --today, else ZHIJIAN_TODAY, pins the date that deadlines are judged
 * against; the option wins, and goes on through the environment so every
 * part (core, report, TUI) reads it through when_today(). */
static int pin_today(const char *opt)
{
	const char *env = getenv("ZHIJIAN_TODAY");

	if (opt) {
		if (!when_is_date(opt)) {
			error_msg(_("option '--today': '%s' is not a date (YYYY-MM-DD)"), opt);
			return -1;
		}
		return setenv("ZHIJIAN_TODAY", opt, 1);
	}
	if (env && *env && !when_is_date(env)) {
		error_msg(_("ZHIJIAN_TODAY: '%s' is not a date (YYYY-MM-DD)"), env);
		return -1;
	}
	return 0;
}

static int check_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return EXIT_FAIL;
		error_msg(_("cannot write output: %s"), strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0 };
	const struct cmd_struct *cmd = NULL;
	const char *db_opt = NULL, *today_opt = NULL;
	int status;

	setlocale(LC_ALL, "");
	/* The catalogue beside a build-tree binary first (build/locale), so
	 * `./build/zhijian` speaks zh_CN before `make install`. */
	bindtextdomain(ZJ_TEXTDOMAIN, getenv("ZHIJIAN_LOCALEDIR") && *getenv("ZHIJIAN_LOCALEDIR") ?
		       getenv("ZHIJIAN_LOCALEDIR") : locale_dir());
	textdomain(ZJ_TEXTDOMAIN);

	if (take_global_options(&argc, argv, &db_opt, &today_opt) < 0 || pin_today(today_opt) < 0)
		return EXIT_USAGE;
	if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		/* A bare `zhijian` on a terminal is `zhijian tui`, which says
		 * how to create a workspace when there is none. */
		static char arg0[] = "zhijian", arg1[] = "tui";
		static char *bare[] = { arg0, arg1, NULL };

		argc = 2;
		argv = bare;
	}
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		print_help(stdout);
		return check_stdout();
	}
	if (!strcmp(argv[1], "--version")) {
		printf("zhijian %s\n", ZJ_VERSION);
		return check_stdout();
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		error_msg(_("'%s' is not a zhijian command; see 'zhijian --help'"), argv[1]);
		return EXIT_USAGE;
	}

	/* Commands open the workspace themselves once their options are
	 * parsed (cmd_need_workspace), so a usage error is reported as one
	 * even where there is no workspace. */
	ctx.db_path = store_default_path(db_opt);
	/* Everything a command prints passes the filter, except the TUI's
	 * screen, which curses draws. */
	if (cmd->fn != cmd_tui)
		safeout_install();
	status = cmd->fn(argc - 1, argv + 1, &ctx);
	if (ctx.db) {
		workspace_release(&ctx.ws);
		store_close(ctx.db);
	}
	if (check_stdout() != EXIT_OK && status == EXIT_OK)
		status = EXIT_FAIL;
	return status;
}
