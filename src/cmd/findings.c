/* zhijian findings: the last score's findings, one row per subject per rule. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/browse.h"
#include "core/policy.h"
#include "core/rectify.h"
#include "core/score.h"
#include "util/i18n.h"
#include "util/strbuf.h"

static const char usage[] =
	"zhijian findings [--article N] [--inventory apps|accounts|groups]\n"
	"                    [--severity high|medium|low] [--state violated|unknown]\n"
	"                    [--format table|csv|json]\n"
	"       zhijian findings --by type [--format table|csv|json]";

enum format { FMT_TABLE, FMT_CSV, FMT_JSON };

#define PAGE 256	/* findings read at a time */

struct row {
	int article;
	const char *inventory, *id, *name, *rule, *severity, *state, *message, *type;
	double gain;	/* points of the total if fixed; < 0 unknown */
	const char *next;	/* what fixing the rule's item would take: "3.1→基本符合 3/12", or "" */
	const struct scoring_next *step;	/* the same as numbers, or NULL */
	const char *item;
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
		csvout_field(stdout, r->message, strlen(r->message), 0, 1);
		csvout_field(stdout, r->type, strlen(r->type), 1, 1);
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
		sb_adds(&sb, ",\"type\":");
		sb_json(&sb, r->type, strlen(r->type));
		if (r->gain >= 0)
			sb_addf(&sb, ",\"gain\":%.4f", r->gain);
		else
			sb_adds(&sb, ",\"gain\":null");
		/* The item's next step: gain alone is +0.00 for most rows. */
		if (r->step && r->step->found)
			sb_addf(&sb, ",\"next\":{\"item\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"fix\":%lld,\"of\":%lld,"
				"\"gain\":%.4f}}", r->item, verdict_key(r->step->from), verdict_key(r->step->to), r->step->fix,
				r->step->of, r->step->gain < 0 ? 0 : r->step->gain);
		else
			sb_adds(&sb, ",\"next\":null}");
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
		if (r->gain >= 0.005)
			printf(" %+6.2f", r->gain);
		else
			fputs("       ", stdout);
		fputs(" ", stdout);
		put_cell(stdout, r->next ? r->next : "", 18, 0);
		printf(" %s\n", r->message);
		break;
	}
	}
}

