/*
 * report.h: the self-assessment report (自查自评报告) as a PDF.
 *
 * report_write lays out the whole report from the workspace on libharu, as
 * an official document (公文: body, annexes, a closing data page; see
 * report/sections.h), and
 * embeds the submission (core/submission.h) it builds on the way, so the
 * numbers on the pages and the data inside are the same by construction:
 * the summary, the article scores, the inventory statistics and the ledger
 * are read back from the submission file, not recomputed.
 *
 * The report is Chinese by design and does not go through gettext; error
 * messages do.  Nothing is written at the output path unless the whole
 * report was made: it is built under a temporary name beside it and
 * renamed.  Refusing a final report with unanswered items is the caller's
 * decision (report_unanswered lists them).
 */
#ifndef ZJ_REPORT_H
#define ZJ_REPORT_H

#include <stddef.h>
#include <time.h>
#include <sqlite3.h>

#include "core/assess.h"
#include "util/err.h"

/* Who signed, for the closing page (filled in by report --sign). */
struct report_signer {
	const char *name;		/* the person: the certificate's CN, or --name */
	const char *unit;		/* the signer's unit, as in the certificate */
	const char *time;		/* when signed, shown as given */
	const char *fingerprint;	/* the certificate's SHA-256, hex */
};

/* Findings listed per article in annex 2 before it points to the
 * embedded data for the rest. */
#define REPORT_APPENDIX_ROWS 100
/* Ledger rows listed before the rest is left to the embedded data. */
#define REPORT_LEDGER_ROWS 300

struct report_options {
	const char *path;		/* the PDF to write */
	int draft;			/* 草稿 watermark on every page */
	const struct report_signer *signer;	/* NULL: unsigned, blank lines to sign by hand */
	time_t generated;		/* the generation time (0: now) */
	const char *fonts[3];		/* 宋, 黑, 楷 (NULL: the Debian packages' files) */
	size_t appendix_rows;		/* 0: REPORT_APPENDIX_ROWS */
	size_t ledger_rows;		/* 0: REPORT_LEDGER_ROWS */
	const char *tmpdir;		/* for the submission file (NULL: $TMPDIR or /tmp) */
};

/* What the report says about itself, for the caller to print. */
struct report_result {
	size_t pages;
	long long bytes;		/* size of the PDF */
	long long submission_bytes;	/* size of the embedded SQLite file */
};

/* Writes the report of the workspace open on db (ws loaded from it).
 * result may be NULL. */
int report_write(sqlite3 *db, const struct workspace *ws, const struct report_options *o,
		 struct report_result *result, struct zj_error *err);

#endif
