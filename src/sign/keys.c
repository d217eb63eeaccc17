/* keys.c: see keys.h. */
#include "sign/keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "util/i18n.h"
#include "util/utf8.h"

/* PBKDF2 rounds for new keys: OWASP's 2023 figure for HMAC-SHA256. */
#define PBKDF2_ITER 600000
#define PEM_MAX ((long)1 << 20)

int ssl_err(struct zj_error *err, const char *fmt, ...)
{
	char msg[ZJ_ERROR_MAX];
	unsigned long e = ERR_peek_last_error();
	const char *why = e ? ERR_reason_error_string(e) : NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ERR_clear_error();
	if (why)
		return zj_err(err, "%s: %s", msg, why);
	return zj_err(err, "%s", msg);
}

/* ---- subjects ---------------------------------------------------------- */

static int check_text(const char *what, const char *s, struct zj_error *err)
{
	size_t len = strlen(s), chars = 0;

	if (!len)
		return zj_err(err, _("%s is empty"), what);
	if (!utf8_valid(s, len, NULL))
		return zj_err(err, _("%s '%s' is not valid UTF-8"), what, s);
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return zj_err(err, _("%s contains a control character"), what);
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	}
	/* X.520's upper bound for organizationName and commonName. */
	if (chars > 64)
		return zj_err(err, _("%s '%s' is longer than 64 characters"), what, s);
	return 0;
}

int subject_check(const struct subject *s, struct zj_error *err)
{
	if (!s->unit || check_text(_("the unit's name"), s->unit, err) < 0)
		return s->unit ? -1 : zj_err(err, "%s", _("the unit's name is missing"));
	if (s->name && check_text(_("the signer's name"), s->name, err) < 0)
		return -1;
	if (s->code) {
		size_t n = strlen(s->code);

		if (!n || n > 64)
			return zj_err(err, _("unit code '%s' must be 1 to 64 characters"), s->code);
		for (size_t i = 0; i < n; i++) {
			char c = s->code[i];

			if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
				return zj_err(err, _("unit code '%s' may hold only letters, digits and '-'"), s->code);
		}
	}
	return 0;
}

static X509_NAME *make_name(const struct subject *s, struct zj_error *err)
{
	X509_NAME *n = X509_NAME_new();

	if (!n ||
	    !X509_NAME_add_entry_by_NID(n, NID_organizationName, MBSTRING_UTF8,
					(const unsigned char *)s->unit, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(n, NID_commonName, MBSTRING_UTF8,
					(const unsigned char *)(s->name ? s->name : s->unit), -1, -1, 0) ||
	    (s->code && !X509_NAME_add_entry_by_NID(n, NID_serialNumber, MBSTRING_ASC,
						    (const unsigned char *)s->code, -1, -1, 0))) {
		X509_NAME_free(n);
		ssl_err(err, "%s", _("cannot build the certificate's subject"));
		return NULL;
	}
	return n;
}

char *cert_attr(const X509_NAME *name, int nid)
{
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	unsigned char *utf8 = NULL;
	char *r;
	int n;

	if (i < 0)
		return NULL;
	n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (n < 0)
		return NULL;
	r = strndup((char *)utf8, (size_t)n);
	OPENSSL_free(utf8);
	return r;
}

char *name_line(const X509_NAME *name)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *r = NULL;
	long n;

	if (!b)
		return NULL;
	if (X509_NAME_print_ex(b, name, 0, (XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN | ASN1_STRFLGS_RFC2253) & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_get_mem_data(b, &data)) >= 0)
		r = strndup(data, (size_t)n);
	BIO_free(b);
	return r;
}

void cert_fingerprint(X509 *x, char out[96])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	out[0] = '\0';
	if (!X509_digest(x, EVP_sha256(), md, &n))
		return;
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(out + 3 * i, 4, i + 1 < n ? "%02X:" : "%02X", md[i]);
}

static int asn1_to_time(const ASN1_TIME *a, time_t *t)
{
	struct tm tm;

	if (!a || !ASN1_TIME_to_tm(a, &tm))
		return -1;
	*t = timegm(&tm);
	return 0;
}

