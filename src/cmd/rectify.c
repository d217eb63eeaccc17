/* zhijian rectify add|list|show|update|plan|export: the ledger (整改台账). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/rectify_export.h"
#include "core/rectify.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/when.h"
#include "util/strbuf.h"

/* Translated whole (N_): it has prose beside the syntax. */
static const char *const usage = N_(
	"zhijian rectify add (--finding SUBJECT [--inventory I] (--article N | --rule RULE) | --item ITEM | --article N)\n"
	"                      --measure TEXT [--unit UNIT] [--owner NAME] [--deadline DATE]\n"
	"       zhijian rectify list [--status S] [--article N] [--overdue] [--owner NAME] [--format table|csv]\n"
	"       zhijian rectify show ID\n"
	"       zhijian rectify update ID [--status S] [--reason TEXT] [--note TEXT] [--deadline DATE]\n"
	"                      [--evidence FILE]... [--owner NAME] [--unit UNIT] [--measure TEXT]\n"
	"       zhijian rectify plan [--apply [--owner NAME] [--unit UNIT] [--deadline DATE]]\n"
	"       zhijian rectify export --format csv|xlsx -o FILE\n"
	"       zhijian rectify import FILE.xlsx [--sheet NAME]   (the export, filled in)\n"
	"  S: 待整改|pending 整改中|in_progress 已整改|done 已验证|verified 已取消|cancelled");

static long long parse_id(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	return *end || v <= 0 ? -1 : v;
}

static int parse_article(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *end || v < 1 || v > 1000 ? -1 : (int)v;
}


