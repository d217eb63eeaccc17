/* Unit tests: util/hash, SHA-256 known answers (FIPS 180-2, appendix B) and
 * the bounded file hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/hash.h"

static const char empty_hex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
static const char abc_hex[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char m448_hex[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
static const char million_a_hex[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

static char dir[] = "/tmp/zj-test-hash-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void one_shot_known_answers(void **state)
{
	char hex[HASH_HEX_SIZE];
	unsigned char d[HASH_SHA256_LEN];

	(void)state;
	assert_int_equal(hash_sha256_hex("", 0, hex), 0);
	assert_string_equal(hex, empty_hex);
	assert_int_equal(hash_sha256_hex("abc", 3, hex), 0);
	assert_string_equal(hex, abc_hex);
	assert_int_equal(strlen(m448) * 8, 448);
	assert_int_equal(hash_sha256_hex(m448, strlen(m448), hex), 0);
	assert_string_equal(hex, m448_hex);
	/* The raw digest and its hex agree. */
	assert_int_equal(hash_sha256("abc", 3, d), 0);
	assert_int_equal(d[0], 0xba);
	assert_int_equal(d[31], 0xad);
	hash_to_hex(d, hex);
	assert_string_equal(hex, abc_hex);
}

static void million_a_in_uneven_pieces(void **state)
{
	static char a[1000000];
	struct hash_sha256 h;
	char hex[HASH_HEX_SIZE];
	size_t done = 0, step = 1;

	(void)state;
	memset(a, 'a', sizeof(a));
	assert_int_equal(hash_sha256_hex(a, sizeof(a), hex), 0);
	assert_string_equal(hex, million_a_hex);
	/* Streamed in pieces that straddle every block boundary. */
	assert_int_equal(hash_init(&h), 0);
	while (done < sizeof(a)) {
		size_t n = step < sizeof(a) - done ? step : sizeof(a) - done;

		hash_update(&h, a + done, n);
		done += n;
		step = step * 7 % 1021 + 1;
	}
	hash_update(&h, a, 0);
	assert_int_equal(hash_final_hex(&h, hex), 0);
	assert_string_equal(hex, million_a_hex);
	assert_null(h.md);	/* final released the context */
	hash_release(&h);	/* and releasing again is harmless */
}

static void streaming_equals_one_shot(void **state)
{
	struct hash_sha256 h;
	char one[HASH_HEX_SIZE], two[HASH_HEX_SIZE];

	(void)state;
	assert_int_equal(hash_init(&h), 0);
	hash_update(&h, "a", 1);
	hash_update(&h, "bc", 2);
	assert_int_equal(hash_final_hex(&h, one), 0);
	assert_string_equal(one, abc_hex);
	/* An abandoned context leaves nothing behind (ASan would see it). */
	assert_int_equal(hash_init(&h), 0);
	hash_update(&h, "x", 1);
	hash_release(&h);
	assert_int_equal(hash_sha256_hex("ab", 2, two), 0);
	assert_string_not_equal(one, two);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void file_hash_and_size(void **state)
{
	char path[128], hex[HASH_HEX_SIZE];
	struct zj_error err = { { 0 } };
	long long size = -1;

	(void)state;
	snprintf(path, sizeof(path), "%s/abc.txt", dir);
	write_file(path, "abc", 3);
	assert_int_equal(hash_file_sha256(path, 1024, hex, &size, &err), 0);
	assert_string_equal(hex, abc_hex);
	assert_int_equal(size, 3);
	/* Exactly at the bound is allowed. */
	assert_int_equal(hash_file_sha256(path, 3, hex, &size, &err), 0);

	snprintf(path, sizeof(path), "%s/empty", dir);
	write_file(path, "", 0);
	assert_int_equal(hash_file_sha256(path, 1024, hex, &size, &err), 0);
	assert_string_equal(hex, empty_hex);
	assert_int_equal(size, 0);
}

static void file_hash_refuses(void **state)
{
	char path[128], hex[HASH_HEX_SIZE];
	struct zj_error err = { { 0 } };
	long long size = -1;

	(void)state;
	snprintf(path, sizeof(path), "%s/abc.txt", dir);
	write_file(path, "abc", 3);
	assert_int_equal(hash_file_sha256(path, 2, hex, &size, &err), -1);
	assert_non_null(strstr(err.msg, "larger than the limit of 2 bytes"));
	assert_non_null(strstr(err.msg, "abc.txt"));

	snprintf(path, sizeof(path), "%s/nosuch", dir);
	assert_int_equal(hash_file_sha256(path, 1024, hex, &size, &err), -1);
	assert_non_null(strstr(err.msg, "cannot read '"));
	assert_non_null(strstr(err.msg, "nosuch"));

	assert_int_equal(hash_file_sha256(dir, 1024, hex, &size, &err), -1);
	assert_non_null(strstr(err.msg, "is not a regular file"));

	/* A FIFO with no writer: refused at once, not waited on. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_int_equal(hash_file_sha256(path, 1024, hex, &size, &err), -1);
	alarm(0);
	assert_non_null(strstr(err.msg, "is not a regular file"));

	assert_int_equal(hash_file_sha256("/dev/null", 1024, hex, &size, &err), -1);
	assert_non_null(strstr(err.msg, "is not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_shot_known_answers),
		cmocka_unit_test(million_a_in_uneven_pieces),
		cmocka_unit_test(streaming_equals_one_shot),
		cmocka_unit_test(file_hash_and_size),
		cmocka_unit_test(file_hash_refuses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
