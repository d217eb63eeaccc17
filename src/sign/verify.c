/* verify.c: see verify.h for what is decided and in which order. */
#include "sign/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "core/submission.h"
#include "sign/keys.h"
#include "sign/pdf.h"
#include "sign/sigbytes.h"
#include "util/file.h"
#include "util/hash.h"
#include "util/i18n.h"

static enum verify_status fail(struct verify_result *r, enum verify_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum verify_status fail(struct verify_result *r, enum verify_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	ERR_clear_error();
	return r->status = st;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* ---- times ------------------------------------------------------------- */

static int digits(const char **s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		*v = *v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return 0;
}

/* D:YYYYMMDDHHmmSSOHH'mm' with everything after the year optional. */
static int pdf_date(const char *s, time_t *t)
{
	struct tm tm = { .tm_mday = 1 };
	int v, sign = 0, oh = 0, om = 0;

	if (!strncmp(s, "D:", 2))
		s += 2;
	if (digits(&s, 4, &v) < 0)
		return -1;
	tm.tm_year = v - 1900;
	if (digits(&s, 2, &v) == 0) {
		tm.tm_mon = v - 1;
		if (digits(&s, 2, &v) == 0) {
			tm.tm_mday = v;
			if (digits(&s, 2, &tm.tm_hour) == 0 && digits(&s, 2, &tm.tm_min) == 0)
				digits(&s, 2, &tm.tm_sec);
		}
	}
	if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (digits(&s, 2, &oh) == 0 && *s == '\'')
			s++;
		if (digits(&s, 2, &om) < 0)
			om = 0;
	}
	*t = timegm(&tm) - sign * (oh * 3600 + om * 60);
	return 0;
}

static int signing_time_attr(CMS_SignerInfo *si, time_t *t)
{
	int i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
	X509_ATTRIBUTE *a;
	ASN1_TYPE *v;
	struct tm tm;

	if (i < 0 || !(a = CMS_signed_get_attr(si, i)) || !(v = X509_ATTRIBUTE_get0_type(a, 0)))
		return -1;
	if ((v->type != V_ASN1_UTCTIME && v->type != V_ASN1_GENERALIZEDTIME) ||
	    !ASN1_TIME_to_tm((ASN1_TIME *)v->value.ptr, &tm))
		return -1;
	*t = timegm(&tm);
	return 0;
}

/* ---- the decision ------------------------------------------------------ */

/* ---- revocation ------------------------------------------------------- */

/* Is x (issued by issuer) on one of the CRLs, signed by that issuer, with a
 * revocation date up to `at`?  Fills *on with the date. */
static int revoked(STACK_OF(X509_CRL) *crls, X509 *x, X509 *issuer, time_t at, time_t *on)
{
	EVP_PKEY *pub = X509_get0_pubkey(issuer);

	for (int i = 0; i < sk_X509_CRL_num(crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(crls, i);
		X509_REVOKED *rev = NULL;
		struct tm tm;

		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(x)) != 0 || !pub ||
		    X509_CRL_verify(crl, pub) != 1)
			continue;	/* another CA's list, or not really its */
		if (X509_CRL_get0_by_cert(crl, &rev, x) != 1 || !rev)
			continue;
		if (!ASN1_TIME_to_tm(X509_REVOKED_get0_revocationDate(rev), &tm))
			continue;
		*on = timegm(&tm);
		if (*on <= at)
			return 1;
	}
	ERR_clear_error();
	return 0;
}

static const char *judged_what(const struct verify_opts *o)
{
	return o->at ? _("the time of judgment") : _("now");
}

/* Every certificate of the chain at the time of judgment: expired ones
 * refused unless the receiver accepts them; then the CRLs. */
