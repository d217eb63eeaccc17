/*
 * rollup.h: a higher level receives its units' signed reports and merges
 * them (articles 15-16: unit → city → province → central office).
 *
 * Nothing received is trusted: the command layer verifies the signature
 * (sign/verify.h) and extracts the embedded submission (sign/pdf.h); this
 * module, which knows nothing of PDF or cryptography, decides with what it
 * is given.  A file is accepted only if its signature verified, it carries
 * a final (not draft) submission of a lower level, for this workspace's
 * period and checklist, from a unit this level expects (when a list of
 * expected units was imported), and no accepted file of that unit and
 * period exists — unless replace, which keeps the older one on record as
 * superseded.  Every file received is recorded, rejected ones with their
 * reason, in the caller's transaction.
 */
#ifndef ZJ_ROLLUP_H
#define ZJ_ROLLUP_H

#include <stddef.h>
#include <sqlite3.h>

#include "core/assess.h"
#include "core/submission.h"
#include "util/err.h"

/* A CA certificate of the signer's verified chain, from the one that
 * issued the signer's certificate up to the trust anchor. */
struct rollup_ca {
	const char *unit;		/* its O, whole; NULL if none */
	const char *code;		/* its serialNumber; NULL if none */
	const char *subject;		/* one line, for messages */
	const char *fingerprint;	/* SHA-256 of the DER, "AB:CD:…" */
};

struct rollup_file {
	const char *path;
	char sha256[65];
	long long size;
	const char *received_at;	/* the time of receipt ("2026-06-30T08:00:00Z"): the verdict's time */
	int signature_ok;		/* the verifier accepted the signature */
	const char *signature_status;	/* its word: "ok", "modified", "untrusted", … */
	const char *signature_reason;	/* why not, in its words */
	const char *signer, *fingerprint, *signed_at;
	const char *signer_unit, *signer_code;	/* the certificate's O and serialNumber, whole */
	const char *signer_not_after;
	const struct rollup_ca *chain;	/* chain[0] issued the signer's certificate */
	size_t nchain;
	const char *override_reason;	/* the certificate had expired by the time of
					 * receipt and the receiver accepted it, saying why */
	const unsigned char *data;	/* the embedded submission, or NULL */
	size_t len;
	const struct submission *sub;	/* data as core/submission read it, if the
					 * caller has (else it is read here) */
};

struct rollup_outcome {
	long long id;			/* the submissions row (the earlier one when already) */
	int accepted;
	int already;			/* this very file was accepted before (#id): nothing
					 * recorded, not a refusal */
	char unit[256], period[128];	/* as received, stripped of control characters */
	char reason[ZJ_ERROR_MAX];	/* rejected: why */
	long long superseded;		/* the id it replaced, or 0 */
	double total;
};

/*
 * Decides and records one file.  The embedded data is read and checked
 * first, in memory, with no transaction open on db; then one short write
 * transaction records the decision (so a hostile file can never hold the
 * workspace's lock, and a failed one leaves nothing half-stored).  Returns
 * 0 with out filled (accepted or rejected), or -1 with err filled when the
 * workspace itself failed.
 *
 * Besides the signature (judged by the caller), a file is refused when its
 * data cannot be read or holds values the format does not allow, when it
 * comes from this level itself (its own unit or code), from a level not
 * below this one, is a draft or its scores are not what its answers give,
 * is for another period or checklist, from a unit not expected here, from
 * a unit whose certificate was issued outside this level's part of the
 * administrative tree (see rollup_scope), or repeats a unit and period
 * already accepted — unless replace, and then only by a later report.
 */
int rollup_receive(sqlite3 *db, const struct workspace *ws, const struct rollup_file *f,
		   int replace, struct rollup_outcome *out, struct zj_error *err);

/*
 * Whether the signer of a report for unit (and code) was certified within
 * this level's part of the administrative tree: when the expected list binds
 * the unit to an issuer (the CA's O or its certificate's fingerprint), the
 * CA that issued the signer's certificate must be that one; otherwise some
 * CA of the chain must be this level's own (its O is this level's unit and,
 * when this level has a code, its serialNumber that code), so a sibling
 * province's CA under the same central root cannot certify this province's
 * units.  Returns 1 in scope, 0 out of scope with why in reason, -1 on a
 * workspace error.
 */
