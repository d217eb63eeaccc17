/*
 * libFuzzer target: the PDF reader the verifier runs on uploaded files —
 * libqpdf with recovery off and its warnings taken as errors, the form's
 * field tree, the embedded-files name tree and the capped inflate of the
 * submission, what an incremental update would copy — and the raw-byte
 * checks of a signature (sign/sigbytes).  Invalid input must only give
 * errors: any crash, sanitizer report, leak or timeout is a bug.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sign/pdf.h"
#include "sign/sigbytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zj_error err;
	struct pdf *p;
	struct pdf_sig *sigs;
	struct pdf_update_base ub;
	unsigned char *file;
	long long br[4];
	size_t len, n, nf;

	if (sig_scan(data, size, br) && sig_gap(data, size, br, &file, &len) == SIG_GAP_OK) {
		sig_zero_tail(file, len / 2, len);
		free(file);
	}
	if (pdf_open_mem(&p, data, size, &err) < 0)
		return 0;
	if (pdf_embedded_file(p, "zhijian-submission.sqlite", &file, &len, &err) == 0)
		free(file);
	if (pdf_signatures(p, &sigs, &n, &nf, &err) == 0)
		pdf_sigs_free(sigs, n);
	if (pdf_update_base(p, &ub, &err) == 0)
		pdf_update_base_release(&ub);
	pdf_close(p);
	return 0;
}