static enum verify_status check_at(struct verify_result *r, const struct verify_opts *o, STACK_OF(X509) *chain,
				   time_t at)
{
	int n = sk_X509_num(chain);

	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(chain, i);
		time_t nb = 0, na = 0;
		char t1[32], *subj;

		if (cert_times(x, &nb, &na) < 0)
			return fail(r, VERIFY_EXPIRED, "%s", _("a certificate's validity cannot be read"));
		if (at >= nb && at <= na)
			continue;
		if (at > na && o->allow_expired) {
			r->expired_overridden = 1;
			continue;
		}
		subj = name_line(X509_get_subject_name(x));
		time_utc(at > na ? na : nb, t1);
		if (at > na)
			fail(r, VERIFY_EXPIRED, _("certificate expired: '%s' expired on %s, before %s (%s)"),
			     subj ? subj : "?", t1, judged_what(o), r->judged_at);
		else
			fail(r, VERIFY_EXPIRED, _("certificate not yet valid: '%s' is valid from %s, after %s (%s)"),
			     subj ? subj : "?", t1, judged_what(o), r->judged_at);
		free(subj);
		return r->status;
	}
	if (o->crl) {
		STACK_OF(X509_CRL) *crls = NULL;
		struct zj_error err = { "" };
		enum verify_status st = VERIFY_OK;

		if (crls_load(&crls, o->crl, &err) < 0)
			return fail(r, VERIFY_ERROR, _("cannot read the revocation lists: %s"), err.msg);
		for (int i = 0; i + 1 < n; i++) {
			X509 *x = sk_X509_value(chain, i);
			time_t on = 0;

			if (revoked(crls, x, sk_X509_value(chain, i + 1), at, &on)) {
				char t1[32], *subj = name_line(X509_get_subject_name(x));
				char *iss = name_line(X509_get_issuer_name(x));

				time_utc(on, t1);
				st = fail(r, VERIFY_REVOKED, _("certificate revoked: '%s' was revoked on %s by '%s'"),
					  subj ? subj : "?", t1, iss ? iss : "?");
				free(subj);
				free(iss);
				break;
			}
		}
		sk_X509_CRL_pop_free(crls, X509_CRL_free);
		return st;
	}
	return VERIFY_OK;
}

/* ---- the decision ------------------------------------------------------ */

static void fill_ca(struct verify_ca *ca, X509 *x)
{
	char *s;

	memset(ca, 0, sizeof(*ca));
	if ((s = cert_attr(X509_get_subject_name(x), NID_organizationName))) {
		/* Compared whole: a name that does not fit is no name. */
		if (strlen(s) < sizeof(ca->unit))
			copy(ca->unit, sizeof(ca->unit), s);
		free(s);
	}
	if ((s = cert_attr(X509_get_subject_name(x), NID_serialNumber))) {
		if (strlen(s) < sizeof(ca->code))
			copy(ca->code, sizeof(ca->code), s);
		free(s);
	}
	if ((s = name_line(X509_get_subject_name(x)))) {
		copy(ca->subject, sizeof(ca->subject), s);
		free(s);
	}
	cert_fingerprint(x, ca->fingerprint);
}

/* With time_too 0, only whether the signer chains to an anchor, whatever
 * the times (nothing is filled in); then the whole judgment. */