int cert_times(const X509 *x, time_t *not_before, time_t *not_after)
{
	if (asn1_to_time(X509_get0_notBefore(x), not_before) < 0 ||
	    asn1_to_time(X509_get0_notAfter(x), not_after) < 0)
		return -1;
	return 0;
}

void time_utc(time_t t, char out[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(out, 32, "?");
}

int time_parse(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	char tail;
	int n;

	n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &tail);
	if (n != 6 && !(sscanf(s, "%4d-%2d-%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tail) == 3 &&
			strlen(s) == 10))
		return -1;
	if (tm.tm_year < 1970 || tm.tm_year > 9999 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*t = timegm(&tm);
	return 0;
}

/* ---- passphrases ------------------------------------------------------- */

int pass_read_file(const char *path, char *buf, size_t size, struct zj_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t r;

	if (fd < 0)
		return zj_err(err, _("cannot open passphrase file '%s': %s"), path, strerror(errno));
	while (len + 1 < size && (r = read(fd, buf + len, size - 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			OPENSSL_cleanse(buf, size);
			return zj_err(err, _("cannot read passphrase file '%s': %s"), path, strerror(e));
		}
		len += (size_t)r;
		if (memchr(buf, '\n', len))
			break;
	}
	close(fd);
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!buf[0])
		return zj_err(err, _("passphrase file '%s' is empty"), path);
	return 0;
}

int pass_read_tty(const char *prompt, char *buf, size_t size, struct zj_error *err)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios old, quiet;
	sigset_t block, saved;
	size_t len = 0;
	int rc = 0;

	if (fd < 0)
		return zj_err(err, "%s", _("no terminal to read a passphrase from; use --passphrase-file FILE"));
	if (tcgetattr(fd, &old) < 0) {
		close(fd);
		return zj_err(err, "%s", _("no terminal to read a passphrase from; use --passphrase-file FILE"));
	}
	/* Ctrl-C while echo is off must not leave the terminal silent: hold
	 * the signals until the old settings are back. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &saved);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	/* Echo off before the prompt shows, so nothing typed at the prompt
	 * is echoed or flushed. */
	if (tcsetattr(fd, TCSAFLUSH, &quiet) < 0 || write(fd, prompt, strlen(prompt)) < 0) {
		rc = zj_err(err, "%s", _("cannot turn off echo on the terminal"));
	} else {
		for (;;) {
			char c;
			ssize_t r = read(fd, &c, 1);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0 || c == '\n' || c == '\r')
				break;
			if (len + 1 < size)
				buf[len++] = c;
		}
		tcsetattr(fd, TCSAFLUSH, &old);
	}
	buf[len] = '\0';
	close(fd);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (!rc && !len)
		rc = zj_err(err, "%s", _("no passphrase given"));
	return rc;
}

const char *passphrase_on_command_line(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strncmp(argv[i], "--pass", 6) && strcmp(argv[i], "--passphrase-file") &&
		    strncmp(argv[i], "--passphrase-file=", 18))
			return argv[i];
	}
	return NULL;
}

int pass_new(const char *file, char *buf, size_t size, struct zj_error *err)
{
	char again[PASS_MAX];

	if (file) {
		if (pass_read_file(file, buf, size, err) < 0)
			return -1;
	} else {
		if (pass_read_tty(_("Passphrase for the new key: "), buf, size, err) < 0)
			return -1;
		if (pass_read_tty(_("Same passphrase again: "), again, sizeof(again), err) < 0) {
			OPENSSL_cleanse(buf, size);
			return -1;
		}
		if (strcmp(buf, again)) {
			OPENSSL_cleanse(buf, size);
			OPENSSL_cleanse(again, sizeof(again));
			return zj_err(err, "%s", _("the passphrases do not match"));
		}
		OPENSSL_cleanse(again, sizeof(again));
	}
	if (strlen(buf) < PASS_MIN) {
		OPENSSL_cleanse(buf, size);
		return zj_err(err, _("the passphrase is shorter than %d characters"), PASS_MIN);
	}
	return 0;
}