/* findings --by type: the campaign's four problem types, counted. */
static int by_type(struct cmd_ctx *ctx, enum format fmt)
{
	struct type_count tc[PT_COUNT + 1];
	struct zj_error err;
	/* The campaign's four types are official terms: Chinese alone in
	 * Chinese, with their key beside them otherwise (过多过滥 (excess)). */
	int zh = i18n_chinese_labels(), tw = zh ? 14 : 26;

	if (policy_by_type(ctx->db, ctx->ws.cl, ctx->ws.today, 1, tc, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (fmt == FMT_CSV)
		fputs("type,label,violated,subjects,unknown,rectifications,open,overdue\r\n", stdout);
	else if (fmt == FMT_JSON)
		fputs("[", stdout);
	else {
		put_cell(stdout, _("type"), tw, 0);
		put_cell(stdout, _("violated"), 10, 1);
		put_cell(stdout, _("subjects"), 10, 1);
		put_cell(stdout, _("unknown"), 10, 1);
		put_cell(stdout, _("rectifications"), 16, 1);
		put_cell(stdout, _("open"), 8, 1);
		put_cell(stdout, _("overdue"), 9, 1);
		putchar('\n');
	}
	for (int t = 0; t <= PT_COUNT; t++) {
		const struct type_count *c = &tc[t];
		const char *key = t < PT_COUNT ? problem_type_key(t) : "none";
		const char *label = t < PT_COUNT ? problem_type_label(t) : _("no type");

		if (t == PT_COUNT && !c->violated && !c->unknown && !c->rectifications)
			continue;	/* only an older checklist leaves rules untyped */
		if (fmt == FMT_CSV) {
			printf("%s,%s,%lld,%lld,%lld,%lld,%lld,%lld\r\n", key, label, c->violated, c->subjects,
			       c->unknown, c->rectifications, c->open, c->overdue);
		} else if (fmt == FMT_JSON) {
			printf("%s{\"type\":\"%s\",\"label\":\"%s\",\"violated\":%lld,\"subjects\":%lld,"
			       "\"unknown\":%lld,\"rectifications\":%lld,\"open\":%lld,\"overdue\":%lld}",
			       t ? ",\n " : "", key, label, c->violated, c->subjects, c->unknown, c->rectifications,
			       c->open, c->overdue);
		} else {
			char b[6][32];

			put_cell(stdout, t < PT_COUNT ? label_problem_type(t, 0) : label, tw, 0);
			put_cell(stdout, fmt_count(c->violated, b[0]), 10, 1);
			put_cell(stdout, fmt_count(c->subjects, b[1]), 10, 1);
			put_cell(stdout, fmt_count(c->unknown, b[2]), 10, 1);
			put_cell(stdout, fmt_count(c->rectifications, b[3]), 16, 1);
			put_cell(stdout, fmt_count(c->open, b[4]), 8, 1);
			put_cell(stdout, fmt_count(c->overdue, b[5]), 9, 1);
			putchar('\n');
		}
	}
	if (fmt == FMT_JSON)
		fputs("]\n", stdout);
	else if (fmt != FMT_CSV)
		printf(_("overdue: open rectifications past their deadline on %s (today)\n"), ctx->ws.today);
	return EXIT_OK;
}

int cmd_findings(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "article", required_argument, NULL, 'a' },
		{ "inventory", required_argument, NULL, 'i' },
		{ "severity", required_argument, NULL, 's' },
		{ "state", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum format fmt = FMT_TABLE;
	int article = 0, inv_filter = -1, sev_filter = -1, state_filter = 0, c, by = 0;
	struct browse_ffilter ff;
	struct browse_rules rules;
	struct browse_finding page[PAGE];
	struct browse_fkey key = { 0, 0 };
	enum browse_from from = BROWSE_FIRST;
	struct score_freshness fresh;
	struct gain_ctx *gain = NULL;
	long long n = 0, nv = 0, nu = 0;
	struct zj_error err;
	int status = EXIT_OK, never;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "findings", usage)) != -1) {
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

			/* The words the table shows are taken too (应用程序). */
			for (int k = 0; !inv && k < INV_COUNT; k++)
				if (!strcmp(optarg, label_inventory(k)) || !strcmp(optarg, inventory_get((enum inv_kind)k)->title))
					inv = inventory_get((enum inv_kind)k);
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
			if (!strcmp(optarg, "violated") || !strcmp(optarg, label_state(1)))
				state_filter = 1;
			else if (!strcmp(optarg, "unknown") || !strcmp(optarg, label_state(0)))
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
		case 'b':
			if (strcmp(optarg, "type"))
				return usage_error(usage, _("--by: '%s' is not a grouping (type)"), optarg);
			by = 1;
			break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
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
	ff = (struct browse_ffilter){ .article = article, .inv = inv_filter, .sev = sev_filter, .state = state_filter };
	if (score_freshness_load(ctx->db, &fresh, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	never = fresh.state == SCORE_NEVER;
	score_freshness_release(&fresh);
	if (never) {
		error_msg("%s", _("no findings yet: run 'zhijian score' first"));
		return EXIT_FAIL;
	}
	if (by) {
		if (article || inv_filter >= 0 || sev_filter >= 0 || state_filter)
			return usage_error(usage, "%s", _("--by type counts every finding: it takes no filter"));
		return by_type(ctx, fmt);
	}
	if (browse_rules_load(ctx->db, &rules, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (fmt != FMT_CSV && !(gain = gain_ctx_new(ctx->db, &ctx->ws, &err))) {
		error_msg("%s", err.msg);
		browse_rules_release(&rules);
		return EXIT_FAIL;
	}

	if (fmt == FMT_CSV)
		fputs("article,inventory,subject_id,subject_name,rule,severity,state,message,type\r\n", stdout);
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
		fputs(" ", stdout);
		put_cell(stdout, _("next step"), 18, 0);
		printf(" %s\n", _("message"));
	}

	/* A page at a time, in the browse API's order (rules by article,
	 * inventory and bit, then subjects): the table can be a million rows. */
	for (;;) {
		int got = browse_findings_page(ctx->db, &rules, &ff, from, &key, PAGE, page, &err);

		if (got < 0)
			goto fail;
		for (int i = 0; i < got; i++) {
			const struct browse_finding *f = &page[i];
			const struct browse_rule *br = &rules.v[f->rule];
			struct row r = {
				.article = br->article,
				/* Keys in CSV and JSON (a contract), words
				 * for the reader in the table. */
				.inventory = fmt == FMT_TABLE ? label_inventory(f->inv) : inventory_get(f->inv)->name,
				.id = f->subject_id,
				.name = f->subject_name,
				.rule = br->id ? br->id : "",
				.severity = fmt == FMT_TABLE ? label_severity(br->sev) : severity_key(br->sev),
				.state = fmt == FMT_TABLE ? label_state(f->violated) : f->violated ? "violated" : "unknown",
				.message = f->message,
				.type = problem_type_key(br->type),
			};

			/* What fixing this one finding would add, by the same
			 * scoring model (the CSV contract has no column for it). */
			r.gain = f->violated && gain ? gain_for(gain, (int)f->inv, f->subject_violated,
								f->subject_unknown, 1ull << br->bit) : -1;
			{
				struct scoring_next step;
				const char *item = NULL;
				char nbuf[96];

				if (f->violated && gain && br->id) {
					gain_next(gain, br->id, br->article, &item, &step);
					r.step = &step;
					r.item = item;
					r.next = rect_next_text(item, &step, 1, nbuf, sizeof(nbuf));
				}
				emit(fmt, &r, n);
			}
			n++;
			nv += f->violated;
			nu += !f->violated;
		}
		if (got > 0) {
			key.rule = page[got - 1].rule;
			key.subject = page[got - 1].subject;
			from = BROWSE_AFTER;
		}
		browse_findings_free(page, (size_t)got);
		if (got < PAGE)
			break;
	}
	if (fmt == FMT_JSON)
		fputs("]\n", stdout);
	else if (fmt == FMT_TABLE) {
		printf(_("%lld findings: %lld violated, %lld unknown (needs verification)\n"), n, nv, nu);
		/* A blank gain is the truth, not a gap: an item's verdict moves
		 * a step only when enough of its subjects are fixed. */
		if (nv)
			printf("%s\n", _("gain: points of the total this fix alone adds, blank where it moves no item's verdict;"
					 " next step: the item's next verdict and how many of its violating subjects must be fixed"
					 " to reach it (2/5: 2 of 5)"));
	}
	goto out;
fail:
	error_msg("%s", err.msg);
	status = EXIT_FAIL;
out:
	browse_rules_release(&rules);
	gain_ctx_free(gain);
	return status;
}