static enum verify_status check_chain(struct verify_result *r, const struct verify_opts *o, X509 *signer,
				      CMS_ContentInfo *cms, int time_too, time_t when, time_t at)
{
	STACK_OF(X509) *anchors = NULL, *untrusted = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	struct zj_error err = { "" };
	enum verify_status st = VERIFY_OK;
	char *subj;

	if (!o->trust)
		return fail(r, VERIFY_UNTRUSTED, "%s",
			    _("untrusted issuer: no trust anchors were given (--trust FILE_OR_DIR)"));
	if (certs_load(&anchors, o->trust, &err) < 0)
		return fail(r, VERIFY_ERROR, _("cannot read the trust anchors: %s"), err.msg);
	if (!(store = X509_STORE_new()) || !(ctx = X509_STORE_CTX_new())) {
		st = fail(r, VERIFY_ERROR, "%s", _("out of memory"));
		goto out;
	}
	for (int i = 0; i < sk_X509_num(anchors); i++)
		X509_STORE_add_cert(store, sk_X509_value(anchors, i));
	untrusted = CMS_get1_certs(cms);
	if (!X509_STORE_CTX_init(ctx, store, signer, untrusted)) {
		st = fail(r, VERIFY_ERROR, "%s", _("out of memory"));
		goto out;
	}
	/* Any certificate in the anchors is trusted as it stands, so a level
	 * may trust its own province's CA without the central root. */
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), X509_V_FLAG_PARTIAL_CHAIN);
	if (time_too)
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), when);
	else
		X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SMIME_SIGN);
	if (X509_verify_cert(ctx) != 1) {
		int e = X509_STORE_CTX_get_error(ctx);
		X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
		time_t nb = 0, na = 0;
		char t1[32];

		subj = name_line(X509_get_subject_name(cur ? cur : signer));
		if (cur)
			cert_times(cur, &nb, &na);
		switch (e) {
		case X509_V_ERR_CERT_HAS_EXPIRED:
			time_utc(na, t1);
			st = fail(r, VERIFY_EXPIRED, _("certificate expired: '%s' expired on %s, before the signing time %s"),
				  subj ? subj : "?", t1, r->signed_at);
			break;
		case X509_V_ERR_CERT_NOT_YET_VALID:
			time_utc(nb, t1);
			st = fail(r, VERIFY_EXPIRED, _("certificate not yet valid: '%s' is valid from %s, after the signing time %s"),
				  subj ? subj : "?", t1, r->signed_at);
			break;
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		case X509_V_ERR_CERT_UNTRUSTED:
			st = fail(r, VERIFY_UNTRUSTED, _("untrusted or unknown issuer: '%s' does not chain to a trust anchor in '%s'"),
				  subj ? subj : "?", o->trust);
			break;
		default:
			st = fail(r, VERIFY_UNTRUSTED, _("the certificate chain is not valid: %s (at '%s')"),
				  X509_verify_cert_error_string(e), subj ? subj : "?");
		}
		free(subj);
		goto out;
	}
	if (time_too) {
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		int n = sk_X509_num(chain);
		time_t nb, na;

		r->chain_len = (size_t)n;
		if (n > 0 && (subj = name_line(X509_get_subject_name(sk_X509_value(chain, n - 1))))) {
			copy(r->anchor, sizeof(r->anchor), subj);
			free(subj);
		}
		for (int i = 1; i < n && r->nca < VERIFY_MAX_CHAIN; i++)
			fill_ca(&r->ca[r->nca++], sk_X509_value(chain, i));
		if (cert_times(signer, &nb, &na) == 0)
			time_utc(na, r->not_after);
		st = check_at(r, o, chain, at);
	}
out:
	sk_X509_pop_free(untrusted, X509_free);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_pop_free(anchors, X509_free);
	return st;
}

/* The signature field whose dictionary holds exactly this byte range and
 * these /Contents bytes: the structure must lead to the signature checked. */
static const struct pdf_sig *field_of(const struct pdf_sig *sigs, size_t n, const long long br[4],
				      const unsigned char *der, size_t derlen)
{
	for (size_t i = n; i-- > 0;)
		if (sigs[i].has_range && !memcmp(sigs[i].range, br, sizeof(sigs[i].range)) && sigs[i].contents &&
		    sigs[i].contents_len == derlen && !memcmp(sigs[i].contents, der, derlen))
			return &sigs[i];
	return NULL;
}

static int has_header(const unsigned char *buf, size_t len)
{
	for (size_t i = 0; i + 5 <= len && i < 1024; i++)
		if (!memcmp(buf + i, "%PDF-", 5))
			return 1;
	return 0;
}