/* ---- files ------------------------------------------------------------- */

/* A new file, never an existing one: O_EXCL, and the mode set on the
 * descriptor so a lax umask cannot widen a key file. */
static FILE *create_excl(const char *path, mode_t mode, struct zj_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f;

	if (fd < 0) {
		if (errno == EEXIST)
			zj_err(err, _("refusing to overwrite '%s'"), path);
		else
			zj_err(err, _("cannot create '%s': %s"), path, strerror(errno));
		return NULL;
	}
	if (fchmod(fd, mode) < 0 || !(f = fdopen(fd, "w"))) {
		zj_err(err, _("cannot create '%s': %s"), path, strerror(errno));
		close(fd);
		unlink(path);
		return NULL;
	}
	return f;
}

static int close_written(FILE *f, const char *path, int ok, struct zj_error *err)
{
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
		ok = 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		if (!err->msg[0])
			zj_err(err, _("cannot write '%s': %s"), path, strerror(errno));
		return -1;
	}
	return 0;
}

int key_write(const char *path, EVP_PKEY *key, const char *pass, struct zj_error *err)
{
	FILE *f;
	int ok;

	err->msg[0] = '\0';
	if (!(f = create_excl(path, 0600, err)))
		return -1;
	if (pass) {
		X509_ALGOR *pbe = PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), PBKDF2_ITER, NULL, 0, NULL,
						    NID_hmacWithSHA256);
		PKCS8_PRIV_KEY_INFO *inf = pbe ? EVP_PKEY2PKCS8(key) : NULL;
		X509_SIG *p8 = inf ? PKCS8_set0_pbe(pass, (int)strlen(pass), inf, pbe) : NULL;

		ok = p8 && PEM_write_PKCS8(f, p8);
		if (!p8)
			X509_ALGOR_free(pbe);
		X509_SIG_free(p8);
		PKCS8_PRIV_KEY_INFO_free(inf);
	} else {
		ok = PEM_write_PKCS8PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	}
	if (!ok)
		ssl_err(err, _("cannot write the private key to '%s'"), path);
	return close_written(f, path, ok, err);
}

int cert_write(const char *path, X509 *x, struct zj_error *err)
{
	FILE *f;
	int ok;

	err->msg[0] = '\0';
	if (!(f = create_excl(path, 0644, err)))
		return -1;
	if (!(ok = PEM_write_X509(f, x)))
		ssl_err(err, _("cannot write '%s'"), path);
	return close_written(f, path, ok, err);
}

int req_write(const char *path, X509_REQ *r, struct zj_error *err)
{
	FILE *f;
	int ok;

	err->msg[0] = '\0';
	if (!(f = create_excl(path, 0644, err)))
		return -1;
	if (!(ok = PEM_write_X509_REQ(f, r)))
		ssl_err(err, _("cannot write '%s'"), path);
	return close_written(f, path, ok, err);
}

static BIO *open_pem(const char *path, struct zj_error *err)
{
	struct stat st;
	BIO *b;

	if (stat(path, &st) < 0)
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno)), NULL;
	if (!S_ISREG(st.st_mode))
		return zj_err(err, _("'%s' is not a regular file"), path), NULL;
	if (st.st_size > PEM_MAX)
		return zj_err(err, _("'%s' is too large for a PEM file"), path), NULL;
	if (!(b = BIO_new_file(path, "r")))
		ssl_err(err, _("cannot open '%s'"), path);
	return b;
}

struct pw_ctx {
	const char *file, *path;
	char pass[PASS_MAX];
	int have, asked, no_source, read_failed;
	struct zj_error *err;
};

