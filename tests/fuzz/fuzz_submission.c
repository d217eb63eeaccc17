/*
 * libFuzzer target: the embedded-data reader.  A submission arrives inside
 * a report from another unit: submission_open_mem must refuse anything that
 * is not one, and read a real one without trusting its schema — and the
 * roll-up's own queries on it must hold up too.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/submission.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct submission *s = NULL;
	struct zj_error err;
	static const char *const queries[] = {
		"SELECT complete FROM assessment",
		"SELECT article, score, violated FROM articles",
		"SELECT count(*), sum(violated) FROM findings",
		"SELECT count(*) FROM submissions WHERE status = 'accepted'",
		"SELECT sum(violated), sum(units_violating) FROM received_articles",
	};

	if (submission_open_mem(&s, data, size, "fuzz.sqlite", &err) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(s->db, queries[i], -1, &st, NULL) != SQLITE_OK)
			continue;
		for (int n = 0; n < 1000 && sqlite3_step(st) == SQLITE_ROW; n++)
			;
		sqlite3_finalize(st);
	}
	submission_close(s);
	return 0;
}
