/*
 * rowsrc.h: where an inventory's rows come from.
 *
 * CSV, .xlsx and .xls are row sources behind this one small interface, as
 * ncdu's dir_output separates its stages: a source opens a file, hands out
 * its rows one at a time as cells (each at a row and column it can name),
 * and closes.  Finding the header, matching it, parsing values and storing
 * rows happen once, after the source (core/import.c), so a fourth format is
 * one new source file and a line in rowsrc_open.
 *
 *	struct rowsrc *src;
 *	struct rowsrc_row row;
 *
 *	if (rowsrc_open(&src, path, &opts, &err) < 0)
 *		return -1;
 *	while ((rc = rowsrc_next(src, &row, &err)) > 0)
 *		... row.cells[i] is column i of row row.row ...
 *	rowsrc_close(src);
 *
 * The format is told by the file's content, not its name.  Memory does not
 * grow with the file: every source streams (.xls excepted, which FreeXL
 * reads whole, and which the format bounds at 65,536 rows).  Everything a
 * source returns is owned by it and valid until the next rowsrc_next or
 * rowsrc_close.
 */
#ifndef ZJ_ROWSRC_H
#define ZJ_ROWSRC_H

#include <stddef.h>

#include "core/csvread.h"
#include "util/err.h"

enum cell_kind {
	CELL_EMPTY,
	CELL_TEXT,
	CELL_NUMBER,	/* text is the number as "%.15g" writes it */
	CELL_DATE,	/* a workbook cell formatted as a date: text is
			 * "YYYY-MM-DD" (a time of day dropped), num the
			 * serial in the 1900 date system */
	CELL_BOOL,	/* text "TRUE" / "FALSE", num 1 / 0 */
};

enum cell_problem {
	CELL_OK,
	CELL_BAD_UTF8,	/* CSV in UTF-8 with invalid bytes */
	CELL_NUL,	/* a NUL byte */
	CELL_TOO_LONG,	/* over ROWSRC_MAX_CELL bytes; text is empty */
	CELL_FORMULA_ERROR,	/* a formula's error value: text is "#N/A", … */
	CELL_BAD_DATE,	/* a date cell outside any calendar */
};

#define ROWSRC_MAX_CELL CSVREAD_MAX_FIELD

/* Columns a row may have; a cell further right is an error of the file. */
#define ROWSRC_MAX_COLUMNS 4096

struct rowsrc_cell {
	enum cell_kind kind;
	enum cell_problem problem;
	const char *text;	/* NUL-terminated UTF-8, "" when empty */
	size_t len;
	double num;		/* CELL_NUMBER, CELL_DATE, CELL_BOOL */
};

struct rowsrc_row {
	long row;		/* CSV: the physical line it starts on;
				 * workbooks: the row number, 1-based */
	size_t ncells;		/* cells[i] is column i; empty trailing
				 * cells may be left out */
	struct rowsrc_cell *cells;
	int partial;		/* the last cell is TOO_LONG and the cells
				 * after it were skipped unread */
};

enum rowsrc_format { ROWSRC_CSV, ROWSRC_XLSX, ROWSRC_XLS };

struct rowsrc_opts {
	enum csvread_encoding encoding;	/* CSV */
	const char *sheet;	/* workbooks: a name, or 1-based number; NULL
				 * for the first visible sheet */
};

struct rowsrc;

struct rowsrc_ops {
	int (*next)(struct rowsrc *s, struct rowsrc_row *row, struct zj_error *err);
	void (*close)(struct rowsrc *s);
	long long (*bytes_done)(const struct rowsrc *s);
};

/* What every source fills in; the rest of a source's state follows it. */
struct rowsrc {
	const struct rowsrc_ops *ops;
	enum rowsrc_format format;
	char *path;
	/* Workbooks: the sheet being read and every sheet's name in order
	 * (control characters replaced); NULL and 0 for CSV. */
	char *sheet;
	char **sheets;
	size_t nsheets;
	/* CSV: the encoding ("UTF-8", "GB18030") and a byte order mark. */
	const char *encoding;
	int bom;
	long long bytes_total;	/* the file's size, -1 if unknown */
	/* CSV: every record has as many fields as the header, and a row's
	 * errors name its line; workbooks name the cell. */
	int csv;
};

/*
 * Opens path, telling the format by content: a zip holding
 * xl/workbook.xml is .xlsx, an OLE2 compound file .xls (refused with a
 * clear message if it is an encrypted workbook), anything else CSV (UTF-16
 * text, an HTML page or an XML spreadsheet saved under a workbook's name are
 * refused, saying what they are).  --sheet NAME|N picks the sheet.  Errors
 * name the file and why.
 */
int rowsrc_open(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		struct zj_error *err);

/* The next row that holds any cell: 1, 0 at the end, -1 on an error that
 * ends the file ("FILE:WHERE: why"). */
int rowsrc_next(struct rowsrc *s, struct rowsrc_row *row, struct zj_error *err);

/* Bytes of the file consumed so far, for a progress line. */
long long rowsrc_bytes_done(const struct rowsrc *s);

void rowsrc_close(struct rowsrc *s);

/*
 * Where a cell or row is, for messages: "apps.csv:14" (CSV: the line; the
 * column is named by its header in the message), "apps.xlsx:摸排表!M14"
 * (col >= 0) or "apps.xlsx:摸排表!14:14" (the whole row, col < 0).
 */
const char *rowsrc_where(const struct rowsrc *s, long row, int col, char *buf, size_t size);

/* Column letters: 0 → "A", 27 → "AB". */
void rowsrc_column_name(int col, char out[8]);

/* "CSV", "xlsx", "xls". */
const char *rowsrc_format_name(enum rowsrc_format f);

/* The sources, for rowsrc_open; each sets up s->ops and the common part. */
int rowsrc_open_csv(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		    struct zj_error *err);
int rowsrc_open_xlsx(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		     struct zj_error *err);
/* 1 (the default): .xlsx sheets are read by the fast path through
 * <sheetData> (src_xlsx.c), 0: by expat alone.  For the tests that compare
 * the two. */
extern int rowsrc_xlsx_fast;
/* The bytes of a workbook's shared strings held in memory before the rest
 * go to a temporary file (src_xlsx.c; default 8 MiB).  For the tests that
 * read a table both ways. */
extern size_t rowsrc_xlsx_sst_mem;
int rowsrc_open_xls(struct rowsrc **out, const char *path, const struct rowsrc_opts *o,
		    struct zj_error *err);

/* Shared by the workbook sources: picks the sheet o->sheet names among
 * names[0..n) (hidden[i] set for hidden ones); -1 with err if none. */
int rowsrc_pick_sheet(const char *path, char **names, const int *hidden, size_t n,
		      const char *want, struct zj_error *err);

/* Shared: a copy of s[0..len) with control characters (C0, DEL, C1) made
 * spaces and invalid UTF-8 replaced, for names shown in messages. */
char *rowsrc_clean_name(const char *s, size_t len);

#endif
