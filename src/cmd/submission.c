/* zhijian submission show|extract: the data a report carries inside it. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/submission.h"
#include "sign/pdf.h"
#include "util/file.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/when.h"

static const char usage[] =
	"zhijian submission show FILE.pdf|FILE.sqlite\n"
	"       zhijian submission findings FILE.pdf|FILE.sqlite [--format table|csv]\n"
	"       zhijian submission extract FILE.pdf -o FILE.sqlite";

/* The submission's bytes from a PDF report: its attachment named
 * zhijian-submission.sqlite, read with the hostile-input PDF reader. */
static int from_pdf(const char *path, unsigned char **data, size_t *len, struct zj_error *err)
{
	struct pdf *p;
	int rc;

	if (pdf_open_file(&p, path, 0, err) < 0)
		return zj_err_prefix(err, "%s", path);
	rc = pdf_embedded_file(p, SUBMISSION_NAME, data, len, err);
	pdf_close(p);
	if (rc < 0)
		return zj_err_prefix(err, "%s", path);
	return 0;
}

static int is_pdf(const char *path)
{
	char head[5] = "";
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return n == 5 && !memcmp(head, "%PDF-", 5);
}

static int open_any(const char *path, struct submission **s, struct zj_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int pdf = is_pdf(path), rc;

	if (pdf < 0)
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
	if (!pdf)
		return submission_open(s, path, err);
	if (from_pdf(path, &data, &len, err) < 0)
		return -1;
	rc = submission_open_mem(s, data, len, path, err);
	free(data);
	return rc;
}

/* A word of the file (a level, an inventory, a severity: keys, by the
 * format) for the reader; a word the format does not know as it is. */
static const char *level_key_word(const char *key)
{
	int l = key ? level_parse(key) : -1;

	return l >= 0 ? level_word((enum level)l) : key ? key : "";
}

static const char *inventory_word(const char *key, int lng)
{
	const struct inventory *inv = key ? inventory_by_name(key) : NULL;

	return !inv ? (key ? key : "") : lng ? inventory_title_word(inv->kind) : label_inventory(inv->kind);
}

static const char *severity_word(const char *key)
{
	int s = key ? severity_parse(key) : -1;

	return s >= 0 ? label_severity(s) : key ? key : "";
}

static void print_show(const char *path, const struct submission *s)
{
	char sbuf[16], when[WHEN_TIME_SIZE];

	printf(_("submission  %s (schema %d)\n"), path, s->schema_version);
	printf(_("assessment  %s\n"), s->assessment_id);
	printf(_("unit        %s (%s)%s%s\n"), s->unit, level_key_word(s->level),
	       s->code ? _(", code ") : "", s->code ? s->code : "");
	printf(_("as of       %s, period %s\n"), s->as_of, s->period ? s->period : "—");
	printf(_("checklist   %s %s (sha256 %s)\n"), s->checklist_id ? s->checklist_id : "",
	       s->checklist_version ? s->checklist_version : "", s->checklist_sha256 ? s->checklist_sha256 : "");
	/* Stored in UTC; read in local time with the zone. */
	printf(_("generated   %s by %s\n"), s->generated_at ? when_local(s->generated_at, 1, when) : "—",
	       s->generator ? s->generator : "?");
	printf(_("items       answered %lld of %lld; %lld proposed by the rules awaiting confirmation; %lld open\n"),
	       s->answered, s->items, s->pending, s->open);
	printf(_("total       %s%s%s%s\n"), fmt_score(s->total, sbuf), s->grade ? " " : "", s->grade ? s->grade : "",
	       s->pending || s->open ? _("  (provisional: not every item is answered)") : "");
	printf(_("findings    %lld: %lld violated, %lld unknown (needs verification)\n"), s->findings, s->violated,
	       s->unknown);
	for (size_t i = 0; i < s->ninv; i++) {
		/* Padded by display width: 台账 is four columns, six bytes. */
		put_cell(stdout, i ? "" : _("inventories"), 11, 0);
		printf(_(" %s %lld rows, %lld with findings\n"), inventory_word(s->inv[i].name, 1), s->inv[i].rows,
		       s->inv[i].subjects);
	}
	if (s->overdue_judged_on)
		printf(_("ledger      %lld rectifications, %lld overdue (judged against %s)\n"), s->rectifications,
		       s->overdue, s->overdue_judged_on);
	else
		printf(_("ledger      %lld rectifications, %lld overdue\n"), s->rectifications, s->overdue);
}

