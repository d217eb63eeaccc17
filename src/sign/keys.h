/*
 * keys.h: private keys, certificates and requests (OpenSSL 3).
 *
 * A unit's identity is its certificate's subject: O = the unit's name,
 * CN = the signer (the unit's name unless given), serialNumber = the unit's
 * code when it has one.  Leaf certificates carry keyUsage digitalSignature
 * and nonRepudiation (critical), basicConstraints CA:FALSE and no extended
 * key usage, which is what NSS (pdfsig, Firefox) and OpenSSL's S/MIME
 * signing purpose accept for document signatures; CA certificates carry
 * CA:TRUE with keyCertSign and cRLSign.
 *
 * Private keys are written as PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-
 * SHA256, AES-256-CBC), created with O_EXCL and mode 0600 so they never
 * exist with wider permissions, and never in clear unless asked.
 * Passphrases come from a file or from /dev/tty with echo off, never from
 * a command line; buffers holding them are cleansed after use.
 */
#ifndef ZJ_SIGN_KEYS_H
#define ZJ_SIGN_KEYS_H

#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/err.h"

#define PASS_MAX 1024
#define PASS_MIN 8		/* for new keys */
#define DAYS_LEAF 730
#define DAYS_CA 3650

enum key_algo { KEY_ECDSA, KEY_RSA };

struct subject {
	const char *unit;	/* O; required */
	const char *name;	/* CN; the unit when NULL */
	const char *code;	/* serialNumber; optional, letters, digits and '-' */
};

/* Checks what a subject may hold (lengths, UTF-8, the code's alphabet). */
int subject_check(const struct subject *s, struct zj_error *err);

/* The first line of path, without its line end; at most size-1 bytes. */
int pass_read_file(const char *path, char *buf, size_t size, struct zj_error *err);
/* Prompts on /dev/tty with echo off; fails if there is no terminal. */
int pass_read_tty(const char *prompt, char *buf, size_t size, struct zj_error *err);
/* The first argument that looks like a passphrase given on the command
 * line ("--passphrase", "--pass=…", which getopt would take as an
 * abbreviation of --passphrase-file), or NULL.  Commands refuse those. */
const char *passphrase_on_command_line(int argc, char **argv);
/* A new key's passphrase: from file, else asked twice on the terminal. */
int pass_new(const char *file, char *buf, size_t size, struct zj_error *err);

int key_generate(EVP_PKEY **out, enum key_algo algo, struct zj_error *err);
/* Writes key to a new file (O_EXCL, 0600); pass NULL writes it in clear. */
int key_write(const char *path, EVP_PKEY *key, const char *pass, struct zj_error *err);
/* Loads a private key; an encrypted one needs passfile or a terminal. */
int key_load(EVP_PKEY **out, const char *path, const char *passfile, struct zj_error *err);

int cert_self_signed(X509 **out, EVP_PKEY *key, const struct subject *s, int ca, time_t start,
		     int days, struct zj_error *err);
/* A request; with ca, it asks for basicConstraints CA:TRUE. */
int req_make(X509_REQ **out, EVP_PKEY *key, const struct subject *s, int ca, struct zj_error *err);
/* Issues a certificate for req under cacert/cakey.  A request asking for a
 * CA certificate is refused unless ca is set.  The validity is clamped to
 * the issuer's; *clamped says whether that happened. */
int ca_issue(X509 **out, X509_REQ *req, X509 *cacert, EVP_PKEY *cakey, int ca, time_t start,
	     int days, int *clamped, struct zj_error *err);

/* PEM files: new ones are created with O_EXCL (0644). */
int cert_write(const char *path, X509 *x, struct zj_error *err);
int req_write(const char *path, X509_REQ *r, struct zj_error *err);
int cert_load(X509 **out, const char *path, struct zj_error *err);
int req_load(X509_REQ **out, const char *path, struct zj_error *err);
/* Every certificate in a PEM file, or in the *.pem / *.crt / *.cer files of
 * a directory; at least one. */
int certs_load(STACK_OF(X509) **out, const char *path, struct zj_error *err);

/* Every CRL in a PEM file, or in the *.pem / *.crl files of a directory;
 * at least one. */
int crls_load(STACK_OF(X509_CRL) **out, const char *path, struct zj_error *err);
/*
 * Adds x to the CRL at crl_path, issued by cacert/cakey (creating the list
 * if the file does not exist; an existing one must be that CA's), revoked
 * at `when`, and writes the list anew (a temporary file renamed over it,
 * 0644) with thisUpdate now and nextUpdate `days` later.  x must have been
 * issued by cacert.  *already is set when x was on the list before.
 */
int crl_revoke(const char *crl_path, X509 *x, X509 *cacert, EVP_PKEY *cakey, time_t when, int reason,
	       int days, int *already, struct zj_error *err);

/* What a key file and its passphrase file look like from outside: loose
 * permissions (readable or writable by group or others) and whether the
 * key is stored encrypted.  For warnings; never an error. */
struct key_file_info {
	int key_loose, pass_loose, encrypted;
	unsigned key_mode, pass_mode;
};
void key_file_inspect(const char *keypath, const char *passfile, struct key_file_info *info);

/* A subject attribute (NID_organizationName, NID_commonName,
 * NID_serialNumber) as malloc'd UTF-8, or NULL. */
char *cert_attr(const X509_NAME *name, int nid);
/* The name as one line of UTF-8: "O=…, CN=…"; malloc'd. */
char *name_line(const X509_NAME *name);
/* SHA-256 of the DER, "AB:CD:…" (95 characters). */
void cert_fingerprint(X509 *x, char out[96]);
/* notBefore / notAfter as time_t. */
int cert_times(const X509 *x, time_t *not_before, time_t *not_after);
/* "2026-06-30 04:00:00 UTC" */
void time_utc(time_t t, char out[32]);
/* YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM:SSZ. */
int time_parse(const char *s, time_t *t);

/* Appends OpenSSL's most recent reason to err ("…: reason") and clears
 * OpenSSL's error queue.  Returns -1. */
int ssl_err(struct zj_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