int rollup_scope(sqlite3 *db, const struct workspace *ws, const char *unit, const char *code,
		 const struct rollup_ca *chain, size_t nchain, char *reason, size_t size,
		 struct zj_error *err);

/* Imports the units expected to report (CSV with 单位名称/unit and
 * optionally 单位代码/code, 层级/level, 签发机构/issuer: the CA's O or
 * its certificate's SHA-256 fingerprint), replacing the list, in its own
 * transaction.  Returns the number of units, or -1. */
long long rollup_expect(sqlite3 *db, const char *csv_path, struct zj_error *err);

/* ---- what was received, as `zhijian submissions` and the TUI list it ---- */

enum sub_state { SUB_ACCEPTED, SUB_SUPERSEDED, SUB_REJECTED, SUB_MISSING, SUB_COUNT };

/* "accepted", "superseded", "rejected", "missing": the words of the table
 * and of `zhijian submissions --format csv`. */
const char *sub_state_key(enum sub_state s);

struct rollup_entry {
	long long id;			/* 0: an expected unit with nothing accepted (missing) */
	enum sub_state status;
	char *unit, *period, *grade, *signer_fingerprint, *file, *file_sha256, *received_at, *reason;
					/* "" when the file did not say */
	char *signer, *signed_at, *level, *as_of;	/* the same */
	double total;			/* < 0: none */
	long long violated, overdue;	/* < 0: none */
	long long rectifications;	/* < 0: none */
};

struct rollup_list {
	struct rollup_entry *v;		/* the files received by id, then the units missing */
	size_t n;
	long long count[SUB_COUNT];
};

/* An entry's numbers as `zhijian submissions` and the TUI show them: ""
 * where there is none, the total to one decimal. */
struct rollup_entry_text {
	char id[24], total[24], violated[24], overdue[24];
};
void rollup_entry_text(const struct rollup_entry *e, struct rollup_entry_text *t);

/* Every file received, then the expected units with no accepted file for
 * period.  The caller owns l and releases it with rollup_list_release. */
int rollup_list_load(sqlite3 *db, const char *period, struct rollup_list *l, struct zj_error *err);
void rollup_list_release(struct rollup_list *l);

#define ROLLUP_LOW_MAX 8

/* The embedded data an accepted file of id brought (checked when it was
 * received), malloc'd into *data, for looking inside read-only (its
 * findings through submission_findings_mem).  Returns 1, 0 when that file
 * kept no data (rejected, or no such id), -1 on a read error. */
int rollup_received_data(sqlite3 *db, long long id, unsigned char **data, size_t *len, struct zj_error *err);

/* The counts of rollup_list_load, and the accepted units with the lowest
 * totals (lowest first, at most nlow, up to ROLLUP_LOW_MAX). */
struct rollup_summary {
	long long count[SUB_COUNT];
	struct { char unit[128]; double total; } low[ROLLUP_LOW_MAX];
	size_t nlow;
};
int rollup_summary(sqlite3 *db, const char *period, size_t nlow, struct rollup_summary *s, struct zj_error *err);

/*
 * Why a file was refused, in the reader's language.  A refusal is stored as
 * a reason code and its locale-neutral arguments (names, ids, dates; joined
 * by ROLLUP_ARG_SEP) beside the text as the merging user read it, so a
 * Chinese report never quotes an English merge and an English terminal
 * never shows a Chinese one.  zh: Chinese whatever the locale (the report,
 * the data sent upward); else the locale's (gettext).  A NULL or unknown
 * code gives the recorded text.  Returns buf.
 */
#define ROLLUP_ARG_SEP "\x1f"
const char *rollup_reason(const char *code, const char *args, const char *recorded, int zh,
			  char *buf, size_t size);

/* The verifier's status word ("modified") for people, in Chinese or the
 * locale's language. */
const char *rollup_signature_word(const char *word, int zh);

/*
 * SQL functions on a workspace connection (store_open registers them):
 *   zj_today()                    today as when_today() gives it
 *   zj_overdue(open_deadlines, n) a received unit's overdue rectifications
 *                                 judged against today, from the open
 *                                 deadlines recorded at receipt (n, as the
 *                                 unit reported it, when none were recorded)
 *   zj_reason(code, args, text)   rollup_reason in the locale's language
 *   zj_reason_zh(code, args, text) rollup_reason in Chinese
 */
int rollup_sql_functions(sqlite3 *db);

#endif
