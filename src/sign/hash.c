#include "sign/hash.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>

#include "util/i18n.h"
#include "util/sha256.h"

int hash_file_sha256(const char *path, char hex[65], long long *size, struct zj_error *err)
{
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *ctx;
	unsigned char buf[1 << 16], d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	size_t n;
	int ok;

	if (!f)
		return zj_err(err, _("cannot read '%s': %s"), path, strerror(errno));
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	*size = 0;
	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		ok = EVP_DigestUpdate(ctx, buf, n);
		*size += (long long)n;
	}
	if (ferror(f)) {
		fclose(f);
		EVP_MD_CTX_free(ctx);
		return zj_err(err, _("cannot read '%s': %s"), path, strerror(errno));
	}
	fclose(f);
	ok = ok && EVP_DigestFinal_ex(ctx, d, &dl) && dl == 32;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return zj_err(err, "%s", _("SHA-256 failed"));
	sha256_to_hex(d, hex);
	return 0;
}