static int pw_cb(char *buf, int size, int rwflag, void *u)
{
	struct pw_ctx *c = u;
	size_t n;

	(void)rwflag;
	c->asked = 1;
	if (!c->have) {
		if (c->file) {
			if (pass_read_file(c->file, c->pass, sizeof(c->pass), c->err) < 0) {
				c->read_failed = 1;
				return -1;
			}
		} else {
			char prompt[256 + 64];

			snprintf(prompt, sizeof(prompt), _("Passphrase for '%s': "), c->path);
			if (pass_read_tty(prompt, c->pass, sizeof(c->pass), c->err) < 0) {
				c->no_source = 1;
				return -1;
			}
		}
		c->have = 1;
	}
	n = strlen(c->pass);
	if (size < 0 || n > (size_t)size)
		return -1;
	memcpy(buf, c->pass, n);
	return (int)n;
}

int key_load(EVP_PKEY **out, const char *path, const char *passfile, struct zj_error *err)
{
	struct pw_ctx c = { .file = passfile, .path = path, .err = err };
	BIO *b;

	*out = NULL;
	if (!(b = open_pem(path, err)))
		return -1;
	*out = PEM_read_bio_PrivateKey(b, NULL, pw_cb, &c);
	BIO_free(b);
	OPENSSL_cleanse(c.pass, sizeof(c.pass));
	if (*out) {
		ERR_clear_error();
		return 0;
	}
	if (c.read_failed)
		return ERR_clear_error(), -1;
	if (c.no_source) {
		ERR_clear_error();
		return zj_err(err, _("private key '%s' is encrypted: give --passphrase-file FILE or run on a terminal"),
			      path);
	}
	if (c.asked) {
		ERR_clear_error();
		return zj_err(err, _("cannot decrypt private key '%s': wrong passphrase"), path);
	}
	return ssl_err(err, _("'%s' is not a PEM private key"), path);
}

int cert_load(X509 **out, const char *path, struct zj_error *err)
{
	BIO *b = open_pem(path, err);

	*out = NULL;
	if (!b)
		return -1;
	*out = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*out)
		return ssl_err(err, _("'%s' is not a PEM certificate"), path);
	return 0;
}

int req_load(X509_REQ **out, const char *path, struct zj_error *err)
{
	BIO *b = open_pem(path, err);

	*out = NULL;
	if (!b)
		return -1;
	*out = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*out)
		return ssl_err(err, _("'%s' is not a PEM certificate request"), path);
	return 0;
}

/* After a loop of PEM_read_bio_*: 1 when it ended as a file of PEM blocks
 * ends, on "no start line" (the error is cleared), 0 when a block was
 * broken (the error is left for ssl_err to report). */
static int pem_clean_end(void)
{
	unsigned long e = ERR_peek_last_error();

	if (e && ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
		return 0;
	ERR_clear_error();
	return 1;
}

static int certs_from_file(STACK_OF(X509) *sk, const char *path, struct zj_error *err)
{
	BIO *b = open_pem(path, err);
	X509 *x;
	int n = 0;

	if (!b)
		return -1;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			BIO_free(b);
			return zj_err(err, "%s", _("out of memory"));
		}
		n++;
	}
	BIO_free(b);
	if (!pem_clean_end())
		return ssl_err(err, _("'%s': a certificate cannot be read"), path);
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int certs_load(STACK_OF(X509) **out, const char *path, struct zj_error *err)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	struct stat st;
	int total = 0;

	*out = NULL;
	if (!sk)
		return zj_err(err, "%s", _("out of memory"));
	if (stat(path, &st) < 0) {
		sk_X509_free(sk);
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		char **names = NULL;
		size_t n = 0, cap = 0;

		if (!d) {
			sk_X509_free(sk);
			return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
		}
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);

			if (l < 5 || de->d_name[0] == '.' ||
			    (strcmp(de->d_name + l - 4, ".pem") && strcmp(de->d_name + l - 4, ".crt") &&
			     strcmp(de->d_name + l - 4, ".cer")))
				continue;
			if (n == cap) {
				char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*names));

				if (!nn)
					break;
				names = nn;
			}
			if (!(names[n] = strdup(de->d_name)))
				break;
			n++;
		}
		closedir(d);
		/* Sorted, so an error names the same file every time. */
		if (n)
			qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; i < n; i++) {
			size_t plen = strlen(path) + strlen(names[i]) + 2;
			char *p = malloc(plen);
			int r = -1;

			if (p) {
				snprintf(p, plen, "%s/%s", path, names[i]);
				r = certs_from_file(sk, p, err);
			} else {
				zj_err(err, "%s", _("out of memory"));
			}
			free(p);
			if (r < 0) {
				for (size_t k = 0; k < n; k++)
					free(names[k]);
				free(names);
				sk_X509_pop_free(sk, X509_free);
				return -1;
			}
			total += r;
		}
		for (size_t k = 0; k < n; k++)
			free(names[k]);
		free(names);
	} else if ((total = certs_from_file(sk, path, err)) < 0) {
		sk_X509_pop_free(sk, X509_free);
		return -1;
	}
	if (!total) {
		sk_X509_free(sk);
		return zj_err(err, _("no certificate in '%s'"), path);
	}
	*out = sk;
	return 0;
}

