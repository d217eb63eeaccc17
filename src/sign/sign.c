/* sign.c: see sign.h. */
#include "sign/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "sign/keys.h"
#include "sign/pdf.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* ---- the signer -------------------------------------------------------- */

void signer_free(struct signer *s)
{
	if (!s)
		return;
	EVP_PKEY_free(s->key);
	X509_free(s->cert);
	sk_X509_pop_free(s->chain, X509_free);
	free(s->name);
	free(s->unit);
	free(s->code);
	free(s->subject);
	free(s);
}

int signer_load(struct signer **out, const char *key, const char *cert, const char *chain,
		const char *passfile, struct zj_error *err)
{
	struct signer *s = calloc(1, sizeof(*s));
	const X509_NAME *subj;

	*out = NULL;
	if (!s)
		return zj_err(err, "%s", _("out of memory"));
	if (cert_load(&s->cert, cert, err) < 0 || (chain && certs_load(&s->chain, chain, err) < 0))
		goto fail;
	subj = X509_get_subject_name(s->cert);
	s->name = cert_attr(subj, NID_commonName);
	s->unit = cert_attr(subj, NID_organizationName);
	s->code = cert_attr(subj, NID_serialNumber);
	s->subject = name_line(subj);
	cert_fingerprint(s->cert, s->fingerprint);
	if (!s->unit) {
		zj_err(err, _("certificate '%s' names no unit (no O= in its subject)"), cert);
		goto fail;
	}
	if (cert_times(s->cert, &s->not_before, &s->not_after) < 0) {
		zj_err(err, _("certificate '%s': its validity cannot be read"), cert);
		goto fail;
	}
	/* NSS, and OpenSSL's S/MIME signing purpose, refuse a signer whose
	 * key usage lacks digitalSignature/nonRepudiation or whose extended
	 * key usage is, say, clientAuth: refuse it before signing. */
	if (X509_check_purpose(s->cert, X509_PURPOSE_SMIME_SIGN, 0) != 1) {
		zj_err(err, _("certificate '%s' is not for signing documents (its key usage or extended key usage)"),
		       cert);
		goto fail;
	}
	/* The passphrase is asked for last, once everything else is known good. */
	if (key_load(&s->key, key, passfile, err) < 0)
		goto fail;
	if (X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		zj_err(err, _("key '%s' does not belong to certificate '%s'"), key, cert);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	signer_free(s);
	return -1;
}

int signer_check_time(const struct signer *s, time_t when, struct zj_error *err)
{
	char t[32];

	if (when < s->not_before) {
		time_utc(s->not_before, t);
		return zj_err(err, _("certificate of '%s' is not valid before %s"), s->subject, t);
	}
	if (when > s->not_after) {
		time_utc(s->not_after, t);
		return zj_err(err, _("certificate of '%s' expired on %s"), s->subject, t);
	}
	return 0;
}

/* ---- the CMS signature ------------------------------------------------- */

struct der {
	unsigned char *p;
	int len;
};

static int cmp_der(const void *a, const void *b)
{
	const struct der *x = a, *y = b;
	int n = memcmp(x->p, y->p, (size_t)(x->len < y->len ? x->len : y->len));

	return n ? n : (x->len > y->len) - (x->len < y->len);
}

/* The DER of the signed attributes as a SET OF, sorted as DER requires:
 * what the signature covers and what a verifier re-encodes. */
static int signed_attrs_der(CMS_SignerInfo *si, unsigned char **out, size_t *outlen)
{
	int n = CMS_signed_get_attr_count(si);
	struct der *v = n > 0 ? calloc((size_t)n, sizeof(*v)) : NULL;
	size_t body = 0, hdr, pos;
	unsigned char *buf = NULL;
	int rc = -1;

	if (!v)
		return -1;
	for (int i = 0; i < n; i++) {
		v[i].len = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &v[i].p);
		if (v[i].len <= 0)
			goto out;
		body += (size_t)v[i].len;
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_der);
	hdr = body < 0x80 ? 2 : body < 0x100 ? 3 : body < 0x10000 ? 4 : 5;
	if (body >= 0x1000000 || !(buf = malloc(hdr + body)))
		goto out;
	buf[0] = 0x31;
	if (hdr == 2) {
		buf[1] = (unsigned char)body;
	} else {
		buf[1] = (unsigned char)(0x80 | (hdr - 2));
		for (size_t i = 0; i < hdr - 2; i++)
			buf[2 + i] = (unsigned char)(body >> (8 * (hdr - 3 - i)));
	}
	pos = hdr;
	for (int i = 0; i < n; i++) {
		memcpy(buf + pos, v[i].p, (size_t)v[i].len);
		pos += (size_t)v[i].len;
	}
	*out = buf;
	*outlen = pos;
	rc = 0;
out:
	for (int i = 0; i < n; i++)
		OPENSSL_free(v[i].p);
	free(v);
	return rc;
}

