/*
 * hash.h: SHA-256, the one hasher of zhijian (DESIGN.md): the checklist's
 * identity, the audit log's chain, evidence files, the reports written and
 * the files received from below.
 *
 * A thin wrapper over OpenSSL's EVP, so core/ hashes without including an
 * OpenSSL header and nothing here is hand-written crypto.  Digests are 32
 * bytes; their text form is 64 lowercase hex digits and a NUL (65 bytes).
 *
 * Streaming:	struct hash_sha256 h;
 *		if (hash_init(&h) < 0) ...;
 *		hash_update(&h, p, n); ...
 *		if (hash_final_hex(&h, hex) < 0) ...;
 * hash_update never fails by itself: a failure is kept and reported by
 * hash_final*, which always releases the context.  hash_release abandons a
 * context without a digest (safe after hash_final* and on a zeroed one).
 */
#ifndef ZJ_HASH_H
#define ZJ_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define HASH_SHA256_LEN 32
#define HASH_HEX_SIZE 65

/* The largest file hash_file_sha256 reads when the caller has no tighter
 * bound of its own (4 GiB, or what size_t holds). */
#define HASH_FILE_MAX_BYTES (SIZE_MAX < (4ull << 30) ? SIZE_MAX : (size_t)(4ull << 30))

struct evp_md_ctx_st;	/* OpenSSL's EVP_MD_CTX, opaque here */

struct hash_sha256 {
	struct evp_md_ctx_st *md;
	int failed;
};

/* Returns 0, or -1 when OpenSSL cannot set up a digest (out of memory). */
int hash_init(struct hash_sha256 *h);
void hash_update(struct hash_sha256 *h, const void *data, size_t len);
/* Returns 0 with the digest, or -1 if any step failed; releases h. */
int hash_final(struct hash_sha256 *h, unsigned char out[HASH_SHA256_LEN]);
int hash_final_hex(struct hash_sha256 *h, char hex[HASH_HEX_SIZE]);
void hash_release(struct hash_sha256 *h);

/* One-shot over a buffer.  Returns 0, or -1 if OpenSSL failed. */
int hash_sha256(const void *data, size_t len, unsigned char out[HASH_SHA256_LEN]);
int hash_sha256_hex(const void *data, size_t len, char hex[HASH_HEX_SIZE]);

/* Lowercase hex of a digest. */
void hash_to_hex(const unsigned char d[HASH_SHA256_LEN], char hex[HASH_HEX_SIZE]);

/* SHA-256 and length of a regular file, read once in chunks: a FIFO, a
 * device or a directory is refused without being read, and so is a file
 * larger than max_bytes (also one that grows past it while being read).
 * Returns 0, or -1 with a message naming path in err. */
int hash_file_sha256(const char *path, size_t max_bytes, char hex[HASH_HEX_SIZE], long long *size,
		     struct zj_error *err);

#endif
