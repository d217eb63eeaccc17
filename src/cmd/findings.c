/* zhijian findings: the last score's findings, one row per subject per rule. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/browse.h"
#include "core/rectify.h"
#include "core/store.h"
#include "util/i18n.h"
#include "util/strbuf.h"

static const char usage[] =
	"zhijian findings [--article N] [--inventory apps|accounts|groups]\n"
	"                    [--severity high|medium|low] [--state violated|unknown]\n"
	"                    [--format table|csv|json]";

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

struct row {
	int article;
	const char *inventory, *id, *name, *rule, *severity, *state, *message;
	double gain;	/* points of the total if fixed; < 0 unknown */
};

static void emit(enum format fmt, const struct row *r, long long n)
{
	switch (fmt) {
	case FMT_CSV: {
		/* Subject names come from the inventories: neutralised so a
		 * spreadsheet never runs one as a formula. */
		char art[16];

		snprintf(art, sizeof(art), "%d", r->article);
		csvout_field(stdout, art, strlen(art), 0, 1);
		csvout_field(stdout, r->inventory, strlen(r->inventory), 0, 1);
		csvout_field(stdout, r->id, strlen(r->id), 0, 1);
		csvout_field(stdout, r->name, strlen(r->name), 0, 1);
		csvout_field(stdout, r->rule, strlen(r->rule), 0, 1);
		csvout_field(stdout, r->severity, strlen(r->severity), 0, 1);
		csvout_field(stdout, r->state, strlen(r->state), 0, 1);
		csvout_field(stdout, r->message, strlen(r->message), 1, 1);
		break;
	}
	case FMT_JSON: {
		struct strbuf sb = { 0 };

		sb_addf(&sb, "%s{\"article\":%d,\"inventory\":", n ? ",\n " : "", r->article);
		sb_json(&sb, r->inventory, strlen(r->inventory));
		sb_adds(&sb, ",\"subject_id\":");
		sb_json(&sb, r->id, strlen(r->id));
		sb_adds(&sb, ",\"subject_name\":");
		sb_json(&sb, r->name, strlen(r->name));
		sb_adds(&sb, ",\"rule\":");
		sb_json(&sb, r->rule, strlen(r->rule));
		sb_adds(&sb, ",\"severity\":");
		sb_json(&sb, r->severity, strlen(r->severity));
		sb_adds(&sb, ",\"state\":");
		sb_json(&sb, r->state, strlen(r->state));
		sb_adds(&sb, ",\"message\":");
		sb_json(&sb, r->message, strlen(r->message));
		if (r->gain >= 0)
			sb_addf(&sb, ",\"gain\":%.4f}", r->gain);
		else
			sb_adds(&sb, ",\"gain\":null}");
		if (sb.p)
			fputs(sb.p, stdout);
		sb_release(&sb);
		break;
	}
	case FMT_TABLE: {
		char art[16];

		snprintf(art, sizeof(art), "%d", r->article);
		put_cell(stdout, art, 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, r->inventory, 9, 0);
		fputs(" ", stdout);
		put_cell(stdout, r->id, 12, 0);
		fputs(" ", stdout);
		put_cell(stdout, r->name, 22, 0);
		fputs(" ", stdout);
		put_cell(stdout, r->rule, 26, 0);
		fputs(" ", stdout);
		put_cell(stdout, r->severity, 6, 0);
		fputs(" ", stdout);
		put_cell(stdout, r->state, 8, 0);
		if (r->gain > 0)
			printf(" %+6.2f", r->gain);
		else
			fputs("       ", stdout);
		printf(" %s\n", r->message);
		break;
	}
	}
}