static int cms_sign(const struct signer *s, const unsigned char *buf, const long long br[4],
		    unsigned char **der, int *derlen, struct zj_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE], *attrs = NULL, *sig = NULL;
	unsigned mdlen = 0;
	size_t alen = 0, siglen = 0;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	int ok = 0;

	*der = NULL;
	cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
	if (!cms || !mctx)
		goto fail;
	si = CMS_add1_signer(cms, s->cert, s->key, EVP_sha256(),
			     CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP | CMS_CADES);
	if (!si)
		goto fail;
	for (int i = 0; i < sk_X509_num(s->chain); i++)
		if (X509_cmp(sk_X509_value(s->chain, i), s->cert) && CMS_add1_cert(cms, sk_X509_value(s->chain, i)) <= 0)
			goto fail;
	if (EVP_DigestInit_ex(mctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(mctx, buf + br[0], (size_t)br[1]) != 1 ||
	    EVP_DigestUpdate(mctx, buf + br[2], (size_t)br[3]) != 1 ||
	    EVP_DigestFinal_ex(mctx, md, &mdlen) != 1)
		goto fail;
	if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data), -1) <= 0 ||
	    CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, md, (int)mdlen) <= 0)
		goto fail;
	if (signed_attrs_der(si, &attrs, &alen) < 0)
		goto fail;
	EVP_MD_CTX_reset(mctx);
	if (EVP_DigestSignInit(mctx, NULL, EVP_sha256(), NULL, s->key) != 1 ||
	    EVP_DigestSign(mctx, NULL, &siglen, attrs, alen) != 1 || !(sig = OPENSSL_malloc(siglen)) ||
	    EVP_DigestSign(mctx, sig, &siglen, attrs, alen) != 1)
		goto fail;
	ASN1_STRING_set0(CMS_SignerInfo_get0_signature(si), sig, (int)siglen);
	sig = NULL;
	if ((*derlen = i2d_CMS_ContentInfo(cms, der)) <= 0)
		goto fail;
	ok = 1;
fail:
	if (!ok)
		ssl_err(err, "%s", _("cannot make the CMS signature"));
	OPENSSL_free(sig);
	free(attrs);
	EVP_MD_CTX_free(mctx);
	CMS_ContentInfo_free(cms);
	return ok ? 0 : -1;
}

/* ---- the incremental update -------------------------------------------- */

/* A PDF text string: UTF-16BE with its byte order mark, as hex. */
static int add_text(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s);

	if (sb_adds(sb, "<FEFF") < 0)
		return -1;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		int n = utf8_decode(s + i, len - i, &cp);

		if (n < 0) {
			cp = 0xFFFD;
			n = 1;
		}
		i += (size_t)n;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			if (sb_addf(sb, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)) < 0)
				return -1;
		} else if (sb_addf(sb, "%04X", cp) < 0) {
			return -1;
		}
	}
	return sb_add(sb, ">", 1);
}

