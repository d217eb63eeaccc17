/*
 * libFuzzer target: the whole CSV import path — encoding detection, the
 * streaming reader, header mapping, every cell parser and the upsert —
 * into an in-memory workspace, for each inventory in turn.  Any crash,
 * sanitizer report or leak is a bug; invalid input must only give errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/import.h"
#include "core/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sqlite3 *db;
	static char path[64];
	struct import_result res;
	struct zj_error err;
	FILE *f;

	if (!db) {
		if (store_create(&db, ":memory:", &err) < 0)
			abort();
		snprintf(path, sizeof(path), "/tmp/zhijian-fuzz-csv-%d.csv", (int)getpid());
	}
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	for (int k = 0; k < INV_COUNT; k++) {
		struct import_opts o = {
			.path = path, .kind = (enum inv_kind)k, .encoding = CSVREAD_AUTO,
			.replace = size & 1, .on_error = quiet,
		};

		import_run(db, &o, &res, &err);
		import_result_release(&res);
	}
	return 0;
}
