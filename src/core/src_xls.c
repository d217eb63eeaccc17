/*
 * src_xls.c: the legacy .xls (BIFF in an OLE2 compound file) row source, on
 * FreeXL.
 *
 * FreeXL reads a sheet whole, so the file and the sheet are bounded before
 * it does: at most XLS_FILE_MAX bytes, a sheet of at most XLS_CELLS_MAX
 * cells by its own dimensions (the format itself stops at 65,536 rows).
 * FreeXL hands date cells over as "YYYY-MM-DD" text, in the workbook's date
 * system.  A password-protected workbook, and an .xlsx encrypted with a
 * password (which is an OLE2 file too), are refused saying so.
 */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rowsrc.h"
#include "util/i18n.h"
#include "util/utf8.h"

#define XLS_FILE_MAX (256LL << 20)
#define XLS_CELLS_MAX (4u << 20)

struct xls_src {
	struct rowsrc base;
	const void *h;
	unsigned int rows, next;
	unsigned short cols;
	struct rowsrc_cell *cells;
	char num[256][40];	/* number texts, one per column shown */
	char **owned;		/* the texts given out for the current row */
	size_t nowned;
};

/* Does the OLE2 file hold an EncryptedPackage stream (an .xlsx that Excel
 * or WPS encrypted with a password)?  Its name is in the directory, UTF-16. */
static int encrypted_package(const char *path)
{
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	char *buf = malloc(1 << 20);
	long long total = 0;
	size_t keep = 0;
	int fd, found = 0;

	if (!buf)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && !found && total < XLS_FILE_MAX) {
		ssize_t n = read(fd, buf + keep, (1 << 20) - keep);
		size_t len;

		if (n <= 0)
			break;
		total += n;
		len = keep + (size_t)n;
		found = memmem(buf, len, name, sizeof(name) - 1) != NULL;
		keep = len < sizeof(name) - 2 ? len : sizeof(name) - 2;
		memmove(buf, buf + len - keep, keep);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return found;
}

static const char *freexl_reason(int rc)
{
	switch (rc) {
	case FREEXL_INSUFFICIENT_MEMORY:
		return _("out of memory");
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return _("it holds no Excel workbook (a Word or other Office file?)");
	case FREEXL_INVALID_CHARACTER:
	case FREEXL_UNSUPPORTED_CHARSET:
		return _("its text is in a character set that cannot be read");
	case FREEXL_CRAFTED_FILE:
		return _("it is severely corrupted or crafted");
	default:
		return _("it is damaged or not an .xls workbook");
	}
}

static void drop_owned(struct xls_src *x)
{
	for (size_t i = 0; i < x->nowned; i++)
		free(x->owned[i]);
	x->nowned = 0;
}

static int xls_next(struct rowsrc *s, struct rowsrc_row *row, struct zj_error *err)
{
	struct xls_src *x = (struct xls_src *)s;

	drop_owned(x);
	while (x->next < x->rows) {
		unsigned int r = x->next++;
		size_t last = 0;

		for (unsigned short c = 0; c < x->cols; c++) {
			struct rowsrc_cell *cell = &x->cells[c];
			FreeXL_CellValue v;
			const char *t = NULL;
			int rc = freexl_get_cell_value(x->h, r, c, &v);

			*cell = (struct rowsrc_cell){ .kind = CELL_EMPTY, .text = "" };
			if (rc != FREEXL_OK) {
				char where[300];

				return zj_err(err, _("%s: cannot read the cell: %s"),
					      rowsrc_where(s, (long)r + 1, c, where, sizeof(where)), freexl_reason(rc));
			}
			switch (v.type) {
			case FREEXL_CELL_INT:
				cell->num = v.value.int_value;
				snprintf(x->num[c % 256], sizeof(x->num[0]), "%d", v.value.int_value);
				cell->text = x->num[c % 256];
				cell->kind = CELL_NUMBER;
				break;
			case FREEXL_CELL_DOUBLE:
				cell->num = v.value.double_value;
				snprintf(x->num[c % 256], sizeof(x->num[0]), "%.15g", v.value.double_value);
				cell->text = x->num[c % 256];
				cell->kind = CELL_NUMBER;
				break;
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
			case FREEXL_CELL_TIME:
				t = v.value.text_value;
				cell->kind = CELL_TEXT;
				break;
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
				t = v.value.text_value;
				cell->kind = CELL_DATE;
				break;
			case FREEXL_CELL_NULL:
			default:
				break;
			}
			if (t) {
				size_t len = strlen(t);
				char *copy, **o;

				if (cell->kind == CELL_DATE && len > 10)
					len = 10;
				if (len > ROWSRC_MAX_CELL) {
					cell->problem = CELL_TOO_LONG;
					len = 0;
				} else if (!utf8_valid(t, len, NULL)) {
					cell->problem = CELL_BAD_UTF8;
				}
				o = realloc(x->owned, (x->nowned + 1) * sizeof(*o));
				if (!o || !(copy = strndup(t, len))) {
					if (o)
						x->owned = o;
					return zj_err(err, "%s", _("out of memory"));
				}
				x->owned = o;
				o[x->nowned++] = copy;
				cell->text = copy;
			}
			cell->len = strlen(cell->text);
			if (!cell->len && cell->problem == CELL_OK)
				cell->kind = CELL_EMPTY;
			if (cell->kind != CELL_EMPTY || cell->problem != CELL_OK)
				last = (size_t)c + 1;
		}
		if (!last)
			continue;
		row->row = (long)r + 1;
		row->ncells = last;
		row->cells = x->cells;
		row->partial = 0;
		return 1;
	}
	return 0;
}