static int add_pdf_date(struct strbuf *sb, time_t t)
{
	struct tm tm;
	char buf[64];
	long off;

	if (!localtime_r(&t, &tm))
		return -1;
	off = tm.tm_gmtoff / 60;
	strftime(buf, sizeof(buf), "(D:%Y%m%d%H%M%S", &tm);
	if (off == 0)
		return sb_addf(sb, "%sZ)", buf);
	return sb_addf(sb, "%s%c%02ld'%02ld')", buf, off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

struct xent_out {
	uint32_t num, gen;
	size_t off;
};

static int cmp_xo(const void *a, const void *b)
{
	const struct xent_out *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

static int write_atomic(const char *out, const unsigned char *buf, size_t len, struct zj_error *err)
{
	size_t plen = strlen(out) + 16;
	char *tmp = malloc(plen);
	mode_t mask;
	int fd;
	size_t done = 0;

	if (!tmp)
		return zj_err(err, "%s", _("out of memory"));
	snprintf(tmp, plen, "%s.XXXXXX", out);
	if ((fd = mkstemp(tmp)) < 0) {
		zj_err(err, _("cannot create a file beside '%s': %s"), out, strerror(errno));
		free(tmp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done < len || fchmod(fd, 0644 & ~mask) < 0 || fsync(fd) < 0) {
		zj_err(err, _("cannot write '%s': %s"), out, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, out) < 0) {
		zj_err(err, _("cannot write '%s': %s"), out, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static size_t placeholder_size(const struct signer *s)
{
	size_t need = (size_t)i2d_X509(s->cert, NULL) + 3072;

	for (int i = 0; i < sk_X509_num(s->chain); i++)
		need += (size_t)i2d_X509(sk_X509_value(s->chain, i), NULL) + 16;
	need = (need + 1023) / 1024 * 1024;
	return need > SIG_PLACEHOLDER ? need : SIG_PLACEHOLDER;
}

/*
 * The update is written here, byte by byte, and not by libqpdf: QPDFWriter
 * only writes a whole new file (renumbered, its cross-reference rebuilt),
 * which would change every byte the unit looked at and break any earlier
 * signature, while a signature needs the original bytes kept and exactly
 * one gap whose offsets are known before the digest.  What the update
 * copies from the file (the catalog's, the form's and the page's entries)
 * is read and written out by libqpdf (sign/pdf.h); written here are only
 * the objects' frames, the new field and signature dictionaries, the
 * cross-reference table and the trailer.
 */
int pdf_sign(const char *in, const char *out, const struct signer *s, const struct sign_opts *o,
	     struct zj_error *err)
{
	struct pdf *p = NULL;
	struct pdf_update_base ub = { 0 };
	size_t len, base, br_at, c_at, c_end, xref_at, total, ph;
	const unsigned char *data;
	struct strbuf u = { 0 };
	struct xent_out ent[4];
	unsigned char *buf = NULL, *der = NULL;
	uint32_t sig, wid;
	long long br[4];
	time_t when = o && o->when ? o->when : time(NULL);
	int derlen = 0, rc = -1, oom = 0;
	char fieldname[64];

	if (pdf_open_own(&p, in, err) < 0)
		return -1;
	if (pdf_update_base(p, &ub, err) < 0) {
		zj_err_prefix(err, "'%s'", in);
		goto out;
	}
	if (ub.cat_num == ub.page_num) {
		zj_err(err, _("'%s': the catalog and the page are one object"), in);
		goto out;
	}
	sig = ub.next_num;
	wid = sig + 1;
	snprintf(fieldname, sizeof(fieldname), "Signature%zu", ub.nfields + 1);
	data = pdf_bytes(p, &len);
	ph = placeholder_size(s);

	base = len;
	if (len && data[len - 1] != '\n' && data[len - 1] != '\r')
		oom |= sb_adds(&u, "\n");
	/* The last page, now with the widget among its annotations. */
	ent[0] = (struct xent_out){ ub.page_num, ub.page_gen, base + u.len };
	oom |= sb_addf(&u, "%u %u obj\n<<%s /Annots [%s%u 0 R] >>\nendobj\n", ub.page_num, ub.page_gen, ub.page,
		       ub.annots, wid);
	/* The catalog, now with a form holding the signature field. */
	ent[1] = (struct xent_out){ ub.cat_num, ub.cat_gen, base + u.len };
	oom |= sb_addf(&u, "%u %u obj\n<<%s /AcroForm <<%s /Fields [%s%u 0 R] /SigFlags 3 >> >>\nendobj\n",
		       ub.cat_num, ub.cat_gen, ub.catalog, ub.form, ub.fields, wid);
	/* The field and its invisible widget, one object. */
	ent[2] = (struct xent_out){ wid, 0, base + u.len };
	oom |= sb_addf(&u, "%u 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T ", wid);
	oom |= add_text(&u, fieldname);
	oom |= sb_addf(&u, " /V %u 0 R /F 132 /Rect [0 0 0 0] /P %u %u R >>\nendobj\n", sig, ub.page_num,
		       ub.page_gen);
	/* The signature dictionary with its placeholders. */
	ent[3] = (struct xent_out){ sig, 0, base + u.len };
	oom |= sb_addf(&u, "%u 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Name ",
		       sig);
	oom |= add_text(&u, s->name ? s->name : s->unit);
	oom |= sb_adds(&u, " /M ");
	oom |= add_pdf_date(&u, when);
	if (o && o->reason)
		oom |= sb_adds(&u, " /Reason ") | add_text(&u, o->reason);
	if (o && o->location)
		oom |= sb_adds(&u, " /Location ") | add_text(&u, o->location);
	oom |= sb_adds(&u, " /ByteRange [0 ");
	br_at = base + u.len;
	oom |= sb_adds(&u, "0000000000 0000000000 0000000000] /Contents <");
	c_at = base + u.len - 1;
	for (size_t i = 0; i < 2 * ph && !oom; i += 64)
		oom |= sb_add(&u, "0000000000000000000000000000000000000000000000000000000000000000",
			      2 * ph - i < 64 ? 2 * ph - i : 64);
	oom |= sb_add(&u, ">", 1);
	c_end = base + u.len;
	oom |= sb_adds(&u, " >>\nendobj\n");
	/* The cross-reference section: runs of consecutive numbers. */
	xref_at = base + u.len;
	qsort(ent, 4, sizeof(ent[0]), cmp_xo);
	oom |= sb_adds(&u, "xref\n");
	for (size_t i = 0; i < 4;) {
		size_t j = i + 1;

		while (j < 4 && ent[j].num == ent[j - 1].num + 1)
			j++;
		oom |= sb_addf(&u, "%u %zu\n", ent[i].num, j - i);
		for (; i < j; i++)
			oom |= sb_addf(&u, "%010zu %05u n\r\n", ent[i].off, ent[i].gen);
	}
	oom |= sb_addf(&u, "trailer\n<< /Size %u /Root %u %u R", wid + 1, ub.cat_num, ub.cat_gen);
	if (ub.info)
		oom |= sb_adds(&u, " /Info ") | sb_adds(&u, ub.info);
	if (ub.id)
		oom |= sb_adds(&u, " /ID ") | sb_adds(&u, ub.id);
	oom |= sb_addf(&u, " /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n", ub.startxref, xref_at);
	if (oom) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}

	total = len + u.len;
	if (total >= 10000000000ULL) {
		zj_err(err, _("'%s' is too large to sign"), in);
		goto out;
	}
	if (!(buf = malloc(total))) {
		zj_err(err, "%s", _("out of memory"));
		goto out;
	}
	memcpy(buf, data, len);
	memcpy(buf + len, u.p, u.len);
	br[0] = 0;
	br[1] = (long long)c_at;
	br[2] = (long long)c_end;
	br[3] = (long long)(total - c_end);
	{
		char nums[40];

		snprintf(nums, sizeof(nums), "%-10lld %-10lld %-10lld", br[1], br[2], br[3]);
		memcpy(buf + br_at, nums, 32);
	}
	if (cms_sign(s, buf, br, &der, &derlen, err) < 0)
		goto out;
	if ((size_t)derlen > ph) {
		zj_err(err, _("the signature (%d bytes) does not fit its %zu-byte placeholder"), derlen, ph);
		goto out;
	}
	for (int i = 0; i < derlen; i++) {
		static const char hex[] = "0123456789ABCDEF";

		buf[c_at + 1 + 2 * (size_t)i] = (unsigned char)hex[der[i] >> 4];
		buf[c_at + 2 + 2 * (size_t)i] = (unsigned char)hex[der[i] & 15];
	}
	rc = write_atomic(out, buf, total, err);
out:
	OPENSSL_free(der);
	free(buf);
	sb_release(&u);
	pdf_update_base_release(&ub);
	pdf_close(p);
	return rc;
}