/* ---- keys and certificates --------------------------------------------- */

int key_generate(EVP_PKEY **out, enum key_algo algo, struct zj_error *err)
{
	*out = algo == KEY_RSA ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072)
			       : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (!*out)
		return ssl_err(err, "%s", _("cannot generate a key"));
	return 0;
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value, struct zj_error *err)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = ext && X509_add_ext(x, ext, -1);

	X509_EXTENSION_free(ext);
	if (!ok)
		return ssl_err(err, _("cannot add the extension '%s'"), value);
	return 0;
}

static int random_serial(X509 *x, struct zj_error *err)
{
	unsigned char b[16];
	BIGNUM *bn;
	int ok;

	if (RAND_bytes(b, sizeof(b)) != 1)
		return ssl_err(err, "%s", _("no random numbers"));
	b[0] &= 0x7f;	/* positive */
	b[0] |= 0x40;	/* and always 16 bytes long */
	bn = BN_bin2bn(b, sizeof(b), NULL);
	ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	if (!ok)
		return ssl_err(err, "%s", _("cannot set the serial number"));
	return 0;
}

/* The body both self-signed and issued certificates share. */
static int fill_cert(X509 *x, X509 *issuer, const X509_NAME *subject, EVP_PKEY *pub, int ca,
		     time_t start, time_t end, struct zj_error *err)
{
	X509V3_CTX ctx;

	if (!X509_set_version(x, 2) || random_serial(x, err) < 0 ||
	    !X509_set_subject_name(x, subject) ||
	    !X509_set_issuer_name(x, X509_get_subject_name(issuer ? issuer : x)) ||
	    !X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &start) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &end) || !X509_set_pubkey(x, pub))
		return err->msg[0] ? -1 : ssl_err(err, "%s", _("cannot build the certificate"));
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	if (add_ext(x, &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE", err) < 0 ||
	    add_ext(x, &ctx, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" :
		    "critical,digitalSignature,nonRepudiation", err) < 0 ||
	    add_ext(x, &ctx, NID_subject_key_identifier, "hash", err) < 0 ||
	    add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always", err) < 0)
		return -1;
	return 0;
}

static time_t end_of(time_t start, int days)
{
	return start + (time_t)days * 86400;
}

int cert_self_signed(X509 **out, EVP_PKEY *key, const struct subject *s, int ca, time_t start,
		     int days, struct zj_error *err)
{
	X509_NAME *name = make_name(s, err);
	X509 *x = name ? X509_new() : NULL;

	*out = NULL;
	err->msg[0] = '\0';
	if (!x) {
		X509_NAME_free(name);
		return name ? zj_err(err, "%s", _("out of memory")) : -1;
	}
	if (fill_cert(x, NULL, name, key, ca, start, end_of(start, days), err) < 0 ||
	    !X509_sign(x, key, EVP_sha256())) {
		if (!err->msg[0])
			ssl_err(err, "%s", _("cannot sign the certificate"));
		X509_free(x);
		X509_NAME_free(name);
		return -1;
	}
	X509_NAME_free(name);
	*out = x;
	return 0;
}

int req_make(X509_REQ **out, EVP_PKEY *key, const struct subject *s, int ca, struct zj_error *err)
{
	X509_NAME *name = make_name(s, err);
	X509_REQ *r = name ? X509_REQ_new() : NULL;
	STACK_OF(X509_EXTENSION) *exts = NULL;
	int ok;

	*out = NULL;
	if (!r) {
		X509_NAME_free(name);
		return name ? zj_err(err, "%s", _("out of memory")) : -1;
	}
	ok = X509_REQ_set_version(r, 0) && X509_REQ_set_subject_name(r, name) && X509_REQ_set_pubkey(r, key);
	if (ok && ca) {
		X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints, "critical,CA:TRUE");

		ok = bc && (exts = sk_X509_EXTENSION_new_null()) && sk_X509_EXTENSION_push(exts, bc);
		if (!ok)
			X509_EXTENSION_free(bc);
		ok = ok && X509_REQ_add_extensions(r, exts);
		sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	}
	ok = ok && X509_REQ_sign(r, key, EVP_sha256());
	X509_NAME_free(name);
	if (!ok) {
		X509_REQ_free(r);
		return ssl_err(err, "%s", _("cannot build the certificate request"));
	}
	*out = r;
	return 0;
}

