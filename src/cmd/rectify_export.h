/*
 * rectify_export.h: the ledger as a spreadsheet, for the unit's files and
 * the level above.  Chinese headers; CSV is UTF-8 with a BOM so Excel reads
 * it, with formula-like cells neutralised; xlsx is a real workbook (header
 * row, column widths, deadlines as dates, overdue rows marked), written with
 * libxlsxwriter, where text cells are never formulas.
 */
#ifndef ZJ_RECTIFY_EXPORT_H
#define ZJ_RECTIFY_EXPORT_H

#include <sqlite3.h>

#include "core/assess.h"
#include "util/err.h"

int rectify_export(sqlite3 *db, const struct workspace *ws, int xlsx, const char *path,
		   long long *count, struct zj_error *err);

#endif