static int add(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "finding", required_argument, NULL, 'f' }, { "inventory", required_argument, NULL, 'i' },
		{ "rule", required_argument, NULL, 'r' }, { "item", required_argument, NULL, 't' },
		{ "article", required_argument, NULL, 'a' }, { "measure", required_argument, NULL, 'm' },
		{ "unit", required_argument, NULL, 'u' }, { "owner", required_argument, NULL, 'o' },
		{ "deadline", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 },
	};
	struct rect_new n = { .target = RT_ARTICLE };
	struct zj_error err;
	long long id;
	int c;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "", opts, "rectify", usage)) != -1) {
		switch (c) {
		case 'f': n.target = RT_FINDING; n.subject_id = optarg; break;
		case 'i': n.inventory = optarg; break;
		case 'r': n.rule = optarg; break;
		case 't': n.target = RT_ITEM; n.item = optarg; break;
		case 'a':
			n.article = parse_article(optarg);
			if (n.article < 0)
				return usage_error(usage, _("--article: '%s' is not an article number"), optarg);
			break;
		case 'm': n.measure = optarg; break;
		case 'u': n.unit = optarg; break;
		case 'o': n.owner = optarg; break;
		case 'd': n.deadline = optarg; break;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (n.subject_id && n.item)
		return usage_error(usage, "%s", _("give --finding or --item, not both"));
	if (n.target == RT_FINDING && !n.article && !n.rule)
		return usage_error(usage, "%s", _("--finding needs --article N or --rule RULE"));
	if (n.target == RT_ARTICLE && !n.article)
		return usage_error(usage, "%s", _("say what to rectify: --finding, --item or --article"));
	if (n.inventory && !inventory_by_name(n.inventory))
		return usage_error(usage, _("'%s' is not an inventory (apps, accounts, groups)"), n.inventory);
	if (!n.measure)
		return usage_error(usage, "%s", _("--measure is required"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (rectify_add(ctx->db, &ctx->ws, &n, &id, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	printf(_("rectification %lld created: %s; status %s\n"), id, n.measure, label_rect_status(RS_PENDING, 0));
	return EXIT_OK;
}

/* The list's status column: 整改中 in Chinese, "in progress" otherwise. */
static int status_width(void)
{
	int w = 0;

	for (int s = 0; s < RS_COUNT; s++) {
		int sw = (int)utf8_width(label_rect_status(s, 1)) + 1;

		if (sw > w)
			w = sw;
	}
	return w < 8 ? 8 : w;
}

struct list_ctx {
	int csv;
	long long n, overdue;
	const char *today;
};

static int list_row(void *vctx, const struct rect_row *r)
{
	struct list_ctx *lc = vctx;
	char what[512], id[24], art[8], g[24];

	lc->n++;
	lc->overdue += r->overdue;
	rect_describe(r->target, r->subject_id, r->subject_name, r->rule, r->item, r->article, what, sizeof(what));
	snprintf(id, sizeof(id), "%lld", r->id);
	snprintf(art, sizeof(art), "%d", r->article);
	if (lc->csv) {
		const char *cells[] = { id, rect_status_key(r->status), r->overdue ? "overdue" : "",
					r->ready ? "ready" : "", art, what, r->measure ? r->measure : "",
					r->unit ? r->unit : "", r->owner ? r->owner : "",
					r->deadline ? r->deadline : "", rect_gain_text(r->gain, g) };

		for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
			csvout_field(stdout, cells[i], strlen(cells[i]), i + 1 == sizeof(cells) / sizeof(cells[0]), 1);
		return 0;
	}
	/* Overdue rows stand out: a marker in front, and the word. */
	fputs(r->overdue ? "!" : " ", stdout);
	put_cell(stdout, id, 4, 1);
	fputs("  ", stdout);
	put_cell(stdout, label_rect_status(r->status, 1), status_width(), 0);
	put_cell(stdout, r->overdue ? _("OVERDUE") : r->ready ? _("ready") : "", 9, 0);
	put_cell(stdout, art, 4, 1);
	fputs("  ", stdout);
	put_cell(stdout, what, 30, 0);
	fputs(" ", stdout);
	put_cell(stdout, r->measure ? r->measure : "", 24, 0);
	fputs(" ", stdout);
	put_cell(stdout, r->owner ? r->owner : "", 8, 0);
	fputs(" ", stdout);
	put_cell(stdout, r->deadline ? r->deadline : "", 10, 0);
	printf(" %s", rect_gain_text(r->gain, g));
	/* A gain is often +0.00: what it would take for the item to move. */
	if (*r->next)
		printf("  %s", r->next);
	putchar('\n');
	return 0;
}

static int list(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' }, { "article", required_argument, NULL, 'a' },
		{ "overdue", no_argument, NULL, 'o' }, { "owner", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 },
	};
	struct rect_filter f = { .status = -1 };
	struct list_ctx lc = { 0 };
	struct zj_error err;
	int c;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "", opts, "rectify", usage)) != -1) {
		switch (c) {
		case 's':
			f.status = rect_status_parse(optarg);
			if (f.status < 0)
				return usage_error(usage, _("'%s' is not a status"), optarg);
			break;
		case 'a':
			f.article = parse_article(optarg);
			if (f.article < 0)
				return usage_error(usage, _("--article: '%s' is not an article number"), optarg);
			break;
		case 'o': f.overdue_only = 1; break;
		case 'w': f.owner = optarg; break;
		case 'f':
			if (format_table_csv(optarg, usage, &lc.csv))
				return EXIT_USAGE;
			break;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (lc.csv)
		fputs("id,status,overdue,ready,article,target,measure,unit,owner,deadline,gain\r\n", stdout);
	else {
		fputs(" ", stdout);
		put_cell(stdout, _("id"), 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, _("status"), status_width(), 0);
		put_cell(stdout, "", 9, 0);
		put_cell(stdout, _("art."), 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, _("target"), 30, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("measure"), 24, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("owner"), 8, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("deadline"), 10, 0);
		printf(" %s\n", _("gain"));
	}
	if (rectify_list(ctx->db, &ctx->ws, &f, list_row, &lc, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (!lc.csv)
		printf(_("%lld rectifications, %lld overdue (deadlines judged against today, %s)\n"), lc.n, lc.overdue,
		       ctx->ws.today);
	return EXIT_OK;
}

static int show_row(void *vctx, const struct rect_row *r)
{
	struct list_ctx *lc = vctx;
	char what[512], g[24], sbuf[64];

	lc->n++;
	rect_describe(r->target, r->subject_id, r->subject_name, r->rule, r->item, r->article, what, sizeof(what));
	printf(_("rectification %lld%s\n"), r->id, r->overdue ? _("  ! OVERDUE") : "");
	printf(_("  target:    %s (article %d)\n"), what, r->article);
	printf(_("  measure:   %s\n"), r->measure ? r->measure : "");
	printf(_("  unit:      %s\n"), r->unit ? r->unit : "—");
	printf(_("  owner:     %s\n"), r->owner ? r->owner : "—");
	if (r->overdue)
		printf(_("  deadline:  %s, overdue (today is %s)\n"), r->deadline, lc->today);
	else
		printf(_("  deadline:  %s\n"), r->deadline ? r->deadline : "—");
	printf(_("  status:    %s%s\n"), rect_status_text(r->status, sbuf, sizeof(sbuf)),
	       r->ready ? _("; the last score no longer finds the violation: ready for verification") : "");
	if (r->cancel_reason)
		printf(_("  cancelled: %s\n"), r->cancel_reason);
	printf(_("  gain if fixed: %s points of the total\n"), rect_gain_text(r->gain, g));
	if (*r->next_full)
		printf(_("  next step: %s\n"), r->next_full);
	return 0;
}

static int show_event(void *vctx, const struct rect_event *e)
{
	char when[WHEN_TIME_SIZE];
	const char *kind = rect_event_label(e->kind);
	size_t kw = utf8_width(kind);

	(void)vctx;
	/* The kind padded, never cut ("ready for verification"). */
	printf("  %s  %-8s %s%*s", when_local(e->at, 1, when), e->by ? e->by : "", kind, kw < 9 ? (int)(9 - kw) : 0, "");
	if (e->from_status || e->to_status)
		printf(" %s → %s", label_rect_status_key(e->from_status, 1), label_rect_status_key(e->to_status, 1));
	if (e->text)
		printf(" %s", e->text);
	putchar('\n');
	return 0;
}

static int show_evidence(void *vctx, const struct rect_evidence *e)
{
	int *bad = vctx;

	printf("  %s  %lld bytes  sha256 %.16s…  %s\n", e->path, e->size, e->sha256,
	       !strcmp(e->state, "ok") ? _("unchanged")
	       : !strcmp(e->state, "changed") ? _("CHANGED since it was recorded") : _("MISSING"));
	*bad |= strcmp(e->state, "ok") != 0;
	return 0;
}

static int show(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct rect_filter f = { .status = -1 };
	struct list_ctx lc = { 0 };
	struct zj_error err;
	int bad = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		static const struct option none[] = { { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };

		cmd_print_help("rectify", usage, none);
		return EXIT_OK;
	}
	if (argc != 2 || (f.id = parse_id(argv[1])) < 0)
		return usage_error(usage, "%s", _("show takes one rectification ID"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	lc.today = ctx->ws.today;
	if (rectify_list(ctx->db, &ctx->ws, &f, show_row, &lc, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (!lc.n) {
		/* An ID that names nothing is a bad command line, as an
		 * unknown item is for answer. */
		error_msg(_("no rectification %lld (see 'zhijian rectify list')"), f.id);
		return EXIT_USAGE;
	}
	printf("%s\n", _("history:"));
	if (rectify_events(ctx->db, f.id, show_event, NULL, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	printf("%s\n", _("evidence:"));
	if (rectify_evidence(ctx->db, f.id, show_evidence, &bad, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (bad)
		error_msg(_("rectification %lld: evidence changed or missing since it was recorded"), f.id);
	return bad ? EXIT_DATA : EXIT_OK;
}

static int update(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' }, { "reason", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'n' }, { "deadline", required_argument, NULL, 'd' },
		{ "evidence", required_argument, NULL, 'e' }, { "owner", required_argument, NULL, 'o' },
		{ "unit", required_argument, NULL, 'u' }, { "measure", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct rect_change ch = { .status = -1 };
	const char **evidence = calloc((size_t)argc + 1, sizeof(*evidence));
	struct zj_error err;
	size_t nev = 0;
	long long id;
	int c, rc = EXIT_OK;

	if (!evidence) {
		error_msg("%s", _("out of memory"));
		return EXIT_FAIL;
	}
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "", opts, "rectify", usage)) != -1) {
		switch (c) {
		case 's':
			ch.status = rect_status_parse(optarg);
			if (ch.status < 0) {
				free(evidence);
				return usage_error(usage, _("'%s' is not a status"), optarg);
			}
			break;
		case 'r': ch.reason = optarg; break;
		case 'n': ch.note = optarg; break;
		case 'd': ch.deadline = optarg; break;
		case 'e': evidence[nev++] = optarg; break;
		case 'o': ch.owner = optarg; break;
		case 'u': ch.unit = optarg; break;
		case 'm': ch.measure = optarg; break;
		default: free(evidence); return usage_error(usage, NULL);
		}
	}
	if (argc - optind != 1 || (id = parse_id(argv[optind])) < 0) {
		free(evidence);
		return usage_error(usage, "%s", _("update takes one rectification ID"));
	}
	ch.evidence = nev ? evidence : NULL;
	if (cmd_need_workspace(ctx, 0) < 0) {
		free(evidence);
		return EXIT_FAIL;
	}
	if (rectify_exists(ctx->db, id) == 0) {
		error_msg(_("no rectification %lld (see 'zhijian rectify list')"), id);
		rc = EXIT_USAGE;
	} else if (rectify_update(ctx->db, &ctx->ws, id, &ch, &err) < 0) {
		error_msg("%s", err.msg);
		rc = EXIT_FAIL;
	} else {
		printf(_("rectification %lld updated\n"), id);
	}
	free(evidence);
	return rc;
}

struct plan_ctx {
	long long shown;
};

static int plan_row(void *vctx, const struct rect_plan_row *r)
{
	struct plan_ctx *pc = vctx;
	char what[512], art[8], g[24];

	/* A million-row plan is summarised, not printed. */
	if (++pc->shown > 200)
		return 0;
	if (r->target == RT_FINDING) {
		const struct inventory *inv = inventory_by_name(r->inventory);

		snprintf(what, sizeof(what), "%s %s %s", inv ? label_inventory(inv->kind) : r->inventory, r->subject_id,
			 r->subject_name ? r->subject_name : "");
	} else {
		snprintf(what, sizeof(what), _("item %s"), r->item);
	}
	snprintf(art, sizeof(art), "%d", r->article);
	put_cell(stdout, art, 4, 1);
	fputs("  ", stdout);
	put_cell(stdout, what, 34, 0);
	fputs(" ", stdout);
	put_cell(stdout, r->measure, 30, 0);
	/* One subject rarely moves its item's verdict, so most gains are
	 * +0.00: those are left blank, and the next step says what fixing
	 * would take (as rectify list says it). */
	fputs(" ", stdout);
	put_cell(stdout, r->gain >= 0.005 ? rect_gain_text(r->gain, g) : "", 6, 1);
	fputs(" ", stdout);
	put_cell(stdout, r->next, 18, 0);
	printf(" %s\n", r->rules);
	return 0;
}

static void plan_header(void)
{
	put_cell(stdout, _("art."), 4, 1);
	fputs("  ", stdout);
	put_cell(stdout, _("target"), 34, 0);
	fputs(" ", stdout);
	put_cell(stdout, _("measure"), 30, 0);
	fputs(" ", stdout);
	put_cell(stdout, _("gain"), 6, 1);
	fputs(" ", stdout);
	put_cell(stdout, _("next step"), 18, 0);
	printf(" %s\n", _("rules"));
}

static int plan(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "apply", no_argument, NULL, 'y' }, { "owner", required_argument, NULL, 'o' },
		{ "unit", required_argument, NULL, 'u' }, { "deadline", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *owner = NULL, *unit = NULL, *deadline = NULL;
	struct plan_ctx pc = { 0 };
	struct zj_error err;
	long long n;
	int c, apply = 0;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "", opts, "rectify", usage)) != -1) {
		switch (c) {
		case 'y': apply = 1; break;
		case 'o': owner = optarg; break;
		case 'u': unit = optarg; break;
		case 'd': deadline = optarg; break;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	plan_header();
	if (rectify_plan(ctx->db, &ctx->ws, apply, owner, unit, deadline, plan_row, &pc, &n, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (pc.shown > 200)
		printf(_("… and %lld more\n"), pc.shown - 200);
	if (n)
		printf("%s\n", _("gain: points of the total this fix alone adds, blank where it moves no item's verdict;"
				 " next step: the item's next verdict and how many of its violating subjects must be fixed"
				 " to reach it (2/5: 2 of 5)"));
	if (apply)
		printf(_("%lld rectifications created, status %s; review them with 'zhijian rectify list'\n"), n,
		       label_rect_status(RS_PENDING, 0));
	else
		printf(_("%lld rectifications proposed; 'zhijian rectify plan --apply' creates them\n"), n);
	return EXIT_OK;
}

static int export(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = NULL, *out = NULL;
	struct zj_error err;
	long long n;
	int c;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "o:", opts, "rectify", usage)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': out = optarg; break;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (!format || (strcmp(format, "csv") && strcmp(format, "xlsx")))
		return usage_error(usage, "%s", _("export needs --format csv or --format xlsx"));
	if (!out)
		return usage_error(usage, "%s", _("export needs -o FILE"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (rectify_export(ctx->db, &ctx->ws, !strcmp(format, "xlsx"), out, &n, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	printf(_("%s: %lld rectifications exported\n"), out, n);
	return EXIT_OK;
}

static void import_row(void *vctx, const struct rect_import_row *r)
{
	(void)vctx;
	if (r->refused)
		error_msg(_("refused: %s"), r->why);
	else
		printf(_("#%lld (row %ld): %s\n"), r->id, r->row, r->changes);
}

/* rectify import FILE.xlsx: the exported ledger, filled in, applied back. */
static int import(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "sheet", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	struct rect_import_stats st;
	struct zj_error err;
	const char *sheet = NULL;
	int c;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "", opts, "import", usage)) != -1) {
		switch (c) {
		case 's': sheet = optarg; break;
		default: return usage_error(usage, NULL);
		}
	}
	if (argc - optind != 1)
		return usage_error(usage, "%s", _("import takes one file: the ledger as exported, filled in"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (rectify_import(ctx->db, &ctx->ws, argv[optind], sheet, import_row, NULL, &st, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_DATA;
	}
	printf(_("%s: %lld rows: %lld changed, %lld unchanged, %lld refused\n"), argv[optind], st.rows, st.changed,
	       st.unchanged, st.refused);
	return st.refused ? EXIT_DATA : EXIT_OK;
}

int cmd_rectify(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **, struct cmd_ctx *);
	} subs[] = {
		{ "add", add }, { "list", list }, { "show", show }, { "update", update },
		{ "plan", plan }, { "export", export }, { "import", import },
	};

	if (argc < 2)
		return usage_error(usage, NULL);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("%s%s\n", _("usage: "), _(usage));
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1, ctx);
	return usage_error(usage, _("'%s' is not a rectify command"), argv[1]);
}