static int req_wants_ca(X509_REQ *req)
{
	STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
	int ca = 0;

	for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);

		if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == NID_basic_constraints) {
			BASIC_CONSTRAINTS *bc = X509V3_EXT_d2i(e);

			ca = bc && bc->ca;
			BASIC_CONSTRAINTS_free(bc);
		}
	}
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return ca;
}

int ca_issue(X509 **out, X509_REQ *req, X509 *cacert, EVP_PKEY *cakey, int ca, time_t start,
	     int days, int *clamped, struct zj_error *err)
{
	EVP_PKEY *pub = X509_REQ_get0_pubkey(req);
	const X509_NAME *subj = X509_REQ_get_subject_name(req);
	time_t end = end_of(start, days), ca_from, ca_until;	/* ca_from is not enforced: see below */
	char *unit;
	X509 *x;

	*out = NULL;
	*clamped = 0;
	err->msg[0] = '\0';
	if (!pub || X509_REQ_verify(req, pub) != 1)
		return ssl_err(err, "%s", _("the request's signature does not verify"));
	if (!(unit = cert_attr(subj, NID_organizationName)))
		return zj_err(err, "%s", _("the request names no unit (no O= in its subject)"));
	free(unit);
	if (req_wants_ca(req) && !ca)
		return zj_err(err, "%s", _("the request asks for a CA certificate; give --ca to issue one"));
	if (X509_check_ca(cacert) < 1)
		return zj_err(err, "%s", _("the issuing certificate is not a CA certificate"));
	if (X509_check_private_key(cacert, cakey) != 1)
		return ssl_err(err, "%s", _("the CA key does not belong to the CA certificate"));
	if (cert_times(cacert, &ca_from, &ca_until) < 0)
		return zj_err(err, "%s", _("the CA certificate's validity cannot be read"));
	/* A certificate cannot usefully outlive its issuer: every chain
	 * through the issuer fails once it expires.  Its start may precede
	 * the issuer's (a verifier checks every certificate of the chain at
	 * the signing time anyway), which lets tests make expired ones. */
	if (end > ca_until) {
		*clamped = end - ca_until > 86400;	/* worth saying */
		end = ca_until;
	}
	(void)ca_from;
	if (end <= start)
		return zj_err(err, "%s", _("the CA certificate is not valid in the requested period"));
	if (!(x = X509_new()))
		return zj_err(err, "%s", _("out of memory"));
	if (fill_cert(x, cacert, subj, pub, ca, start, end, err) < 0 || !X509_sign(x, cakey, EVP_sha256())) {
		if (!err->msg[0])
			ssl_err(err, "%s", _("cannot sign the certificate"));
		X509_free(x);
		return -1;
	}
	*out = x;
	return 0;
}

