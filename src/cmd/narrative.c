/* zhijian narrative: the inspector's own words for the four sections of the
 * report's body (core/narrative.h). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/narrative.h"
#include "util/editor.h"
#include "util/file.h"
#include "util/i18n.h"
#include "util/utf8.h"

/* Translated whole (N_): its last lines are prose. */
static const char *const usage = N_(
	"zhijian narrative [list]\n"
	"       zhijian narrative show SECTION [--generated]\n"
	"       zhijian narrative edit SECTION\n"
	"       zhijian narrative set SECTION FILE|-\n"
	"       zhijian narrative reset SECTION\n"
	"SECTION: basic (一、基本情况), problems (二、自查发现的主要问题), rectification (三、整改情况),\n"
	"         next (四、下一步工作打算), or 1 to 4");

static int section_arg(const char *s, enum narrative_section *out)
{
	int v = narrative_parse(s);

	if (v < 0)
		return usage_error(usage, _("'%s' is not a section of the report's body"), s);
	*out = (enum narrative_section)v;
	return 0;
}

static const char *state(const struct narrative *n)
{
	if (!n->text)
		return _("generated from the data");
	return n->stale ? _("written by the inspector; the figures changed since") : _("written by the inspector");
}

static void list(const struct narrative v[NARR_COUNT])
{
	for (int i = 0; i < NARR_COUNT; i++) {
		const char *t = narrative_text(&v[i]);
		size_t first = strcspn(t, "\n");
		char *line = strndup(t, first);

		printf("%-14s %s\n", narrative_key((enum narrative_section)i), narrative_heading((enum narrative_section)i));
		printf("               %s", state(&v[i]));
		if (v[i].text && v[i].updated_at)
			printf(_(", saved %s by %s"), v[i].updated_at, v[i].updated_by ? v[i].updated_by : "?");
		printf("\n               ");
		if (line) {
			utf8_sanitize(line);
			put_cell(stdout, line, 64, 0);
		}
		putchar('\n');
		free(line);
	}
}

/* Prints what a save did. */
static void saved(enum narrative_section s, int changed, const struct narrative *before)
{
	const char *h = narrative_heading(s);

	if (changed == 1)
		printf(before->text ? _("%s: saved (the inspector's words)\n") : _("%s: saved; the report prints these words\n"), h);
	else if (changed == 2)
		printf(_("%s: back to the text generated from the data\n"), h);
	else
		printf(_("%s: nothing changed (the text generated from the data is printed)\n"), h);
}

/* Reads FILE or standard input ("-"), bounded. */
static char *read_text(const char *path, struct zj_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;

	if (strcmp(path, "-")) {
		if (file_read_all(path, NARRATIVE_MAX + 1, &buf, &len, err) < 0)
			return NULL;
	} else {
		size_t cap = 0, n;

		do {
			if (cap - len < 4096) {
				unsigned char *v = realloc(buf, cap = cap ? cap * 2 : 8192);

				if (!v) {
					free(buf);
					zj_err(err, "%s", _("out of memory"));
					return NULL;
				}
				buf = v;
			}
			n = fread(buf + len, 1, cap - len - 1, stdin);
			len += n;
		} while (n > 0 && len <= NARRATIVE_MAX);
		if (ferror(stdin)) {
			free(buf);
			zj_err(err, _("cannot read the standard input: %s"), strerror(errno));
			return NULL;
		}
		buf[len] = '\0';
	}
	if (len > NARRATIVE_MAX || strlen((char *)buf) != len) {
		zj_err(err, len > NARRATIVE_MAX ? _("'%s' is longer than a section may be (%d bytes)")
		       : _("'%s' holds a NUL byte: it is not text"), path, NARRATIVE_MAX);
		free(buf);
		return NULL;
	}
	return (char *)buf;
}

