/*
 * import.h: CSV inventory → workspace (DESIGN.md "Inventory CSV contract").
 *
 * Rows flow reader (csvread) → validator (parse, per column type) → a sink:
 * the store (an upsert per row, one transaction for the whole file) and,
 * with skip_invalid, a rejected-rows file beside the input.  Atomic by
 * default: any invalid row and the transaction is rolled back, so the
 * workspace is exactly as it was.  Re-importing an id updates that row,
 * only in the columns the file has; an id twice in one file is an error.
 * Memory does not grow with the file.
 */
#ifndef ZJ_IMPORT_H
#define ZJ_IMPORT_H

#include <sqlite3.h>

#include "core/csvread.h"
#include "core/inventory.h"
#include "util/err.h"

struct import_opts {
	const char *path;
	enum inv_kind kind;
	enum csvread_encoding encoding;
	int replace;		/* delete the inventory first (same transaction) */
	int skip_invalid;	/* import the valid rows, write the others aside */
	int dry_run;		/* validate only; always rolls back */
	/* Called once per invalid row or problem, "FILE:LINE: column 'X': why". */
	void (*on_error)(void *ctx, const char *msg);
	/* Called now and then with raw bytes done / total (-1 if unknown). */
	void (*on_progress)(void *ctx, long long done, long long total, long long rows);
	void *ctx;
};

struct import_result {
	long long batch;
	long long rows;		/* data rows read */
	long long inserted, updated, rejected;
	const char *encoding;	/* "UTF-8" / "GB18030" */
	int bom;
	char **unknown;		/* unknown column headers, kept as extra data */
	size_t nunknown;
	char *rejected_path;	/* with skip_invalid and rejected > 0 */
	int system_error;	/* on -1: the workspace or the system failed,
				 * not the input data */
};

enum import_status {
	IMPORT_OK = 0,		/* committed (or, dry_run, would commit) */
	IMPORT_INVALID = 1,	/* invalid rows: nothing stored */
};

/* Returns IMPORT_OK, IMPORT_INVALID, or -1 with err filled for a problem
 * with the file as a whole (cannot read, no header, missing column, broken
 * quoting, …); the workspace is unchanged on anything but IMPORT_OK. */
int import_run(sqlite3 *db, const struct import_opts *o, struct import_result *res,
	       struct zj_error *err);
void import_result_release(struct import_result *res);

#endif