/* ---- revocation lists -------------------------------------------------- */

static int crls_from_file(STACK_OF(X509_CRL) *sk, const char *path, struct zj_error *err)
{
	BIO *b = open_pem(path, err);
	X509_CRL *c;
	int n = 0;

	if (!b)
		return -1;
	while ((c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_CRL_push(sk, c)) {
			X509_CRL_free(c);
			BIO_free(b);
			return zj_err(err, "%s", _("out of memory"));
		}
		n++;
	}
	BIO_free(b);
	if (!pem_clean_end())
		return ssl_err(err, _("'%s': a revocation list cannot be read"), path);
	if (!n)
		return zj_err(err, _("'%s' holds no revocation list (PEM, -----BEGIN X509 CRL-----)"), path);
	return n;
}

int crls_load(STACK_OF(X509_CRL) **out, const char *path, struct zj_error *err)
{
	STACK_OF(X509_CRL) *sk = sk_X509_CRL_new_null();
	struct stat st;

	*out = NULL;
	if (!sk)
		return zj_err(err, "%s", _("out of memory"));
	if (stat(path, &st) < 0) {
		sk_X509_CRL_free(sk);
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;
		int total = 0;

		if (!d) {
			sk_X509_CRL_free(sk);
			return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
		}
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name), plen;
			char *p;
			int r;

			if (l < 5 || de->d_name[0] == '.' ||
			    (strcmp(de->d_name + l - 4, ".pem") && strcmp(de->d_name + l - 4, ".crl")))
				continue;
			plen = strlen(path) + l + 2;
			if (!(p = malloc(plen))) {
				closedir(d);
				sk_X509_CRL_pop_free(sk, X509_CRL_free);
				return zj_err(err, "%s", _("out of memory"));
			}
			snprintf(p, plen, "%s/%s", path, de->d_name);
			r = crls_from_file(sk, p, err);
			free(p);
			if (r < 0) {
				closedir(d);
				sk_X509_CRL_pop_free(sk, X509_CRL_free);
				return -1;
			}
			total += r;
		}
		closedir(d);
		if (!total) {
			sk_X509_CRL_free(sk);
			return zj_err(err, _("no revocation list in '%s'"), path);
		}
	} else if (crls_from_file(sk, path, err) < 0) {
		sk_X509_CRL_pop_free(sk, X509_CRL_free);
		return -1;
	}
	*out = sk;
	return 0;
}

