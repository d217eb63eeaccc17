/*
 * src_csv.c: the CSV row source, over csvread (UTF-8 or GB18030, RFC 4180).
 *
 * Every cell is text.  One thing is undone here: a leading apostrophe that a
 * writer put before = + - @ TAB or CR so that a spreadsheet shows the cell as
 * text instead of running it as a formula (zhijian's NAME.rejected.csv and
 * CSV exports do, as Excel's own "'" prefix does); no inventory value starts
 * with an apostrophe followed by one of those, so the apostrophe is dropped
 * and a corrected rejected-rows file imports as the original would have.
 */
#include <stdlib.h>
#include <string.h>

#include "core/rowsrc.h"
#include "util/i18n.h"

struct csv_src {
	struct rowsrc base;	/* first: the interface */
	struct csvread *r;
	struct rowsrc_cell *cells;
	size_t cap;
};

static int csv_next(struct rowsrc *s, struct rowsrc_row *row, struct zj_error *err)
{
	struct csv_src *c = (struct csv_src *)s;
	struct csvread_record rec;
	int rc = csvread_next(c->r, &rec, err);

	if (rc <= 0)
		return rc;
	if (rec.nfields > c->cap) {
		struct rowsrc_cell *p = realloc(c->cells, rec.nfields * sizeof(*p));

		if (!p)
			return zj_err(err, "%s", _("out of memory"));
		c->cells = p;
		c->cap = rec.nfields;
	}
	for (size_t i = 0; i < rec.nfields; i++) {
		struct rowsrc_cell *cell = &c->cells[i];
		const char *t = rec.fields[i];
		size_t len = rec.lens[i];

		if (len >= 2 && t[0] == '\'' && strchr("=+-@\t\r", t[1])) {
			t++;
			len--;
		}
		cell->text = t;
		cell->len = len;
		cell->num = 0;
		cell->kind = len ? CELL_TEXT : CELL_EMPTY;
		switch (rec.errs[i]) {
		case CSVREAD_FIELD_BAD_UTF8: cell->problem = CELL_BAD_UTF8; break;
		case CSVREAD_FIELD_NUL: cell->problem = CELL_NUL; break;
		case CSVREAD_FIELD_TOO_LONG: cell->problem = CELL_TOO_LONG; break;
		case CSVREAD_FIELD_OK:
		default: cell->problem = CELL_OK; break;
		}
	}
	row->row = rec.line;
	row->ncells = rec.nfields;
	row->cells = c->cells;
	row->partial = rec.partial;
	return 1;
}

static long long csv_bytes_done(const struct rowsrc *s)
{
	return csvread_bytes_done(((const struct csv_src *)s)->r);
}

static void csv_close(struct rowsrc *s)
{
	struct csv_src *c = (struct csv_src *)s;

	csvread_close(c->r);
	free(c->cells);
	free(c->base.path);
	free(c);
}

static const struct rowsrc_ops csv_ops = {
	.next = csv_next,
	.close = csv_close,
	.bytes_done = csv_bytes_done,
};

int rowsrc_open_csv(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		    struct zj_error *err)
{
	struct csv_src *c = calloc(1, sizeof(*c));

	if (!c || !(c->base.path = strdup(path))) {
		free(c);
		return zj_err(err, "%s", _("out of memory"));
	}
	c->base.ops = &csv_ops;
	c->base.format = ROWSRC_CSV;
	c->base.csv = 1;
	if (csvread_open(&c->r, path, o ? o->encoding : CSVREAD_AUTO, err) < 0) {
		free(c->base.path);
		free(c);
		return -1;
	}
	c->base.encoding = csvread_encoding_name(csvread_encoding(c->r));
	c->base.bom = csvread_had_bom(c->r);
	c->base.bytes_total = csvread_bytes_total(c->r);
	*out = &c->base;
	return 0;
}