static int edit(struct cmd_ctx *ctx, enum narrative_section s, const struct narrative *n)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	struct zj_error err;
	char *text = NULL;
	FILE *f;
	int fd, changed, rc = EXIT_FAIL;

	snprintf(path, sizeof(path), "%s/zhijian-%s-XXXXXX.txt", tmp && *tmp ? tmp : "/tmp", narrative_key(s));
	fd = mkstemps(path, 4);
	if (fd < 0) {
		error_msg(_("cannot create a file to edit in: %s"), strerror(errno));
		return EXIT_FAIL;
	}
	f = fdopen(fd, "w");
	if (!f || fputs(narrative_text(n), f) == EOF || fputc('\n', f) == EOF || fclose(f) == EOF) {
		error_msg(_("cannot write '%s': %s"), path, strerror(errno));
		unlink(path);
		return EXIT_FAIL;
	}
	if (n->stale)
		fprintf(stderr, "%s\n", _("the figures changed since these words were written; the text generated from"
					  " the data now is shown by 'zhijian narrative show SECTION --generated'"));
	if (editor_run(path, &err) < 0 || !(text = read_text(path, &err))) {
		error_msg("%s", err.msg);
		goto out;
	}
	if (narrative_check(text, &err) < 0) {
		error_msg(_("%s: %s; nothing was saved"), narrative_heading(s), err.msg);
		goto out;
	}
	if (narrative_save(ctx->db, &ctx->ws, s, text, &changed, &err) < 0) {
		error_msg("%s", err.msg);
		goto out;
	}
	saved(s, changed, n);
	rc = EXIT_OK;
out:
	free(text);
	unlink(path);
	return rc;
}

int cmd_narrative(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "generated", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct narrative v[NARR_COUNT];
	enum narrative_section s = NARR_BASIC;
	const char *verb;
	struct zj_error err;
	int generated = 0, c, rc = EXIT_OK, changed;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "narrative", usage)) != -1) {
		switch (c) {
		case 'g': generated = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	argc -= optind;
	argv += optind;
	verb = argc ? argv[0] : "list";
	if (!strcmp(verb, "list")) {
		if (argc > 1)
			return usage_error(usage, _("unexpected argument '%s'"), argv[1]);
	} else if (!strcmp(verb, "show") || !strcmp(verb, "edit") || !strcmp(verb, "reset")) {
		if (argc < 2)
			return usage_error(usage, "%s", _("which section? (basic, problems, rectification, next)"));
		if (argc > 2)
			return usage_error(usage, _("unexpected argument '%s'"), argv[2]);
		if ((c = section_arg(argv[1], &s)))
			return c;
	} else if (!strcmp(verb, "set")) {
		if (argc < 3)
			return usage_error(usage, "%s", _("set takes a section and a file (or - for the standard input)"));
		if (argc > 3)
			return usage_error(usage, _("unexpected argument '%s'"), argv[3]);
		if ((c = section_arg(argv[1], &s)))
			return c;
	} else {
		return usage_error(usage, _("'%s' is not a narrative command (list, show, edit, set, reset)"), verb);
	}
	if (generated && strcmp(verb, "show"))
		return usage_error(usage, "%s", _("--generated goes with show"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (narrative_load(ctx->db, &ctx->ws, v, &err) < 0) {
		error_msg("%s", err.msg);
		return EXIT_FAIL;
	}
	if (!strcmp(verb, "list")) {
		list(v);
	} else if (!strcmp(verb, "show")) {
		const char *t = generated ? v[s].generated : narrative_text(&v[s]);

		/* Line by line: sanitising would turn the newlines to spaces. */
		while (t) {
			const char *e = strchr(t, '\n');
			char *line = strndup(t, e ? (size_t)(e - t) : strlen(t));

			if (line) {
				utf8_sanitize(line);
				printf("%s\n", line);
			}
			free(line);
			t = e ? e + 1 : NULL;
		}
		if (!generated && v[s].stale)
			error_msg("%s", _("warning: the figures changed since these words were written"));
	} else if (!strcmp(verb, "edit")) {
		rc = edit(ctx, s, &v[s]);
	} else {
		char *text = NULL;

		if (!strcmp(verb, "set") && !(text = read_text(argv[2], &err))) {
			error_msg("%s", err.msg);
			rc = EXIT_DATA;
		} else if (text && narrative_check(text, &err) < 0) {
			error_msg("%s: %s", argv[2], err.msg);
			rc = EXIT_DATA;
		} else if (narrative_save(ctx->db, &ctx->ws, s, text, &changed, &err) < 0) {
			error_msg("%s", err.msg);
			rc = EXIT_FAIL;
		} else {
			saved(s, changed, &v[s]);
		}
		free(text);
	}
	narrative_release(v);
	return rc;
}
