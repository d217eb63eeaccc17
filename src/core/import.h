/*
 * import.h: an inventory file → the workspace (DESIGN.md "Inventory
 * contract").
 *
 * Rows flow source (core/rowsrc: CSV, .xlsx, .xls) → header (found among
 * the first 20 rows, matched by core/colmap) → values (parsed per column
 * type, whatever the format) → a sink: the store (an upsert per row, one
 * transaction for the whole file) and, with skip_invalid, a rejected-rows
 * CSV beside the input.  Atomic by default: any invalid row and the
 * transaction is rolled back, so the workspace is exactly as it was.
 * Re-importing an id updates that row, only in the columns the file has; an
 * id twice in one file is an error.  Memory does not grow with the file.
 *
 * With db NULL nothing is stored: the header is found and matched and the
 * first `preview` rows parsed, for a mapping screen to show (the TUI).
 */
#ifndef ZJ_IMPORT_H
#define ZJ_IMPORT_H

#include <sqlite3.h>

#include "core/colmap.h"
#include "core/csvread.h"
#include "core/inventory.h"
#include "core/rowsrc.h"
#include "util/err.h"

/* The header is the first of this many rows in which the required columns
 * are found. */
#define IMPORT_HEADER_SCAN 20

struct import_opts {
	const char *path;
	enum inv_kind kind;
	enum csvread_encoding encoding;	/* CSV */
	const char *sheet;	/* workbooks: --sheet NAME|N, or NULL */
	const char *map;	/* --map FILE, or NULL */
	const char *aliases;	/* NULL: colmap_default_aliases(); "": none */
	int replace;		/* delete the inventory first (same transaction) */
	int skip_invalid;	/* import the valid rows, write the others aside */
	int dry_run;		/* validate only; always rolls back */
	int preview;		/* keep this many rows in res->preview */
	/* Called once per invalid row or problem, "FILE:WHERE: column 'X': why". */
	void (*on_error)(void *ctx, const char *msg);
	/* Called now and then with raw bytes done / total (-1 if unknown). */
	void (*on_progress)(void *ctx, long long done, long long total, long long rows);
	void *ctx;
};

/* One column of the file, as its header was matched. */
struct import_column {
	char *header;		/* as written (control characters made spaces) */
	char *letter;		/* where it is: "3" (CSV) or "C" (workbooks) */
	int col;		/* the inventory column, or -1 */
	enum colmap_how how;
	char *via;		/* "FILE:LINE" of the alias or mapping, or NULL */
	int suggest;		/* unmatched: the closest column, or -1 */
	int blank;		/* no header text (kept as 列N if it has data) */
	int reason;		/* our own 错误原因 column of a rejected-rows file */
};

/* A row as it will be stored. */
struct import_preview {
	char *where;		/* "apps.csv:4", "apps.xlsx:摸排表!4:4" */
	/* Per inventory column (inv->ncols): the value as stored (NULL for
	 * NULL or a column the file lacks) and, where the file's text was
	 * different, that text (else NULL). */
	char **stored;
	char **source;
	size_t ncols;
	char *error;		/* the row's first problem, or NULL */
};

struct import_result {
	long long batch;
	long long rows;		/* data rows read */
	long long inserted, updated, rejected;
	const char *format;	/* "CSV", "xlsx", "xls" */
	const char *encoding;	/* CSV: "UTF-8" / "GB18030" */
	int bom;
	char *sheet;		/* workbooks: the sheet read */
	char **sheets;		/* and all of them, in order */
	size_t nsheets;
	long header_row;	/* the header's row (line for CSV) */
	long skipped_above;	/* rows above it (titles, groups), skipped */
	long subheader_row;	/* a second header row under it, or 0 */
	struct import_column *columns;	/* the header row's columns */
	size_t ncolumns;
	char **unknown;		/* unknown column headers, kept as extra data */
	size_t nunknown;
	struct import_preview *preview;
	size_t npreview;
	char *aliases;		/* the aliases file used, or NULL */
	char *rejected_path;	/* with skip_invalid and rejected > 0 */
	int system_error;	/* on -1: the workspace or the system failed,
				 * not the input data */
	int missing_columns;	/* on -1: required columns were not found;
				 * columns holds the best candidate row */
};

enum import_status {
	IMPORT_OK = 0,		/* committed (or, dry_run, would commit) */
	IMPORT_INVALID = 1,	/* invalid rows: nothing stored */
};

/* Returns IMPORT_OK, IMPORT_INVALID, or -1 with err filled for a problem
 * with the file as a whole (cannot read, no header, missing column, broken
 * quoting, …); the workspace is unchanged on anything but IMPORT_OK.  res
 * is filled as far as the import got: release it in every case. */
int import_run(sqlite3 *db, const struct import_opts *o, struct import_result *res,
	       struct zj_error *err);
void import_result_release(struct import_result *res);

/* Writes a map file (colmap's format) for inventory kind from columns:
 * each matched column whose header is not the contract's own, and the
 * given value mappings (values[i] "COLUMN VALUE = TEXT", may be NULL).
 * Created beside, then renamed over path. */
int import_save_map(const char *path, enum inv_kind kind, const struct import_column *columns,
		    size_t ncolumns, char **values, size_t nvalues, struct zj_error *err);

#endif