static long long xls_bytes_done(const struct rowsrc *s)
{
	const struct xls_src *x = (const struct xls_src *)s;

	return x->rows ? (long long)((double)x->next / x->rows * (double)s->bytes_total) : 0;
}

static void xls_close(struct rowsrc *s)
{
	struct xls_src *x = (struct xls_src *)s;

	if (x->h)
		freexl_close(x->h);
	drop_owned(x);
	free(x->owned);
	free(x->cells);
	for (size_t i = 0; i < x->base.nsheets; i++)
		free(x->base.sheets[i]);
	free(x->base.sheets);
	free(x->base.sheet);
	free(x->base.path);
	free(x);
}

static const struct rowsrc_ops xls_ops = {
	.next = xls_next,
	.close = xls_close,
	.bytes_done = xls_bytes_done,
};

int rowsrc_open_xls(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		    struct zj_error *err)
{
	struct xls_src *x = calloc(1, sizeof(*x));
	const void *info = NULL;
	unsigned int n = 0, pw = 0;
	int *hidden = NULL, rc, pick;
	struct stat st;

	*out = NULL;
	if (!x || !(x->base.path = strdup(path))) {
		free(x);
		return zj_err(err, "%s", _("out of memory"));
	}
	x->base.ops = &xls_ops;
	x->base.format = ROWSRC_XLS;
	if (stat(path, &st) < 0) {
		zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
		goto fail;
	}
	x->base.bytes_total = st.st_size;
	if (st.st_size > XLS_FILE_MAX) {
		zj_err(err, _("%s: an .xls file of %lld MiB; at most %lld MiB are read (save it as .xlsx)"),
		       path, (long long)(st.st_size >> 20), XLS_FILE_MAX >> 20);
		goto fail;
	}
	if (encrypted_package(path)) {
		zj_err(err, _("%s: the workbook is encrypted (protected by a password); save it without a password and import it again"),
		       path);
		goto fail;
	}
	/* The abbreviated pass first: the password flag and the sheets,
	 * before FreeXL allocates a sheet's cells. */
	rc = freexl_open_info(path, &info);
	if (rc != FREEXL_OK) {
		zj_err(err, _("%s: cannot read the .xls workbook: %s"), path, freexl_reason(rc));
		goto fail;
	}
	if (freexl_get_info(info, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK && pw == FREEXL_BIFF_OBFUSCATED) {
		zj_err(err, _("%s: the workbook is encrypted (protected by a password); save it without a password and import it again"),
		       path);
		goto fail;
	}
	if (freexl_get_info(info, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK || n == 0) {
		zj_err(err, _("%s: the workbook has no worksheet"), path);
		goto fail;
	}
	if (!(x->base.sheets = calloc(n, sizeof(char *))) || !(hidden = calloc(n, sizeof(int)))) {
		zj_err(err, "%s", _("out of memory"));
		goto fail;
	}
	for (unsigned int i = 0; i < n; i++) {
		const char *name = NULL;

		freexl_get_worksheet_name(info, (unsigned short)i, &name);
		if (!(x->base.sheets[i] = rowsrc_clean_name(name ? name : "", name ? strlen(name) : 0))) {
			zj_err(err, "%s", _("out of memory"));
			goto fail;
		}
		x->base.nsheets++;
	}
	if ((pick = rowsrc_pick_sheet(path, x->base.sheets, hidden, n, o ? o->sheet : NULL, err)) < 0)
		goto fail;
	/* Every sheet's claimed size, before FreeXL reads them all. */
	for (unsigned int i = 0; i < n; i++) {
		unsigned int rows = 0;
		unsigned short cols = 0;

		if (freexl_select_active_worksheet(info, (unsigned short)i) == FREEXL_OK &&
		    freexl_worksheet_dimensions(info, &rows, &cols) == FREEXL_OK &&
		    (unsigned long long)rows * cols > XLS_CELLS_MAX) {
			zj_err(err, _("%s: sheet '%s' claims %u rows of %u columns; at most %u cells are read"),
			       path, x->base.sheets[i], rows, (unsigned)cols, XLS_CELLS_MAX);
			goto fail;
		}
	}
	freexl_close(info);
	info = NULL;
	if (!(x->base.sheet = strdup(x->base.sheets[pick]))) {
		zj_err(err, "%s", _("out of memory"));
		goto fail;
	}
	rc = freexl_open(path, &x->h);
	if (rc != FREEXL_OK) {
		zj_err(err, _("%s: cannot read the .xls workbook: %s"), path, freexl_reason(rc));
		goto fail;
	}
	if (freexl_select_active_worksheet(x->h, (unsigned short)pick) != FREEXL_OK ||
	    freexl_worksheet_dimensions(x->h, &x->rows, &x->cols) != FREEXL_OK) {
		zj_err(err, _("%s: cannot read sheet '%s'"), path, x->base.sheet);
		goto fail;
	}
	if ((unsigned long long)x->rows * x->cols > XLS_CELLS_MAX) {
		zj_err(err, _("%s: sheet '%s' claims %u rows of %u columns; at most %u cells are read"),
		       path, x->base.sheet, x->rows, (unsigned)x->cols, XLS_CELLS_MAX);
		goto fail;
	}
	if (x->cols > 256)
		x->cols = 256;	/* BIFF8 has 256 columns */
	if (!(x->cells = calloc(x->cols ? x->cols : 1, sizeof(*x->cells)))) {
		zj_err(err, "%s", _("out of memory"));
		goto fail;
	}
	free(hidden);
	*out = &x->base;
	return 0;
fail:
	if (info)
		freexl_close(info);
	free(hidden);
	xls_close(&x->base);
	return -1;
}
