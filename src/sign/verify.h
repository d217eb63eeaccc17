/*
 * verify.h: the decision on a signed report uploaded from below.
 *
 * A report is accepted only when all of these hold, checked in this order
 * so the first failure is the one reported:
 *   1. it has a signature: a /ByteRange found on the raw bytes
 *      (sign/sigbytes.h), before any PDF parser reads the file;
 *   2. the signature covers the whole file: /ByteRange starts at 0, its gap
 *      is '<', hex digits only and '>', and it ends at the end of the file
 *      (anything after it, even a well-formed incremental update, is
 *      "bytes appended after signing");
 *   3. the SHA-256 (or SHA-384/512) of the covered bytes is the signature's
 *      message digest, the CMS signature over its attributes verifies, and
 *      after the CMS the gap holds zero bytes only;
 *   4. the signer's certificate chains to one of the trust anchors (a PEM
 *      file, or a directory of them; any certificate there is an anchor),
 *      times aside.  Only now is the file read as a PDF, by libqpdf
 *      (sign/pdf.h: recovery off, any warning refuses, no cross-reference
 *      streams), so no parser is ever run on a file that no trusted key
 *      signed; a form field whose signature dictionary holds exactly this
 *      /ByteRange and these /Contents bytes must exist;
 *   5. every certificate of that chain was valid at the signing time (the
 *      CMS signing-time attribute if present, else the dictionary's /M)
 *      and is still valid at the time of judgment (o->at: now for
 *      `verify`, or --at DATE; the time of receipt for `merge`).  The
 *      signing time is the signer's own claim (there is no time-stamp
 *      authority offline), so a key that expired cannot sign with a
 *      back-dated clock; a receiver may accept a chain expired by the time
 *      of judgment only by saying so (allow_expired, with a reason it
 *      records);
 *   6. no certificate of the chain is on a CRL given (o->crl) that its
 *      issuer signed, with a revocation date up to the time of judgment;
 *   7. the PDF embeds the submission (zhijian-submission.sqlite, read with
 *      core/submission: anything the format does not allow is refused) and
 *      its unit is the certificate's O, compared whole, and its code the
 *      certificate's serialNumber: both present and equal, or both absent
 *      (a certificate without a code matches no code).
 * Since the signature is found on the bytes, a byte changed in a
 * cross-reference table is reported as a modification after signing, not
 * as a broken file.
 */
#ifndef ZJ_SIGN_VERIFY_H
#define ZJ_SIGN_VERIFY_H

#include <stddef.h>
#include <time.h>

#include "util/err.h"

enum verify_status {
	VERIFY_OK,
	VERIFY_NO_SIGNATURE,
	VERIFY_MODIFIED,	/* digest mismatch, or the signature itself is broken */
	VERIFY_NOT_COVERED,	/* bytes appended, or /ByteRange not the whole file */
	VERIFY_UNTRUSTED,	/* no chain to a trust anchor, or an invalid chain */
	VERIFY_EXPIRED,		/* a certificate not valid at the signing time */
	VERIFY_UNIT_MISMATCH,
	VERIFY_NO_DATA,		/* no embedded submission, or not a workspace */
	VERIFY_MALFORMED,	/* not a readable PDF */
	VERIFY_ERROR,		/* could not do the work: I/O, memory, trust anchors */
	VERIFY_BAD_DATA,	/* embedded data the format does not allow */
	VERIFY_REVOKED,		/* a certificate of the chain is on a CRL given */
	VERIFY_OUT_OF_SCOPE,	/* issued outside the receiving level's part of the tree */
};

struct verify_opts {
	const char *trust;	/* PEM file or directory; NULL: no anchors */
	const char *crl;	/* CRL file (PEM) or directory of them; NULL: none */
	time_t at;		/* the time validity is judged at; 0: now */
	int allow_expired;	/* the receiver accepts a chain expired by `at` */
	int keep;		/* a valid file's embedded data is kept in the result */
	size_t max_bytes;	/* 0: PDF_DEFAULT_MAX_BYTES */
};

#define VERIFY_MAX_CHAIN 8

/* A CA certificate of the verified chain (ca[0] issued the signer's). */
struct verify_ca {
	char unit[256];		/* O, whole ("" if none) */
	char code[80];		/* serialNumber ("" if none) */
	char subject[256];
	char fingerprint[96];
};

/* What was established, for the report; empty strings where unknown. */
struct verify_result {
	enum verify_status status;
	char reason[ZJ_ERROR_MAX];	/* why it failed, in git's form */
	size_t file_size, covered;
	char sha256[65];		/* of the bytes read (and judged), hex */
	size_t nsigs;
	char subfilter[64];
	char signer[256];		/* the certificate's subject, one line */
	char unit[256];			/* its O */
	char code[80];			/* its serialNumber */
	char issuer[256];
	char fingerprint[96];
	char signed_at[32];		/* UTC */
	const char *time_source;	/* "signing-time attribute", "/M", or NULL */
	char anchor[256];		/* the trust anchor reached */
	size_t chain_len;
	char data_unit[256];		/* the unit in the embedded data */
	char data_code[80];
	int draft;			/* the embedded data is a draft (not every item confirmed) */
	long long unconfirmed;		/* its items proposed or open */
	char judged_at[32];		/* UTC: when validity and revocation were judged */
	char not_after[32];		/* the signer's certificate's end, UTC */
	int expired_overridden;		/* expired by judged_at, accepted (allow_expired) */
	struct verify_ca ca[VERIFY_MAX_CHAIN];
	size_t nca;
	/* With o->keep and a valid file: the embedded submission's bytes and
	 * what core/submission read from them, so the caller reads the file
	 * once; freed by verify_result_release. */
	unsigned char *data;
	size_t data_len;
	struct submission *sub;
};

struct submission;

/* Fills r and returns r->status. */
enum verify_status verify_file(const char *path, const struct verify_opts *o, struct verify_result *r);
/* Frees what o->keep kept (nothing otherwise). */
void verify_result_release(struct verify_result *r);

#endif