int crl_revoke(const char *crl_path, X509 *x, X509 *cacert, EVP_PKEY *cakey, time_t when, int reason,
	       int days, int *already, struct zj_error *err)
{
	X509_CRL *crl = NULL;
	X509_REVOKED *rev = NULL;
	ASN1_TIME *t = NULL;
	struct stat st;
	time_t now = time(NULL), next = now + (time_t)days * 86400;
	char tmp[4096];
	FILE *f = NULL;
	int rc = -1, fd;

	*already = 0;
	err->msg[0] = '\0';
	if (X509_check_issued(cacert, x) != X509_V_OK)
		return zj_err(err, "%s", _("the certificate was not issued by this CA"));
	if (X509_check_private_key(cacert, cakey) != 1)
		return ssl_err(err, "%s", _("the CA key does not belong to the CA certificate"));
	if (lstat(crl_path, &st) == 0) {
		STACK_OF(X509_CRL) *sk = NULL;
		X509_REVOKED *old = NULL;

		if (!S_ISREG(st.st_mode))
			return zj_err(err, _("'%s' is not a regular file"), crl_path);
		if (crls_load(&sk, crl_path, err) < 0)
			return -1;
		crl = sk_X509_CRL_shift(sk);
		sk_X509_CRL_pop_free(sk, X509_CRL_free);
		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(cacert)) != 0 ||
		    X509_CRL_verify(crl, X509_get0_pubkey(cacert)) != 1) {
			X509_CRL_free(crl);
			ERR_clear_error();
			return zj_err(err, _("'%s' is not a revocation list of this CA"), crl_path);
		}
		if (X509_CRL_get0_by_cert(crl, &old, x) == 1 && old) {
			*already = 1;
			X509_CRL_free(crl);
			return 0;
		}
	} else if (errno != ENOENT) {
		return zj_err(err, _("cannot open '%s': %s"), crl_path, strerror(errno));
	} else if (!(crl = X509_CRL_new()) || !X509_CRL_set_version(crl, 1) ||
		   !X509_CRL_set_issuer_name(crl, X509_get_subject_name(cacert))) {
		X509_CRL_free(crl);
		return ssl_err(err, "%s", _("cannot make the revocation list"));
	}
	if (!(rev = X509_REVOKED_new()) || !(t = ASN1_TIME_set(NULL, when)) ||
	    !X509_REVOKED_set_serialNumber(rev, X509_get_serialNumber(x)) ||
	    !X509_REVOKED_set_revocationDate(rev, t)) {
		ssl_err(err, "%s", _("cannot make the revocation entry"));
		goto out;
	}
	if (reason >= 0) {
		ASN1_ENUMERATED *e = ASN1_ENUMERATED_new();
		int ok = e && ASN1_ENUMERATED_set(e, reason) && X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, e, 0, 0);

		ASN1_ENUMERATED_free(e);
		if (!ok) {
			ssl_err(err, "%s", _("cannot make the revocation entry"));
			goto out;
		}
	}
	if (!X509_CRL_add0_revoked(crl, rev)) {
		ssl_err(err, "%s", _("cannot make the revocation entry"));
		goto out;
	}
	rev = NULL;
	ASN1_TIME_free(t);
	t = NULL;
	{
		ASN1_TIME *a = ASN1_TIME_set(NULL, now), *b = ASN1_TIME_set(NULL, next);
		int ok = a && b && X509_CRL_set1_lastUpdate(crl, a) && X509_CRL_set1_nextUpdate(crl, b) &&
			 X509_CRL_sort(crl) && X509_CRL_sign(crl, cakey, EVP_sha256());

		ASN1_TIME_free(a);
		ASN1_TIME_free(b);
		if (!ok) {
			ssl_err(err, "%s", _("cannot sign the revocation list"));
			goto out;
		}
	}
	/* Written beside it and renamed over it, so a reader never sees half
	 * a list and a symbolic link at the name is replaced, not followed. */
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", crl_path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		zj_err(err, _("cannot create '%s': %s"), tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		goto out;
	}
	if (!PEM_write_X509_CRL(f, crl))
		ssl_err(err, _("cannot write '%s'"), tmp);
	if (close_written(f, tmp, !err->msg[0], err) < 0)
		goto out;
	if (rename(tmp, crl_path) < 0) {
		zj_err(err, _("cannot write '%s': %s"), crl_path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	X509_REVOKED_free(rev);
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	return rc;
}

void key_file_inspect(const char *keypath, const char *passfile, struct key_file_info *info)
{
	struct stat st;
	FILE *f;

	memset(info, 0, sizeof(*info));
	if (passfile && stat(passfile, &st) == 0 && S_ISREG(st.st_mode)) {
		info->pass_mode = st.st_mode & 0777;
		info->pass_loose = (st.st_mode & 077) != 0;
	}
	if (!keypath || stat(keypath, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	info->key_mode = st.st_mode & 0777;
	info->key_loose = (st.st_mode & 077) != 0;
	/* PKCS#8 encrypted, or a legacy PEM with Proc-Type ENCRYPTED. */
	if ((f = fopen(keypath, "r"))) {
		char line[128];

		for (int n = 0; n < 64 && fgets(line, sizeof(line), f); n++)
			if (strstr(line, "-----BEGIN ENCRYPTED PRIVATE KEY-----") || strstr(line, "Proc-Type: 4,ENCRYPTED")) {
				info->encrypted = 1;
				break;
			}
		fclose(f);
	}
}
