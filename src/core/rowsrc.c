#define _GNU_SOURCE	/* memmem */
#include "core/rowsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"
#include "util/utf8.h"

#define SNIFF_BYTES 1024

static const unsigned char ole2_magic[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };

/* Skips a BOM and blanks; is what follows `word` (ASCII, any case)? */
static int starts_with_word(const unsigned char *b, size_t n, const char *word)
{
	size_t i = 0, w = strlen(word);

	if (n >= 3 && !memcmp(b, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	return n - i >= w && !strncasecmp((const char *)b + i, word, w);
}

static int contains(const unsigned char *b, size_t n, const char *word)
{
	return memmem(b, n, word, strlen(word)) != NULL;
}

int rowsrc_open(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		struct zj_error *err)
{
	unsigned char b[SNIFF_BYTES];
	struct stat st;
	ssize_t n = 0;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		do
			n = read(fd, b, sizeof(b));
		while (n < 0 && errno == EINTR);
	}
	close(fd);
	if (n < 0)
		return zj_err(err, _("cannot read '%s': %s"), path, strerror(errno));

	if (n >= 4 && (!memcmp(b, "PK\x03\x04", 4) || !memcmp(b, "PK\x05\x06", 4)))
		return rowsrc_open_xlsx(out, path, o, err);
	if (n >= 8 && !memcmp(b, ole2_magic, 8))
		return rowsrc_open_xls(out, path, o, err);
	if (n >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff)))
		return zj_err(err, _("%s: the file is UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or \"CSV\" instead"),
			      path);
	if (starts_with_word(b, (size_t)n, "<html") || starts_with_word(b, (size_t)n, "<!doctype html") ||
	    starts_with_word(b, (size_t)n, "<table"))
		return zj_err(err, _("%s: the file is a web page (HTML), not a workbook, whatever its name; open it in Excel or WPS and save it as .xlsx"),
			      path);
	if (starts_with_word(b, (size_t)n, "<?xml") &&
	    contains(b, (size_t)n, "urn:schemas-microsoft-com:office:spreadsheet"))
		return zj_err(err, _("%s: the file is an \"XML Spreadsheet 2003\"; open it in Excel or WPS and save it as .xlsx"),
			      path);
	return rowsrc_open_csv(out, path, o, err);
}

int rowsrc_next(struct rowsrc *s, struct rowsrc_row *row, struct zj_error *err)
{
	return s->ops->next(s, row, err);
}

long long rowsrc_bytes_done(const struct rowsrc *s)
{
	return s->ops->bytes_done(s);
}

void rowsrc_close(struct rowsrc *s)
{
	if (s)
		s->ops->close(s);
}

void rowsrc_column_name(int col, char out[8])
{
	char tmp[8];
	int n = 0, i = 0;

	if (col < 0)
		col = 0;
	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n > 0)
		out[i++] = tmp[--n];
	out[i] = '\0';
}

const char *rowsrc_where(const struct rowsrc *s, long row, int col, char *buf, size_t size)
{
	char letters[8];

	if (s->format == ROWSRC_CSV || !s->sheet) {
		snprintf(buf, size, "%s:%ld", s->path, row);
	} else if (col >= 0) {
		rowsrc_column_name(col, letters);
		snprintf(buf, size, "%s:%s!%s%ld", s->path, s->sheet, letters, row);
	} else {
		snprintf(buf, size, "%s:%s!%ld:%ld", s->path, s->sheet, row, row);
	}
	return buf;
}

const char *rowsrc_format_name(enum rowsrc_format f)
{
	switch (f) {
	case ROWSRC_XLSX:
		return "xlsx";
	case ROWSRC_XLS:
		return "xls";
	case ROWSRC_CSV:
	default:
		return "CSV";
	}
}

char *rowsrc_clean_name(const char *s, size_t len)
{
	char *out = malloc(len * 3 + 1);
	size_t i = 0, o = 0;

	if (!out)
		return NULL;
	while (i < len) {
		unsigned cp;
		int k = utf8_decode(s + i, len - i, &cp);

		if (k < 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			out[o++] = ' ';
		} else {
			memcpy(out + o, s + i, (size_t)k);
			o += (size_t)k;
		}
		i += (size_t)k;
	}
	out[o] = '\0';
	return out;
}

int rowsrc_pick_sheet(const char *path, char **names, const int *hidden, size_t n,
		      const char *want, struct zj_error *err)
{
	char *end;
	long k;

	if (!n)
		return zj_err(err, _("%s: the workbook has no worksheet"), path);
	if (!want) {
		for (size_t i = 0; i < n; i++)
			if (!hidden[i])
				return (int)i;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], want))
			return (int)i;
	errno = 0;
	k = strtol(want, &end, 10);
	if (!errno && end != want && !*end && k >= 1 && (size_t)k <= n)
		return (int)(k - 1);
	{
		char list[512];
		size_t off = 0;

		list[0] = '\0';
		for (size_t i = 0; i < n && off < sizeof(list) - 1; i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s'%s'", i ? ", " : "", names[i]);
		return zj_err(err, _("%s: no sheet '%s' (the workbook has %s; give a name or a number from 1 to %zu)"),
			      path, want, list, n);
	}
}
