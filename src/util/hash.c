#include "util/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "util/i18n.h"

int hash_init(struct hash_sha256 *h)
{
	h->failed = 0;
	h->md = EVP_MD_CTX_new();
	if (!h->md || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1) {
		hash_release(h);
		return -1;
	}
	return 0;
}

void hash_update(struct hash_sha256 *h, const void *data, size_t len)
{
	if (!h->md || h->failed)
		return;
	if (len && EVP_DigestUpdate(h->md, data, len) != 1)
		h->failed = 1;
}

int hash_final(struct hash_sha256 *h, unsigned char out[HASH_SHA256_LEN])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	int ok = h->md && !h->failed && EVP_DigestFinal_ex(h->md, d, &dl) == 1 && dl == HASH_SHA256_LEN;

	hash_release(h);
	if (!ok)
		return -1;
	memcpy(out, d, HASH_SHA256_LEN);
	return 0;
}

int hash_final_hex(struct hash_sha256 *h, char hex[HASH_HEX_SIZE])
{
	unsigned char d[HASH_SHA256_LEN];

	if (hash_final(h, d) < 0)
		return -1;
	hash_to_hex(d, hex);
	return 0;
}

void hash_release(struct hash_sha256 *h)
{
	EVP_MD_CTX_free(h->md);
	h->md = NULL;
}

int hash_sha256(const void *data, size_t len, unsigned char out[HASH_SHA256_LEN])
{
	struct hash_sha256 h;

	if (hash_init(&h) < 0)
		return -1;
	hash_update(&h, data, len);
	return hash_final(&h, out);
}

int hash_sha256_hex(const void *data, size_t len, char hex[HASH_HEX_SIZE])
{
	unsigned char d[HASH_SHA256_LEN];

	if (hash_sha256(data, len, d) < 0)
		return -1;
	hash_to_hex(d, hex);
	return 0;
}

void hash_to_hex(const unsigned char d[HASH_SHA256_LEN], char hex[HASH_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < HASH_SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[2 * HASH_SHA256_LEN] = '\0';
}

int hash_file_sha256(const char *path, size_t max_bytes, char hex[HASH_HEX_SIZE], long long *size,
		     struct zj_error *err)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer before
	 * fstat can refuse it. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	unsigned char buf[1 << 16];
	struct hash_sha256 h;
	struct stat st;
	size_t total = 0;
	int rc = -1;

	*size = 0;
	if (fd < 0)
		return zj_err(err, _("cannot read '%s': %s"), path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return zj_err(err, _("'%s' is not a regular file"), path);
	}
	if ((unsigned long long)st.st_size > max_bytes) {
		close(fd);
		return zj_err(err, _("'%s' is larger than the limit of %zu bytes"), path, max_bytes);
	}
	if (hash_init(&h) < 0) {
		close(fd);
		return zj_err(err, "%s", _("SHA-256 failed"));
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			zj_err(err, _("cannot read '%s': %s"), path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		/* The file may grow after fstat: the bound holds for what is
		 * read, not for what fstat said. */
		if ((size_t)n > max_bytes - total) {
			zj_err(err, _("'%s' is larger than the limit of %zu bytes"), path, max_bytes);
			goto out;
		}
		total += (size_t)n;
		hash_update(&h, buf, (size_t)n);
	}
	if (hash_final_hex(&h, hex) < 0) {
		zj_err(err, "%s", _("SHA-256 failed"));
		goto out;
	}
	*size = (long long)total;
	rc = 0;
out:
	hash_release(&h);
	close(fd);
	return rc;
}
