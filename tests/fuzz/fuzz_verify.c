/*
 * libFuzzer target: zhijian verify's decision on an uploaded file, short of
 * trust anchors — the signature found on the raw bytes (sign/sigbytes), the
 * coverage, gap and padding checks, the CMS parsing (OpenSSL's d2i on
 * hostile DER) and the digest.  The PDF reader runs only once a trusted key
 * is known to have signed every byte, so fuzz_pdf fuzzes it directly.
 * Invalid input must only give a verdict.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sign/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct verify_opts o = { .trust = NULL };
	struct verify_result r;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/zhijian-fuzz-verify-%d.pdf", (int)getpid());
	if (!(f = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	verify_file(path, &o, &r);
	return 0;
}