static enum verify_status decide(struct verify_result *r, const struct verify_opts *o, const unsigned char *buf,
				 size_t len)
{
	long long br[4];
	unsigned char *der = NULL;
	size_t derlen = 0;
	const unsigned char *q;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	CMS_SignerInfo *si;
	X509 *signer = NULL;
	X509_ALGOR *dig = NULL;
	const EVP_MD *md;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	ASN1_OCTET_STRING *want;
	enum verify_status st = VERIFY_OK;
	time_t when = 0, at = o->at ? o->at : time(NULL);
	int too_long = 0;
	char *s;
	struct pdf *p = NULL;
	struct pdf_sig *sigs = NULL;
	const struct pdf_sig *sig;
	size_t nsigs = 0, nfields = 0;
	struct zj_error perr = { "" };

	/* 1. the signature, found on the bytes themselves: who signed what is
	 * settled before any PDF parser reads the file */
	if (!sig_scan(buf, len, br)) {
		if (!has_header(buf, len))
			return fail(r, VERIFY_MALFORMED, _("not a readable PDF: %s"), _("not a PDF file (no '%PDF-' header)"));
		return fail(r, VERIFY_NO_SIGNATURE, "%s", _("no signature: the PDF is not signed"));
	}
	r->nsigs = 1;

	/* 2. the whole file, and nothing but the signature left out */
	if (br[0] != 0)
		return fail(r, VERIFY_NOT_COVERED, "%s", _("the signature does not cover the whole document: its /ByteRange does not start at 0"));
	if (br[1] > br[2] || br[2] > (long long)len || br[3] > (long long)len - br[2])
		return fail(r, VERIFY_MODIFIED, _("modified after signing: the file is shorter than the signed byte range (%lld bytes)"),
			    br[2] + br[3]);
	switch (sig_gap(buf, len, br, &der, &derlen)) {
	case SIG_GAP_OK:
		break;
	case SIG_GAP_NOT_HEX:
		return fail(r, VERIFY_MODIFIED, "%s",
			    _("modified after signing: the gap in its /ByteRange holds something other than hexadecimal digits"));
	case SIG_GAP_NOMEM:
		return fail(r, VERIFY_ERROR, "%s", _("out of memory"));
	default:
		return fail(r, VERIFY_NOT_COVERED, "%s",
			    _("the signature does not cover the whole document: the gap in its /ByteRange is not its /Contents"));
	}
	r->covered = (size_t)(br[1] + br[3]);
	if ((size_t)(br[2] + br[3]) < len) {
		st = fail(r, VERIFY_NOT_COVERED, _("bytes appended after signing: the signature ends at byte %lld of %zu"),
			  br[2] + br[3], len);
		goto out;
	}

	/* 3. the digest and the signature; after the CMS, zeros only */
	q = der;
	if (!(cms = d2i_CMS_ContentInfo(NULL, &q, (long)derlen)) || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		st = fail(r, VERIFY_MODIFIED, "%s", _("the signature is corrupt: /Contents is not a CMS signature"));
		goto out;
	}
	if (!sig_zero_tail(der, (size_t)(q - der), derlen)) {
		st = fail(r, VERIFY_MODIFIED, "%s",
			  _("modified after signing: /Contents holds more than the signature and its zero padding"));
		goto out;
	}
	sis = CMS_get0_SignerInfos(cms);
	if (sk_CMS_SignerInfo_num(sis) != 1) {
		st = fail(r, VERIFY_MODIFIED, _("the signature is not accepted: it has %d signers, not one"),
			  sk_CMS_SignerInfo_num(sis));
		goto out;
	}
	si = sk_CMS_SignerInfo_value(sis, 0);
	CMS_set1_signers_certs(cms, NULL, 0);
	CMS_SignerInfo_get0_algs(si, NULL, &signer, &dig, NULL);
	if (!signer) {
		st = fail(r, VERIFY_UNTRUSTED, "%s", _("unknown signer: the signature does not include the signer's certificate"));
		goto out;
	}
	if ((s = name_line(X509_get_subject_name(signer)))) {
		copy(r->signer, sizeof(r->signer), s);
		free(s);
	}
	if ((s = name_line(X509_get_issuer_name(signer)))) {
		copy(r->issuer, sizeof(r->issuer), s);
		free(s);
	}
	/* The unit and code are compared whole later: one that does not fit
	 * here is refused then, never cut. */
	if ((s = cert_attr(X509_get_subject_name(signer), NID_organizationName))) {
		if (strlen(s) < sizeof(r->unit))
			copy(r->unit, sizeof(r->unit), s);
		else
			too_long = 1;
		free(s);
	}
	if ((s = cert_attr(X509_get_subject_name(signer), NID_serialNumber))) {
		if (strlen(s) < sizeof(r->code))
			copy(r->code, sizeof(r->code), s);
		else
			too_long = 1;
		free(s);
	}
	cert_fingerprint(signer, r->fingerprint);
	md = EVP_get_digestbyobj(dig->algorithm);
	if (!md || (EVP_MD_get_type(md) != NID_sha256 && EVP_MD_get_type(md) != NID_sha384 &&
		    EVP_MD_get_type(md) != NID_sha512)) {
		st = fail(r, VERIFY_MODIFIED, "%s", _("the signature is not accepted: its digest is not SHA-256, SHA-384 or SHA-512"));
		goto out;
	}
	if (CMS_signed_get_attr_count(si) < 0) {
		st = fail(r, VERIFY_MODIFIED, "%s", _("the signature is not accepted: it has no signed attributes"));
		goto out;
	}
	{
		EVP_MD_CTX *mctx = EVP_MD_CTX_new();
		int ok = mctx && EVP_DigestInit_ex(mctx, md, NULL) == 1 &&
			 EVP_DigestUpdate(mctx, buf, (size_t)br[1]) == 1 &&
			 EVP_DigestUpdate(mctx, buf + br[2], (size_t)br[3]) == 1 &&
			 EVP_DigestFinal_ex(mctx, digest, &dlen) == 1;

		EVP_MD_CTX_free(mctx);
		if (!ok) {
			st = fail(r, VERIFY_ERROR, "%s", _("cannot compute the digest"));
			goto out;
		}
	}
	want = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING);
	if (!want || (size_t)ASN1_STRING_length(want) != dlen || memcmp(ASN1_STRING_get0_data(want), digest, dlen)) {
		st = fail(r, VERIFY_MODIFIED, _("modified after signing: the %s digest of the signed bytes does not match the signature"),
			  EVP_MD_get_type(md) == NID_sha256 ? "SHA-256" : EVP_MD_get_type(md) == NID_sha384 ? "SHA-384" : "SHA-512");
		goto out;
	}
	if (CMS_SignerInfo_verify(si) != 1) {
		st = fail(r, VERIFY_MODIFIED, "%s", _("the signature is corrupt: it does not verify with the signer's key"));
		goto out;
	}
	/* 4. a key the anchors vouch for (its times are judged below): only
	 * then is the file handed to a PDF parser at all, so a parser's limits
	 * are never tested by a file that no trusted key signed */
	if ((st = check_chain(r, o, signer, cms, 0, 0, 0)) != VERIFY_OK)
		goto out;

	/* 5. the structure, read by libqpdf, leads to this very signature */
	if (pdf_open_mem(&p, buf, len, &perr) < 0 || pdf_signatures(p, &sigs, &nsigs, &nfields, &perr) < 0) {
		st = fail(r, VERIFY_MALFORMED, _("not a readable PDF: %s"), perr.msg);
		goto out;
	}
	r->nsigs = nsigs;
	if (!(sig = field_of(sigs, nsigs, br, der, derlen))) {
		st = fail(r, VERIFY_NO_SIGNATURE, "%s", _("no signature: a signature dictionary is present, but no form field refers to it"));
		goto out;
	}
	copy(r->subfilter, sizeof(r->subfilter), sig->subfilter);
	if (strcmp(sig->subfilter, "ETSI.CAdES.detached") && strcmp(sig->subfilter, "adbe.pkcs7.detached")) {
		st = fail(r, VERIFY_MODIFIED, _("the signature is not accepted: its type '/%s' is not ETSI.CAdES.detached or adbe.pkcs7.detached"),
			  r->subfilter);
		goto out;
	}

	/* 6. the chain, at the signing time and at the time of judgment */
	if (signing_time_attr(si, &when) == 0)
		r->time_source = "signing-time attribute";
	else if (sig->m && pdf_date(sig->m, &when) == 0)
		r->time_source = "/M";
	if (!r->time_source) {
		st = fail(r, VERIFY_EXPIRED, "%s", _("cannot tell whether the certificate was valid: the signature states no signing time"));
		goto out;
	}
	time_utc(when, r->signed_at);
	time_utc(at, r->judged_at);
	if ((st = check_chain(r, o, signer, cms, 1, when, at)) != VERIFY_OK)
		goto out;

	/* 7. the unit inside */
	{
		struct zj_error err = { "" };
		struct submission *sub = NULL;
		unsigned char *data = NULL;
		size_t dl = 0;
		int rc = pdf_embedded_file(p, SUBMISSION_NAME, &data, &dl, &err);

		if (rc == PDF_NOT_FOUND) {
			st = fail(r, VERIFY_NO_DATA, _("no embedded data: the PDF does not carry '%s'"), SUBMISSION_NAME);
			goto out;
		}
		if (rc < 0) {
			st = fail(r, VERIFY_NO_DATA, _("no embedded data: %s"), err.msg);
			goto out;
		}
		/* Read in memory and checked whole (core/submission). */
		rc = submission_open_mem(&sub, data, dl, SUBMISSION_NAME, &err);
		if (rc < 0)
			free(data);
		if (rc == SUBMISSION_REFUSED) {
			st = fail(r, VERIFY_BAD_DATA, _("embedded data refused: %s"), err.msg);
			goto out;
		}
		if (rc < 0) {
			st = fail(r, VERIFY_NO_DATA, _("no usable embedded data: %s"), err.msg);
			goto out;
		}
		copy(r->data_unit, sizeof(r->data_unit), sub->unit);
		copy(r->data_code, sizeof(r->data_code), sub->code);
		r->draft = !sub->complete;
		r->unconfirmed = sub->pending + sub->open;
		if (too_long || !r->unit[0]) {
			st = fail(r, VERIFY_UNIT_MISMATCH, "%s", too_long
				  ? _("unit mismatch: the certificate's unit name or code is too long to be compared whole")
				  : _("unit mismatch: the certificate names no unit (no O= in its subject)"));
		} else if (strcmp(r->unit, sub->unit)) {
			st = fail(r, VERIFY_UNIT_MISMATCH, _("unit mismatch: signed by '%s', but the embedded data is for '%s'"),
				  r->unit, r->data_unit);
		} else if (!r->code[0] && sub->code) {
			st = fail(r, VERIFY_UNIT_MISMATCH, _("unit mismatch: the embedded data claims the unit code '%s', but the certificate has no unit code"),
				  r->data_code);
		} else if (r->code[0] && sub->code && strcmp(r->code, sub->code)) {
			st = fail(r, VERIFY_UNIT_MISMATCH, _("unit mismatch: the certificate's unit code is '%s', but the embedded data's is '%s'"),
				  r->code, r->data_code);
		}
		if (st == VERIFY_OK && o->keep) {
			r->data = data;
			r->data_len = dl;
			r->sub = sub;
		} else {
			submission_close(sub);
			free(data);
		}
		if (st != VERIFY_OK)
			goto out;
	}
	r->status = VERIFY_OK;
out:
	pdf_sigs_free(sigs, nsigs);
	pdf_close(p);
	CMS_ContentInfo_free(cms);
	free(der);
	ERR_clear_error();
	return st;
}

void verify_result_release(struct verify_result *r)
{
	submission_close(r->sub);
	free(r->data);
	r->sub = NULL;
	r->data = NULL;
	r->data_len = 0;
}

enum verify_status verify_file(const char *path, const struct verify_opts *o, struct verify_result *r)
{
	struct zj_error err = { "" };
	unsigned char *buf = NULL;
	size_t len = 0;
	enum verify_status st;

	memset(r, 0, sizeof(*r));
	/* Read once: the hash, the signature, the structure and the data
	 * all come from this one buffer. */
	if (file_read_all(path, o->max_bytes ? o->max_bytes : PDF_DEFAULT_MAX_BYTES, &buf, &len, &err) < 0)
		return fail(r, VERIFY_ERROR, "%s", err.msg);
	r->file_size = len;
	if (hash_sha256_hex(buf, len, r->sha256) < 0) {
		free(buf);
		return fail(r, VERIFY_ERROR, "%s", _("SHA-256 failed"));
	}
	st = decide(r, o, buf, len);
	free(buf);
	return st;
}
