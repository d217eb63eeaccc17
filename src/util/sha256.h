/*
 * sha256.h: SHA-256 (FIPS 180-4) for identities and hash chains in core/.
 * core/ may not include OpenSSL (DESIGN.md), so the checklist's hash and the
 * audit chain use this; signatures in sign/ use OpenSSL.
 */
#ifndef ZJ_SHA256_H
#define ZJ_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* Lowercase hex of the digest of data, into hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[65]);
void sha256_to_hex(const unsigned char d[32], char hex[65]);

#endif
