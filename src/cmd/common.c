#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store.h"
#include "util/i18n.h"
#include "util/utf8.h"

int cmd_need_workspace(struct cmd_ctx *ctx, int optional)
{
	struct zj_error err;

	if (ctx->db)
		return 0;
	if (optional && access(ctx->db_path, F_OK) != 0)
		return 0;
	if (store_open(&ctx->db, ctx->db_path, &err) < 0 ||
	    workspace_load(ctx->db, &ctx->ws, &err) < 0) {
		error_msg("%s", err.msg);
		store_close(ctx->db);
		ctx->db = NULL;
		return -1;
	}
	return 0;
}

void error_msg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("zhijian: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs("zhijian: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "%s%s\n", _("usage: "), _(usage));
	return EXIT_USAGE;
}

int format_table_csv(const char *arg, const char *usage, int *csv)
{
	if (!strcmp(arg, "csv") || !strcmp(arg, "table")) {
		*csv = !strcmp(arg, "csv");
		return 0;
	}
	return usage_error(usage, _("'%s' is not a format (table, csv)"), arg);
}

void put_cell(FILE *f, const char *raw, int width, int right)
{
	char *clean = strdup(raw ? raw : "");
	const char *s = clean ? clean : "";
	size_t w, n;
	int pad;

	/* Cut and padded by what the terminal will show. */
	utf8_sanitize(clean);
	w = utf8_width(s);

	if (w <= (size_t)width) {
		pad = width - (int)w;
		if (right)
			fprintf(f, "%*s%s", pad, "", s);
		else
			fprintf(f, "%s%*s", s, pad, "");
		free(clean);
		return;
	}
	n = utf8_prefix_by_width(s, (size_t)(width > 0 ? width - 1 : 0));
	{
		char *head = strndup(s, n);

		fwrite(s, 1, n, f);
		fputs("…", f);
		/* A wide character that did not fit leaves one column. */
		pad = width - 1 - (head ? (int)utf8_width(head) : 0);
		free(head);
	}
	fprintf(f, "%*s", pad > 0 ? pad : 0, "");
	free(clean);
}
