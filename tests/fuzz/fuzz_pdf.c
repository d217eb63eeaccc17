/*
 * libFuzzer target: the PDF reader the verifier runs on uploaded files —
 * cross-reference sections and their /Prev chain, object and xref streams,
 * FlateDecode with predictors, the page, name and field trees, the embedded
 * submission, and serialising what was read.  Invalid input must only give
 * errors: any crash, sanitizer report, leak or timeout is a bug.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sign/pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zj_error err;
	struct pdf *p;
	struct pdf_ref ref;
	const struct pdf_obj *page, *cat;
	struct pdf_sig *sigs;
	unsigned char *file;
	size_t len, n, nf;

	if (pdf_open_mem(&p, data, size, &err) < 0)
		return 0;
	if (pdf_embedded_file(p, "zhijian-submission.sqlite", &file, &len, &err) == 0)
		free(file);
	if (pdf_page(p, 0, &ref, &page, &err) == 0 && pdf_page(p, -1, &ref, &page, &err) == 0) {
		struct strbuf sb = { 0 };
		const struct pdf_obj *c = pdf_dget(p, page, "Contents", &err);

		pdf_write_obj(&sb, page);
		sb_release(&sb);
		if (c && c->type == PDF_STREAM && pdf_stream_decode(p, c, 1 << 20, &file, &len, &err) == 0)
			free(file);
	}
	if (pdf_signatures(p, &sigs, &n, &nf, &err) == 0) {
		for (size_t i = 0; i < n; i++) {
			char *t = pdf_text(pdf_dict_raw(sigs[i].v, "Name"));

			free(t);
		}
		pdf_sigs_free(sigs, n);
	}
	if ((cat = pdf_catalog(p, NULL, &err)) != NULL) {
		struct strbuf sb = { 0 };

		sb_adds(&sb, "<<");
		pdf_write_entries(&sb, cat, NULL);
		sb_release(&sb);
	}
	pdf_close(p);
	return 0;
}
