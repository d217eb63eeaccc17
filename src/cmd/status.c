/* zhijian status: where the assessment stands. */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/store.h"
#include "util/i18n.h"

static const char usage[] = "zhijian status";

int cmd_status(int argc, char **argv, struct cmd_ctx *ctx)
{
	const struct workspace *ws = &ctx->ws;
	struct assessment a;
	struct zj_error err;
	sqlite3_stmt *st;
	char sbuf[16];
	long long last_batch, scored_batch;
	const char *grade;

	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			printf("%s%s\n", _("usage: "), usage);
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
	printf(_("workspace  %s\n"), ctx->db_path);
	printf(_("unit       %s (%s)%s%s\n"), ws->unit, level_key(ws->level),
	       ws->code ? _(", code ") : "", ws->code ? ws->code : "");
	printf(_("as of      %s, period %s\n"), ws->as_of, ws->period ? ws->period : "—");
	printf(_("checklist  %s %s (sha256 %.12s…)\n"), ws->cl->id, ws->cl->version ? ws->cl->version : "",
	       ws->cl->sha256);
	printf("%s\n", _("inventories"));
	for (int k = 0; k < INV_COUNT; k++) {
		const struct inventory *inv = inventory_get((enum inv_kind)k);
		char *sql = sqlite3_mprintf("SELECT count(*) FROM %s", inv->table);

		printf("  %-9s %10lld", inv->name, sql ? store_scalar(ctx->db, sql) : -1);
		sqlite3_free(sql);
		if (sqlite3_prepare_v2(ctx->db, "SELECT file, at FROM imports WHERE inventory = ? AND rows IS NOT NULL"
				       " ORDER BY batch DESC LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, inv->name, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				printf(_("   last import %s from %s"), sqlite3_column_text(st, 1), sqlite3_column_text(st, 0));
			else
				printf("%s", _("   not imported"));
			sqlite3_finalize(st);
		}
		putchar('\n');
	}
	last_batch = store_scalar(ctx->db, "SELECT max(batch) FROM imports");
	scored_batch = store_scalar(ctx->db, "SELECT last_batch FROM score_runs ORDER BY run DESC LIMIT 1");
	if (!a.scored)
		printf("%s\n", _("score      never run; run 'zhijian score'"));
	else if (last_batch > scored_batch)
		printf(_("score      out of date: inventories were imported after the last score (as of %s); run 'zhijian score'\n"),
		       a.scored_as_of);
	else if (strcmp(a.scored_as_of, ws->as_of))
		printf(_("score      measured as of %s, but the workspace is now as of %s; run 'zhijian score'\n"),
		       a.scored_as_of, ws->as_of);
	else
		printf(_("score      up to date (as of %s)\n"), a.scored_as_of);
	printf(_("progress   answered %zu of %zu items; %zu proposed by the rules awaiting confirmation; %zu open\n"),
	       a.answered, ws->cl->nitems, a.pending, a.open);
	grade = scoring_grade(ws->cl, a.total);
	printf(_("total      %s%s%s%s\n"), fmt_score(a.total, sbuf), grade ? " " : "", grade ? grade : "",
	       a.pending || a.open ? _("  (provisional: not every item is answered)") : "");
	assessment_release(&a);
	return EXIT_OK;
}