int cmd_findings(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "article", required_argument, NULL, 'a' },
		{ "inventory", required_argument, NULL, 'i' },
		{ "severity", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum format fmt = FMT_TABLE;
	int article = 0, inv_filter = -1, sev_filter = -1, state_filter = 0, c;
	sqlite3_stmt *rules = NULL, *st = NULL;
	struct strbuf msg = { 0 };
	struct gain_ctx *gain = NULL;
	long long n = 0, nv = 0, nu = 0;
	struct zj_error err;
	int status = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 1000)
				return usage_error(usage, _("--article: '%s' is not an article number"), optarg);
			article = (int)v;
			break;
		}
		case 'i': {
			const struct inventory *inv = inventory_by_name(optarg);

			if (!inv)
				return usage_error(usage, _("'%s' is not an inventory (apps, accounts, groups)"), optarg);
			inv_filter = (int)inv->kind;
			break;
		}
		case 's':
			sev_filter = severity_parse(optarg);
			if (sev_filter < 0)
				return usage_error(usage, _("'%s' is not a severity (high, medium, low)"), optarg);
			break;
		case 't':
			if (!strcmp(optarg, "violated"))
				state_filter = 1;
			else if (!strcmp(optarg, "unknown"))
				state_filter = 2;
			else
				return usage_error(usage, _("'%s' is not a state (violated, unknown)"), optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "table"))
				fmt = FMT_TABLE;
			else if (!strcmp(optarg, "csv"))
				fmt = FMT_CSV;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else
				return usage_error(usage, _("'%s' is not a format (table, csv, json)"), optarg);
			break;
		case 'h': printf("%s%s\n", _("usage: "), usage); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (article && !checklist_article(ctx->ws.cl, article))
		return usage_error(usage, _("--article: there is no article %d (1 to %zu)"),
				   article, ctx->ws.cl->narticles);
	{
		sqlite3_stmt *q;
		int scored = 0;

		if (sqlite3_prepare_v2(ctx->db, "SELECT 1 FROM score_runs LIMIT 1", -1, &q, NULL) == SQLITE_OK) {
			scored = sqlite3_step(q) == SQLITE_ROW;
			sqlite3_finalize(q);
		}
		if (!scored) {
			error_msg("%s", _("no findings yet: run 'zhijian score' first"));
			return EXIT_FAIL;
		}
	}

	if (fmt != FMT_CSV && !(gain = gain_ctx_new(ctx->db, &ctx->ws, &err))) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (sqlite3_prepare_v2(ctx->db, "SELECT id, inventory, bit, article, severity, message, reads, method = 'similar-apps' FROM rules"
			       " WHERE (?1 = 0 OR article = ?1) AND (?2 < 0 OR inventory = ?2) AND (?3 IS NULL OR severity = ?3)"
			       " ORDER BY article, inventory, bit", -1, &rules, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_int(rules, 1, article);
	sqlite3_bind_int(rules, 2, inv_filter);
	if (sev_filter >= 0)
		sqlite3_bind_text(rules, 3, severity_key((enum severity)sev_filter), -1, SQLITE_STATIC);

	if (fmt == FMT_CSV)
		fputs("article,inventory,subject_id,subject_name,rule,severity,state,message\r\n", stdout);
	else if (fmt == FMT_JSON)
		fputs("[", stdout);
	else {
		put_cell(stdout, _("art."), 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, _("inventory"), 9, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("subject"), 12, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("name"), 22, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("rule"), 26, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("sev."), 6, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("state"), 8, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("gain"), 6, 1);
		printf(" %s\n", _("message"));
	}

	while (sqlite3_step(rules) == SQLITE_ROW) {
		const struct inventory *inv = inventory_get((enum inv_kind)sqlite3_column_int(rules, 1));
		int bit = sqlite3_column_int(rules, 2);
		unsigned long long reads = (unsigned long long)sqlite3_column_int64(rules, 6);
		char *sql;
		struct row r = {
			.article = sqlite3_column_int(rules, 3),
			.inventory = inv ? inv->name : "?",
			.rule = (const char *)sqlite3_column_text(rules, 0),
			.severity = (const char *)sqlite3_column_text(rules, 4),
		};
		const char *rule_msg = (const char *)sqlite3_column_text(rules, 5);
		int similar = sqlite3_column_int(rules, 7);

		if (!inv)
			continue;
		sql = sqlite3_mprintf("SELECT i.id, i.name, (f.violated >> ?1) & 1, f.nulls, p.id, p.name, f.peer_reasons,"
				      " f.violated, f.unknown"
				      " FROM findings f JOIN %s i ON i.rowid = f.subject LEFT JOIN %s p ON p.rowid = f.peer"
				      " WHERE f.inventory = ?2 AND ((f.violated | f.unknown) >> ?1) & 1"
				      " AND (?3 = 0 OR (?3 = 1) = ((f.violated >> ?1) & 1))"
				      " ORDER BY f.subject", inv->table, inv->table);
		if (!sql || sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK) {
			sqlite3_free(sql);
			goto sqlfail;
		}
		sqlite3_free(sql);
		sqlite3_bind_int(st, 1, bit);
		sqlite3_bind_int(st, 2, (int)inv->kind);
		sqlite3_bind_int(st, 3, state_filter);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int violated = sqlite3_column_int(st, 2);

			r.id = (const char *)sqlite3_column_text(st, 0);
			r.name = (const char *)sqlite3_column_text(st, 1);
			r.state = violated ? "violated" : "unknown";
			finding_message(&msg, inv->kind, rule_msg, similar, reads, violated,
					(unsigned long long)sqlite3_column_int64(st, 3),
					(const char *)sqlite3_column_text(st, 4),
					(const char *)sqlite3_column_text(st, 5), sqlite3_column_int(st, 6));
			r.message = msg.p ? msg.p : "";
			/* What fixing this one finding would add, by the same
			 * scoring model (the CSV contract has no column for it). */
			r.gain = violated && gain && fmt != FMT_CSV
				 ? gain_for(gain, (int)inv->kind, (unsigned long long)sqlite3_column_int64(st, 7),
					    (unsigned long long)sqlite3_column_int64(st, 8), 1ull << bit)
				 : -1;
			emit(fmt, &r, n);
			n++;
			nv += violated;
			nu += !violated;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (fmt == FMT_JSON)
		fputs("]\n", stdout);
	else if (fmt == FMT_TABLE)
		printf(_("%lld findings: %lld violated, %lld unknown (needs verification)\n"), n, nv, nu);
	goto out;
sqlfail:
	store_error(ctx->db, &err, _("cannot read the findings"));
	error_msg("%s", err.msg);
	status = EXIT_FAIL;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(rules);
	sb_release(&msg);
	gain_ctx_free(gain);
	return status;
}
