/*
 * libFuzzer target: the embedded-data reader.  A submission arrives inside
 * a report from another unit: submission_open_mem must refuse anything that
 * is not one, or whose schema or values the format does not allow, and read
 * a real one into memory without trusting anything in it.  (fuzz_merge
 * takes the same input through the whole roll-up, with a structure-aware
 * mutator.)
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/submission.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct submission *s = NULL;
	struct zj_error err;

	if (submission_open_mem(&s, data, size, "fuzz.sqlite", &err) < 0)
		return 0;
	/* What was accepted is within the format's bounds. */
	if (!s->unit || !s->as_of || (s->total != -1 && (s->total < 0 || s->total > 100)) ||
	    s->items < 0 || s->answered + s->pending + s->open != s->items ||
	    s->below.units < 0 || s->below.units > SUBMISSION_COUNT_MAX)
		abort();
	for (size_t i = 0; i < s->narticles; i++)
		if (s->articles[i].below_violated > SUBMISSION_COUNT_MAX || s->articles[i].violated < 0)
			abort();
	submission_close(s);
	return 0;
}