static int extract(const char *path, const char *out)
{
	struct zj_error err;
	struct submission *s = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	struct stat sb;
	FILE *f;
	int ok;

	if (stat(out, &sb) == 0) {
		error_msg(_("'%s' exists; refusing to overwrite it"), out);
		return EXIT_FAIL;
	}
	if (from_pdf(path, &data, &len, &err) < 0 || submission_open_mem(&s, data, len, path, &err) < 0) {
		error_msg("%s", err.msg);
		free(data);
		return EXIT_DATA;
	}
	submission_close(s);
	f = file_fopen_excl(out, FILE_MODE_PUBLIC, &err);
	ok = f && fwrite(data, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	free(data);
	if (!ok) {
		if (f)
			error_msg(_("cannot write '%s': %s"), out, strerror(errno));
		else
			error_msg("%s", err.msg);
		if (f)
			unlink(out);
		return EXIT_FAIL;
	}
	printf(_("wrote '%s' (%zu bytes) from '%s'\n"), out, len, path);
	return EXIT_OK;
}

struct finding_ctx {
	int csv;
	int headed;	/* the table's header is printed with its first row */
};

static int print_finding(void *vctx, const struct submission_finding *f)
{
	struct finding_ctx *fc = vctx;
	const int *csv = &fc->csv;
	char art[16];

	snprintf(art, sizeof(art), "%d", f->article);
	if (*csv) {
		const char *cells[] = { art, f->inventory, f->subject_id, f->subject_name, f->rule, f->severity,
					f->violated ? "violated" : "unknown", f->title };

		for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
			csvout_field(stdout, cells[i], strlen(cells[i]), i + 1 == sizeof(cells) / sizeof(cells[0]), 1);
		return ferror(stdout) ? -1 : 0;
	}
	if (!fc->headed) {
		put_cell(stdout, _("art."), 4, 1);
		fputs("  ", stdout);
		put_cell(stdout, _("inventory"), 9, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("subject"), 12, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("name"), 22, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("state"), 9, 0);
		fputs(" ", stdout);
		put_cell(stdout, _("sev."), 6, 0);
		printf(" %s\n", _("rule"));
		fc->headed = 1;
	}
	put_cell(stdout, art, 4, 1);
	fputs("  ", stdout);
	put_cell(stdout, inventory_word(f->inventory, 0), 9, 0);
	fputs(" ", stdout);
	put_cell(stdout, f->subject_id, 12, 0);
	fputs(" ", stdout);
	put_cell(stdout, f->subject_name, 22, 0);
	fputs(" ", stdout);
	put_cell(stdout, f->violated ? _("violated") : _("unknown"), 9, 0);
	fputs(" ", stdout);
	put_cell(stdout, severity_word(f->severity), 6, 0);
	printf(" %s (%s)\n", *f->title ? f->title : f->rule, f->rule);
	return ferror(stdout) ? -1 : 0;
}

/* submission findings FILE: what a unit below found, read-only, without
 * merging it: the same checks as merge, then its findings. */
static int findings(const char *path, int csv)
{
	unsigned char *data = NULL;
	size_t len = 0;
	struct zj_error err;
	long long n = 0;
	int pdf = is_pdf(path), rc;
	struct finding_ctx fc = { 0, 0 };

	if (pdf < 0) {
		error_msg(_("cannot open '%s': %s"), path, strerror(errno));
		return EXIT_FAIL;
	}
	if ((pdf ? from_pdf(path, &data, &len, &err) : file_read_all(path, (size_t)256 << 20, &data, &len, &err)) < 0) {
		error_msg("%s", err.msg);
		return EXIT_DATA;
	}
	if (csv)
		fputs("article,inventory,subject_id,subject_name,rule,severity,state,title\r\n", stdout);
	fc.csv = csv;
	rc = submission_findings_mem(data, len, path, print_finding, &fc, &n, &err);
	free(data);
	if (rc < 0) {
		error_msg("%s", err.msg);
		return EXIT_DATA;
	}
	if (!csv)
		printf(_("%lld findings\n"), n);
	return EXIT_OK;
}

int cmd_submission(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	struct submission *s;
	struct zj_error err;
	int c, csv = 0;

	(void)ctx;
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "ho:", opts, "submission", usage)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f':
			if (format_table_csv(optarg, usage, &csv))
				return EXIT_USAGE;
			break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage_error(usage, "%s", _("'show' or 'extract' and a FILE are needed"));
	if (!strcmp(argv[0], "show")) {
		if (argc != 2 || out)
			return usage_error(usage, "%s", _("'show' takes one FILE"));
		if (open_any(argv[1], &s, &err) < 0) {
			error_msg("%s", err.msg);
			return EXIT_DATA;
		}
		print_show(argv[1], s);
		submission_close(s);
		return EXIT_OK;
	}
	if (!strcmp(argv[0], "findings")) {
		if (argc != 2 || out)
			return usage_error(usage, "%s", _("'findings' takes one FILE"));
		return findings(argv[1], csv);
	}
	if (!strcmp(argv[0], "extract")) {
		if (argc != 2 || !out)
			return usage_error(usage, "%s", _("'extract' takes one FILE.pdf and -o FILE.sqlite"));
		return extract(argv[1], out);
	}
	return usage_error(usage, _("unknown subcommand '%s'"), argv[0]);
}
