/*
 * libFuzzer target: the checklist and rules loader — the .zjc parser, its
 * cross-checks, and the compilation of every rule condition under the
 * authorizer.  A rules file may only read its inventory: nothing it says
 * may crash the loader or get past the guard.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/checklist.h"
#include "core/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zj_error err;
	struct checklist *cl = checklist_parse("fuzz.zjc", (const char *)data, size, &err);

	if (cl) {
		rules_validate(cl, NULL, &err);
		checklist_free(cl);
	}
	return 0;
}
