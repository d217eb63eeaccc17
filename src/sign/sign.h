/*
 * sign.h: signing a PDF the way PDF readers and a provincial office mean it.
 *
 * libharu cannot sign, so pdf_sign appends an incremental update to the
 * file as it is: a new version of the catalog with /AcroForm (/SigFlags 3)
 * and of the last page with the signature's widget in /Annots, the
 * signature field, and the signature dictionary (/Filter /Adobe.PPKLite,
 * /SubFilter /ETSI.CAdES.detached, /M, /Name) whose /ByteRange covers the
 * whole resulting file except its /Contents hex string; then a new
 * cross-reference section with /Prev.  /Contents receives a detached CMS
 * SignedData over those byte ranges: SHA-256, the signer's certificate and
 * chain, and the signed attributes PAdES B-B asks for (content-type,
 * message-digest, ESS signing-certificate-v2) and no signing-time, as
 * PAdES wants the time in /M.  OpenSSL's CMS_final always adds a
 * signing-time, so the SignerInfo is signed here directly.
 */
#ifndef ZJ_SIGN_SIGN_H
#define ZJ_SIGN_SIGN_H

#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/err.h"

#define SIG_PLACEHOLDER 8192	/* bytes reserved for the CMS (twice as many hex digits) */

struct signer {
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *chain;	/* issuers to include; may be NULL */
	char *name;		/* CN */
	char *unit;		/* O */
	char *code;		/* serialNumber, or NULL */
	char *subject;		/* the whole subject, one line */
	char fingerprint[96];	/* SHA-256 of the certificate, "AB:CD:…" */
	time_t not_before, not_after;
};

/* Loads and checks a key and its certificate (they belong together, and
 * the certificate's key usage allows document signatures); chain may be
 * NULL.  An encrypted key needs passfile or a terminal. */
int signer_load(struct signer **out, const char *key, const char *cert, const char *chain,
		const char *passfile, struct zj_error *err);
void signer_free(struct signer *s);
/* Fails unless the certificate is valid at `when`. */
int signer_check_time(const struct signer *s, time_t when, struct zj_error *err);

struct sign_opts {
	time_t when;		/* the signing time written to /M; 0: now */
	const char *reason;	/* /Reason, or NULL */
	const char *location;	/* /Location, or NULL */
};

/* Signs `in` into `out` (which may be the same file: the result is written
 * to a temporary file beside it and renamed). */
int pdf_sign(const char *in, const char *out, const struct signer *s, const struct sign_opts *o,
	     struct zj_error *err);

#endif
