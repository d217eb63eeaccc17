/*
 * Unit tests for sign/pdf, the reader on libqpdf: what libharu writes (with
 * an attachment, compressed or not), incremental updates, cross-reference
 * and object streams built here by hand (read for signing, refused from
 * below), what an update copies, and hostile input: truncations, flipped
 * bytes, loops, bombs and nesting that must end in an error (libqpdf's
 * warnings count as errors), never in a crash, a hang or a leak.  And
 * sign/sigbytes, the raw-byte checks of a signature.
 */
#include <dirent.h>
#include <hpdf.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "sign/pdf.h"
#include "sign/sigbytes.h"
#include "util/strbuf.h"

static char tmpdir[PATH_MAX];
static char attach_path[PATH_MAX + 64];
static unsigned char attach_data[5000];

static int group_setup(void **state)
{
	const char *base = getenv("TMPDIR");
	FILE *f;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/zj_pdf_XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	/* Half text, half pseudo-random bytes: compressible and not. */
	for (size_t i = 0; i < sizeof(attach_data); i++)
		attach_data[i] = i < 2500 ? (unsigned char)("SQLite format 3"[i % 15]) :
			(unsigned char)((i * 2654435761u) >> 13);
	snprintf(attach_path, sizeof(attach_path), "%s/zhijian-submission.sqlite", tmpdir);
	if (!(f = fopen(attach_path, "wb")))
		return -1;
	fwrite(attach_data, 1, sizeof(attach_data), f);
	return fclose(f);
}

static int group_teardown(void **state)
{
	DIR *dir = opendir(tmpdir);
	struct dirent *de;
	char p[PATH_MAX + 256];

	(void)state;
	if (!dir)
		return -1;
	while ((de = readdir(dir)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		unlink(p);
	}
	closedir(dir);
	return rmdir(tmpdir);
}

static void hpdf_quiet(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	(void)e;
	(void)d;
	(void)u;
}

/* A three-page libharu document with the attachment; returns its bytes. */
static unsigned char *libharu_pdf(int compress, size_t *len)
{
	char path[PATH_MAX + 64];
	HPDF_Doc doc = HPDF_New(hpdf_quiet, NULL);
	HPDF_Font font;
	unsigned char *buf;
	FILE *f;
	long n;

	assert_non_null(doc);
	if (compress)
		HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
	font = HPDF_GetFont(doc, "Helvetica", NULL);
	for (int i = 0; i < 3; i++) {
		HPDF_Page pg = HPDF_AddPage(doc);

		HPDF_Page_BeginText(pg);
		HPDF_Page_SetFontAndSize(pg, font, 12);
		HPDF_Page_TextOut(pg, 50, 700, i == 0 ? "Hello first page" : "Another page");
		HPDF_Page_EndText(pg);
	}
	assert_non_null(HPDF_AttachFile(doc, attach_path));
	snprintf(path, sizeof(path), "%s/haru%d.pdf", tmpdir, compress);
	assert_int_equal(HPDF_SaveToFile(doc, path), HPDF_OK);
	HPDF_Free(doc);
	assert_non_null(f = fopen(path, "rb"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A PDF from object bodies (object i+1 is objs[i], lens[i] bytes long or
 * NUL-terminated when lens is NULL) with a correct xref. */
static void build_n(struct strbuf *sb, const char *const *objs, const size_t *lens, size_t n,
		    const char *trailer_extra)
{
	size_t *off = calloc(n + 1, sizeof(*off)), xref;

	sb_reset(sb);
	sb_adds(sb, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
	for (size_t i = 0; i < n; i++) {
		off[i] = sb->len;
		sb_addf(sb, "%zu 0 obj\n", i + 1);
		sb_add(sb, objs[i], lens ? lens[i] : strlen(objs[i]));
		sb_adds(sb, "\nendobj\n");
	}
	xref = sb->len;
	sb_addf(sb, "xref\n0 %zu\n0000000000 65535 f\r\n", n + 1);
	for (size_t i = 0; i < n; i++)
		sb_addf(sb, "%010zu 00000 n\r\n", off[i]);
	sb_addf(sb, "trailer\n<< /Size %zu /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n", n + 1,
		trailer_extra ? trailer_extra : "", xref);
	free(off);
}

static void build(struct strbuf *sb, const char *const *objs, size_t n, const char *trailer_extra)
{
	build_n(sb, objs, NULL, n, trailer_extra);
}

static void zdeflate(struct strbuf *sb, const unsigned char *data, size_t len)
{
	uLongf n = compressBound(len);
	unsigned char *out = malloc(n);

	assert_int_equal(compress2(out, &n, data, len, 9), Z_OK);
	sb_add(sb, (const char *)out, n);
	free(out);
}

/* Opens sb (which must outlive p) as a file from below. */
static struct pdf *open_sb(const struct strbuf *sb, struct zj_error *err)
{
	struct pdf *p = NULL;

	if (pdf_open_mem(&p, (const unsigned char *)sb->p, sb->len, err) < 0)
		return NULL;
	return p;
}

/* Writes sb to tmpdir/name and opens it as a file of one's own. */
static struct pdf *open_own_sb(const struct strbuf *sb, const char *name, struct zj_error *err)
{
	char path[PATH_MAX + 64];
	struct pdf *p = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(sb->p, 1, sb->len, f), sb->len);
	assert_int_equal(fclose(f), 0);
	if (pdf_open_own(&p, path, err) < 0)
		return NULL;
	return p;
}

static void check_attachment(struct pdf *p)
{
	struct zj_error err = { "" };
	unsigned char *data;
	size_t len;

	if (pdf_embedded_file(p, "zhijian-submission.sqlite", &data, &len, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(len, sizeof(attach_data));
	assert_memory_equal(data, attach_data, len);
	free(data);
	/* libharu records the whole path: that matches too. */
	assert_int_equal(pdf_embedded_file(p, attach_path, &data, &len, &err), 0);
	free(data);
	assert_int_equal(pdf_embedded_file(p, "other.sqlite", &data, &len, &err), PDF_NOT_FOUND);
	assert_null(data);
	assert_non_null(strstr(err.msg, "other.sqlite"));
	/* A suffix that is not a whole path component does not match. */
	assert_int_equal(pdf_embedded_file(p, "submission.sqlite", &data, &len, &err), PDF_NOT_FOUND);
}

static void reads_libharu(void **state)
{
	(void)state;
	for (int compress = 0; compress < 2; compress++) {
		struct zj_error err = { "" };
		size_t len;
		unsigned char *buf = libharu_pdf(compress, &len);
		struct pdf *p = NULL;
		struct pdf_sig *sigs;
		struct pdf_update_base ub;
		size_t n, nf;

		if (pdf_open_mem(&p, buf, len, &err) < 0)
			fail_msg("%s", err.msg);
		check_attachment(p);
		assert_int_equal(pdf_signatures(p, &sigs, &n, &nf, &err), 0);
		assert_int_equal(n, 0);
		assert_int_equal(nf, 0);
		pdf_sigs_free(sigs, n);
		if (pdf_update_base(p, &ub, &err) < 0)
			fail_msg("%s", err.msg);
		/* What an update copies: libqpdf's own writing of the entries. */
		assert_non_null(strstr(ub.catalog, " /Type /Catalog"));
		assert_non_null(strstr(ub.catalog, " /Pages "));
		assert_non_null(strstr(ub.page, " /Type /Page"));
		assert_null(strstr(ub.page, "/Annots"));
		assert_string_equal(ub.fields, "");
		assert_int_not_equal(ub.page_num, ub.cat_num);
		assert_true(ub.next_num > ub.page_num && ub.next_num > ub.cat_num);
		assert_true(ub.startxref > 0 && ub.startxref < len);
		assert_memory_equal(buf + ub.startxref, "xref", 4);
		pdf_update_base_release(&ub);
		pdf_close(p);
		free(buf);
	}
}

static void open_file_limits(void **state)
{
	struct zj_error err = { "" };
	char path[PATH_MAX + 64];
	struct pdf *p = NULL;
	size_t len;
	unsigned char *buf = libharu_pdf(1, &len);

	(void)state;
	free(buf);
	snprintf(path, sizeof(path), "%s/haru1.pdf", tmpdir);
	if (pdf_open_file(&p, path, 0, &err) < 0)
		fail_msg("%s", err.msg);
	check_attachment(p);
	pdf_close(p);
	assert_int_equal(pdf_open_file(&p, path, 100, &err), -1);
	assert_null(p);
	assert_non_null(strstr(err.msg, "larger than the limit of 100 bytes"));
	assert_int_equal(pdf_open_file(&p, tmpdir, 0, &err), -1);
	assert_non_null(strstr(err.msg, "not a regular file"));
	snprintf(path, sizeof(path), "%s/missing.pdf", tmpdir);
	assert_int_equal(pdf_open_file(&p, path, 0, &err), -1);
	assert_non_null(strstr(err.msg, "cannot open"));
}

/* An update appended to a libharu file: a new Info object and a new object. */
static void incremental_update(void **state)
{
	struct zj_error err = { "" };
	struct strbuf sb = { 0 };
	size_t len, o3, o99, xref, prev;
	unsigned char *buf = libharu_pdf(0, &len);
	struct pdf *p = NULL;
	struct pdf_update_base ub;
	unsigned num;

	(void)state;
	assert_int_equal(pdf_open_mem(&p, buf, len, &err), 0);
	assert_int_equal(pdf_update_base(p, &ub, &err), 0);
	prev = ub.startxref;
	assert_non_null(ub.info);
	assert_int_equal(sscanf(ub.info, "%u 0 R", &num), 1);
	pdf_update_base_release(&ub);
	pdf_close(p);
	sb_add(&sb, (const char *)buf, len);
	o3 = sb.len;
	sb_addf(&sb, "%u 0 obj\n<< /Producer (Updated \\(twice\\)) >>\nendobj\n", num);
	o99 = sb.len;
	sb_adds(&sb, "99 0 obj\n[1 2.5 -3 /N#20ame (x) <414>]\nendobj\n");
	xref = sb.len;
	sb_addf(&sb, "xref\n%u 1\n%010zu 00000 n\r\n99 1\n%010zu 00000 n\r\n"
		"trailer\n<< /Size 100 /Root 1 0 R /Info %u 0 R /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
		num, o3, o99, num, prev, xref);
	if (!(p = open_sb(&sb, &err)))
		fail_msg("%s", err.msg);
	assert_int_equal(pdf_update_base(p, &ub, &err), 0);
	assert_int_equal(ub.startxref, xref);
	assert_int_equal(ub.next_num, 100);
	pdf_update_base_release(&ub);
	check_attachment(p);
	pdf_close(p);
	sb_release(&sb);
	free(buf);
}

/* Objects 2..5 inside an object stream, indexed by a cross-reference stream
 * with the PNG Up predictor, as qpdf --object-streams=generate writes: read
 * for signing, refused from below without decoding anything. */
static void xref_and_object_streams(void **state)
{
	static const char *const inner[] = {
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
		"<< /EmbeddedFiles 5 0 R >>",
		"<< /Names [(a.txt) << /Type /Filespec /F (a.txt) /UF <FEFF0061002E007400780074> /EF << /F 7 0 R >> >>] >>",
	};
	struct zj_error err = { "" };
	struct strbuf sb = { 0 }, hdr = { 0 }, body = { 0 }, rows = { 0 };
	size_t off1, off6, off7, off8;
	unsigned char raw[9][5], prev[4] = { 0 };
	struct pdf *p;
	unsigned char *data;
	size_t len;
	struct pdf_update_base ub;

	(void)state;
	for (int i = 0; i < 4; i++) {
		sb_addf(&hdr, "%d %zu ", i + 2, body.len);
		sb_addf(&body, "%s\n", inner[i]);
	}
	sb_adds(&sb, "%PDF-1.5\n");
	off1 = sb.len;
	sb_adds(&sb, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Names 4 0 R >>\nendobj\n");
	off6 = sb.len;
	{
		struct strbuf plain = { 0 }, z = { 0 };

		sb_add(&plain, hdr.p, hdr.len);
		sb_add(&plain, body.p, body.len);
		zdeflate(&z, (unsigned char *)plain.p, plain.len);
		sb_addf(&sb, "6 0 obj\n<< /Type /ObjStm /N 4 /First %zu /Filter /FlateDecode /Length %zu >>\nstream\n",
			hdr.len, z.len);
		sb_add(&sb, z.p, z.len);
		sb_adds(&sb, "\nendstream\nendobj\n");
		sb_release(&plain);
		sb_release(&z);
	}
	off7 = sb.len;
	sb_adds(&sb, "7 0 obj\n<< /Length 5 /Type /EmbeddedFile >>\nstream\nhello\nendstream\nendobj\n");
	off8 = sb.len;
	/* Rows: type, offset (2 bytes), index; object 0 free. */
	{
		unsigned rowsv[9][4] = {
			{ 0, 0, 0, 0 }, { 1, 0, 0, 0 }, { 2, 0, 6, 0 }, { 2, 0, 6, 1 }, { 2, 0, 6, 2 },
			{ 2, 0, 6, 3 }, { 1, 0, 0, 0 }, { 1, 0, 0, 0 }, { 1, 0, 0, 0 },
		};
		size_t offs[9] = { 0, off1, 0, 0, 0, 0, off6, off7, off8 };

		for (int r = 0; r < 9; r++) {
			unsigned char cur[4] = { (unsigned char)rowsv[r][0], 0, 0, 0 };

			if (rowsv[r][0] == 2) {
				cur[1] = 0;
				cur[2] = (unsigned char)rowsv[r][2];
				cur[3] = (unsigned char)rowsv[r][3];
			} else if (rowsv[r][0] == 1) {
				cur[1] = (unsigned char)(offs[r] >> 8);
				cur[2] = (unsigned char)offs[r];
			}
			raw[r][0] = 2;	/* PNG Up */
			for (int c = 0; c < 4; c++) {
				raw[r][c + 1] = (unsigned char)(cur[c] - prev[c]);
				prev[c] = cur[c];
			}
		}
		zdeflate(&rows, &raw[0][0], sizeof(raw));
	}
	sb_addf(&sb, "8 0 obj\n<< /Type /XRef /Size 9 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode "
		"/DecodeParms << /Predictor 12 /Columns 4 >> /Length %zu >>\nstream\n", rows.len);
	sb_add(&sb, rows.p, rows.len);
	sb_addf(&sb, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", off8);
	/* From below: refused, and said why. */
	assert_null(open_sb(&sb, &err));
	assert_non_null(strstr(err.msg, "a cross-reference stream; a file from below must use cross-reference tables"));
	/* One's own: read. */
	if (!(p = open_own_sb(&sb, "xs.pdf", &err)))
		fail_msg("%s", err.msg);
	if (pdf_embedded_file(p, "a.txt", &data, &len, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "hello", 5);
	free(data);
	if (pdf_update_base(p, &ub, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(ub.page_num, 3);
	assert_int_equal(ub.cat_num, 1);
	assert_int_equal(ub.next_num, 9);
	assert_int_equal(ub.startxref, off8);
	pdf_update_base_release(&ub);
	pdf_close(p);
	sb_release(&sb);
	sb_release(&hdr);
	sb_release(&body);
	sb_release(&rows);
}

/* An object stream that inflates to 256 MiB in a file of a few hundred
 * kilobytes: from below, it is never decoded (libqpdf 11 would, whole). */
static void object_stream_bomb(void **state)
{
	struct zj_error err = { "" };
	struct strbuf sb = { 0 }, z = { 0 }, rows = { 0 };
	size_t big = (size_t)256 << 20, off1, off3, off4;
	unsigned char *plain = malloc(big);
	unsigned char raw[5][6];
	struct pdf *p;

	(void)state;
	assert_non_null(plain);
	memset(plain, ' ', big);
	memcpy(plain, "2 0 ", 4);
	memcpy(plain + big - 40, "<< /Type /Pages /Kids [] /Count 0 >>", 36);
	zdeflate(&z, plain, big);
	free(plain);
	sb_adds(&sb, "%PDF-1.5\n");
	off1 = sb.len;
	sb_adds(&sb, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off3 = sb.len;
	sb_addf(&sb, "3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %zu >>\nstream\n", z.len);
	sb_add(&sb, z.p, z.len);
	sb_adds(&sb, "\nendstream\nendobj\n");
	off4 = sb.len;
	{
		size_t f2[5] = { 0, off1, 3, off3, off4 };
		unsigned t[5] = { 0, 1, 2, 1, 1 };

		for (int r = 0; r < 5; r++) {
			raw[r][0] = (unsigned char)t[r];
			for (int k = 0; k < 4; k++)
				raw[r][1 + k] = (unsigned char)(f2[r] >> (24 - 8 * k));
			raw[r][5] = r == 0 ? 255 : 0;
		}
		zdeflate(&rows, &raw[0][0], sizeof(raw));
	}
	sb_addf(&sb, "4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /Length %zu >>\nstream\n",
		rows.len);
	sb_add(&sb, rows.p, rows.len);
	sb_addf(&sb, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", off4);
	assert_true(sb.len < (size_t)1 << 20);
	p = open_sb(&sb, &err);
	assert_null(p);
	assert_non_null(strstr(err.msg, "cross-reference stream"));
	sb_release(&sb);
	sb_release(&z);
	sb_release(&rows);
}

static void signature_fields(void **state)
{
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 6 0 R] /SigFlags 3 /DA (x) >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Annots [4 0 R] >>",
		"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig1) /V 5 0 R /Rect [0 0 0 0] /P 3 0 R >>",
		("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached"
		 " /ByteRange [0 10 20 30] /Contents <3082ABCD0000> /M (D:20260630120000+08'00') >>"),
		"<< /FT /Tx /T (text) >>",
	};
	struct zj_error err = { "" };
	struct strbuf sb = { 0 };
	struct pdf_sig *sigs;
	struct pdf_update_base ub;
	size_t n, nf;
	struct pdf *p;

	(void)state;
	build(&sb, objs, 6, NULL);
	if (!(p = open_sb(&sb, &err)))
		fail_msg("%s", err.msg);
	if (pdf_signatures(p, &sigs, &n, &nf, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 1);
	assert_int_equal(nf, 2);
	assert_string_equal(sigs[0].name, "Sig1");
	assert_int_equal(sigs[0].field_num, 4);
	assert_true(sigs[0].has_range);
	assert_int_equal(sigs[0].range[3], 30);
	assert_int_equal(sigs[0].contents_len, 6);
	assert_memory_equal(sigs[0].contents, "\x30\x82\xAB\xCD\x00\x00", 6);
	assert_string_equal(sigs[0].subfilter, "ETSI.CAdES.detached");
	assert_string_equal(sigs[0].m, "D:20260630120000+08'00'");
	pdf_sigs_free(sigs, n);
	/* What an update copies, written by libqpdf, without the keys it
	 * replaces. */
	if (pdf_update_base(p, &ub, &err) < 0)
		fail_msg("%s", err.msg);
	assert_null(strstr(ub.catalog, "AcroForm"));
	assert_non_null(strstr(ub.catalog, "/Pages 2 0 R"));
	assert_string_equal(ub.form, " /DA (x)");
	assert_string_equal(ub.fields, "4 0 R 6 0 R ");
	assert_string_equal(ub.annots, "4 0 R ");
	assert_null(strstr(ub.page, "Annots"));
	assert_int_equal(ub.nfields, 2);
	assert_int_equal(ub.next_num, 7);
	pdf_update_base_release(&ub);
	pdf_close(p);
	sb_release(&sb);
}

/* Every prefix of a real file: an error or a good read, never a crash. */
static void truncations(void **state)
{
	size_t len;
	unsigned char *buf = libharu_pdf(1, &len);
	size_t ok = 0;

	(void)state;
	for (size_t cut = 0; cut < len; cut += 3) {
		struct zj_error err = { "" };
		struct pdf *p = NULL;

		if (pdf_open_mem(&p, buf, cut, &err) == 0) {
			unsigned char *data;
			size_t dlen;

			ok++;
			if (pdf_embedded_file(p, "zhijian-submission.sqlite", &data, &dlen, &err) == 0)
				free(data);
			pdf_close(p);
		} else {
			assert_null(p);
			assert_true(err.msg[0] != '\0');
		}
	}
	/* Only cuts in the last few bytes after startxref's number can read. */
	assert_true(ok < 10);
	free(buf);
}

static void exercise(const unsigned char *buf, size_t len)
{
	struct zj_error err = { "" };
	struct pdf *p = NULL;
	unsigned char *data;
	size_t dlen, n, nf;
	struct pdf_sig *sigs;
	struct pdf_update_base ub;

	if (pdf_open_mem(&p, buf, len, &err) < 0)
		return;
	if (pdf_embedded_file(p, "zhijian-submission.sqlite", &data, &dlen, &err) == 0)
		free(data);
	if (pdf_signatures(p, &sigs, &n, &nf, &err) == 0)
		pdf_sigs_free(sigs, n);
	if (pdf_update_base(p, &ub, &err) == 0)
		pdf_update_base_release(&ub);
	pdf_close(p);
}

static void flipped_bytes(void **state)
{
	for (int compress = 0; compress < 2; compress++) {
		size_t len;
		unsigned char *buf = libharu_pdf(compress, &len);

		(void)state;
		for (size_t i = 0; i < len; i += 7) {
			static const unsigned char vals[] = { 0, '0', '9', ' ', '/', '(', '<', '[', 0xff };

			for (size_t v = 0; v < sizeof(vals); v += 1 + (i & 1)) {
				unsigned char keep = buf[i];

				buf[i] = vals[v];
				exercise(buf, len);
				buf[i] = keep;
			}
		}
		free(buf);
	}
}

struct bad {
	const char *what;
	const char *objs[4];
	const char *trailer;
	const char *expect;	/* in the error of open or of the first failing step */
};

static void expect_failure(const struct bad *b)
{
	struct zj_error err = { "" };
	struct strbuf sb = { 0 };
	struct pdf *p;
	size_t n = 0;

	while (n < 4 && b->objs[n])
		n++;
	build(&sb, b->objs, n, b->trailer);
	p = open_sb(&sb, &err);
	if (p) {
		unsigned char *data = NULL;
		size_t dlen, ns, nf;
		struct pdf_sig *sigs;
		struct pdf_update_base ub;
		int rc = pdf_embedded_file(p, "x", &data, &dlen, &err);

		if (rc == 0 || rc == PDF_NOT_FOUND) {
			free(data);
			rc = pdf_signatures(p, &sigs, &ns, &nf, &err);
			if (rc == 0)
				pdf_sigs_free(sigs, ns);
		}
		if (rc == 0) {
			rc = pdf_update_base(p, &ub, &err);
			if (rc == 0)
				pdf_update_base_release(&ub);
		}
		if (rc == 0)
			fail_msg("%s: no error", b->what);
		pdf_close(p);
	}
	if (!strstr(err.msg, b->expect))
		fail_msg("%s: error '%s' lacks '%s'", b->what, err.msg, b->expect);
	sb_release(&sb);
}

static void hostile_structures(void **state)
{
	static char deep[4000];
	static const struct bad bads[] = {
		{ "deep nesting", { deep }, NULL, "deeply nested" },
		{ "self-referencing /Length",
		  { "<< /Type /Catalog /Pages 2 0 R >>", "<< /Length 2 0 R >>\nstream\nxx\nendstream" },
		  NULL, "loop detected" },
		{ "reference loop", { "<< /Type /Catalog /Pages 2 0 R >>", "3 0 R", "2 0 R" }, NULL,
		  "expected endobj" },
		{ "page tree loop", { "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] >>" },
		  NULL, "Loop detected in /Pages" },
		{ "names loop", { "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 2 0 R >> >>",
				  "<< /Kids [2 0 R] >>" }, NULL, "embedded files tree" },
		{ "field loop", { "<< /Pages 3 0 R /AcroForm << /Fields [2 0 R] >> >>",
				  "<< /T (a) /Kids [2 0 R] >>", "<< /Type /Pages /Kids [4 0 R] >>",
				  "<< /Type /Page >>" }, NULL, "field tree" },
		{ "duplicate key", { "<< /Type /Catalog /Pages 2 0 R /Pages 3 0 R >>" }, NULL, "duplicated key" },
		{ "length past the end", { "<< /Type /Catalog /Pages 2 0 R >>",
					   "<< /Length 99999 >>\nstream\nxx\nendstream" }, NULL, "endstream" },
		{ "wrong length", { "<< /Type /Catalog /Pages 2 0 R >>", "<< /Length 1 >>\nstream\nxx\nendstream" },
		  NULL, "endstream" },
		{ "two /Root in the trailer", { "<< >>" }, "/Root 5", "duplicated key" },
		{ "unterminated string", { "<< /Type /Catalog /Pages (abc >>" }, NULL, "" },
		{ "huge number", { "<< /Type /Catalog /Pages 99999999999999999999999 >>" }, NULL, "" },
		{ "unsupported filter", { "<< /Type /Catalog /Pages 4 0 R /Names << /EmbeddedFiles 2 0 R >> >>",
					  "<< /Names [(x) << /EF << /F 3 0 R >> >>] >>",
					  "<< /Length 2 /Filter /LZWDecode >>\nstream\nxx\nendstream" },
		  NULL, "/LZWDecode is not accepted" },
		{ "a predictor", { "<< /Type /Catalog /Pages 4 0 R /Names << /EmbeddedFiles 2 0 R >> >>",
				   "<< /Names [(x) << /EF << /F 3 0 R >> >>] >>",
				   "<< /Length 2 /Filter /FlateDecode /DecodeParms << /Predictor 12 >> >>\nstream\nxx\nendstream" },
		  NULL, "/DecodeParms are not accepted" },
		{ "corrupt flate", { "<< /Type /Catalog /Pages 4 0 R /Names << /EmbeddedFiles 2 0 R >> >>",
				     "<< /Names [(x) << /EF << /F 3 0 R >> >>] >>",
				     "<< /Length 4 /Filter /FlateDecode >>\nstream\nabcd\nendstream" },
		  NULL, "corrupt" },
		{ "two attachments of one name", { "<< /Type /Catalog /Pages 4 0 R /Names << /EmbeddedFiles 2 0 R >> >>",
						   "<< /Names [(x) << /EF << /F 3 0 R >> >> (y) << /F (x) /EF << /F 3 0 R >> >>] >>",
						   "<< /Length 2 >>\nstream\nxx\nendstream" },
		  NULL, "more than one embedded file is named 'x'" },
		{ "no /Root", { "<< /Type /Catalog >>" }, "/Root null", "" },
	};

	(void)state;
	memcpy(deep, "<< /Type /Catalog /X ", 21);
	for (size_t i = 0; i < 1000; i++) {
		deep[21 + i] = '[';
		deep[2021 + i] = ']';
	}
	memset(deep + 1021, ' ', 1000);
	memcpy(deep + 3021, " >>", 4);
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
		expect_failure(&bads[i]);
}

static void hostile_sections(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct zj_error err = { "" };
		struct strbuf sb = { 0 };
		struct pdf *p = NULL;
		size_t at;

		sb_adds(&sb, "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
		at = sb.len;
		sb_adds(&sb, "xref\n");
		if (i == 0)	/* a /Prev that points back at its own section */
			sb_addf(&sb, "0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 1 /Root 1 0 R /Prev %zu >>\n"
				"startxref\n%zu\n%%%%EOF\n", at, at);
		else if (i == 1)	/* a subsection claiming two billion entries */
			sb_addf(&sb, "0 2147483647\n0000000000 65535 f\r\ntrailer\n<< /Root 1 0 R >>\n"
				"startxref\n%zu\n%%%%EOF\n", at);
		else	/* startxref beyond the end */
			sb_addf(&sb, "0 1\n0000000000 65535 f\r\ntrailer\n<< /Root 1 0 R >>\n"
				"startxref\n99999999%zu\n%%%%EOF\n", at);
		if (pdf_open_mem(&p, (unsigned char *)sb.p, sb.len, &err) == 0) {
			struct pdf_update_base ub;

			assert_int_equal(pdf_update_base(p, &ub, &err), -1);
			pdf_close(p);
		}
		assert_true(err.msg[0] != '\0');
		sb_release(&sb);
	}
	{
		struct zj_error err = { "" };
		struct pdf *p = NULL;

		assert_int_equal(pdf_open_mem(&p, (const unsigned char *)"hello", 5, &err), -1);
		assert_non_null(strstr(err.msg, "not a PDF"));
		assert_int_equal(pdf_open_mem(&p, (const unsigned char *)"", 0, &err), -1);
	}
}

/* Many name-tree nodes sharing one big /Names array: each node is visited
 * once, but the entries looked at grow as nodes × entries; the walk stops
 * at a bound. */
static void shared_arrays(void **state)
{
	enum { NODES = 300, ENTRIES = 4000 };
	struct zj_error err = { "" };
	struct strbuf arr = { 0 }, kids = { 0 }, sb = { 0 };
	const char **objs = calloc(NODES + 4, sizeof(*objs));
	char **own = calloc(NODES, sizeof(*own));
	struct pdf *p;
	unsigned char *data;
	size_t len;

	(void)state;
	objs[0] = "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>";
	objs[1] = "<< /Type /Pages /Kids [] /Count 0 >>";
	sb_adds(&kids, "<< /Kids [");
	for (int i = 0; i < NODES; i++) {
		sb_addf(&kids, "%d 0 R ", i + 5);
		own[i] = strdup("<< /Names 4 0 R >>");
		objs[i + 4] = own[i];
	}
	sb_adds(&kids, "] >>");
	objs[2] = kids.p;
	sb_adds(&arr, "[");
	for (int i = 0; i < ENTRIES; i++)
		sb_adds(&arr, "(n) 1 ");
	sb_adds(&arr, "]");
	objs[3] = arr.p;
	build(&sb, objs, NODES + 4, NULL);
	if (!(p = open_sb(&sb, &err)))
		fail_msg("%s", err.msg);
	assert_int_equal(pdf_embedded_file(p, "x", &data, &len, &err), -1);
	assert_non_null(strstr(err.msg, "too large for the file"));
	pdf_close(p);
	for (int i = 0; i < NODES; i++)
		free(own[i]);
	free(own);
	free(objs);
	sb_release(&arr);
	sb_release(&kids);
	sb_release(&sb);
}

/* 64 MiB of zeros in a few kilobytes: the embedded file's inflate stops at
 * its cap. */
static void flate_bomb(void **state)
{
	struct zj_error err = { "" };
	struct strbuf sb = { 0 }, z = { 0 };
	size_t big = (size_t)64 << 20;
	unsigned char *zeros = calloc(big, 1);
	char obj3[128];
	const char *objs[3] = {
		"<< /Type /Catalog /Pages 4 0 R /Names << /EmbeddedFiles 2 0 R >> >>",
		"<< /Names [(bomb) << /EF << /F 3 0 R >> >>] >>",
		obj3,
	};
	struct pdf *p;
	unsigned char *data;
	size_t len;

	(void)state;
	assert_non_null(zeros);
	zdeflate(&z, zeros, big);
	free(zeros);
	assert_true(z.len < 100000);
	snprintf(obj3, sizeof(obj3), "<< /Length %zu /Filter /FlateDecode >>\nstream\n", z.len);
	{
		struct strbuf body = { 0 };
		size_t lens[3];

		sb_adds(&body, obj3);
		sb_add(&body, z.p, z.len);
		sb_adds(&body, "\nendstream");
		lens[0] = strlen(objs[0]);
		lens[1] = strlen(objs[1]);
		lens[2] = body.len;
		objs[2] = body.p;
		build_n(&sb, objs, lens, 3, NULL);
		sb_release(&body);
	}
	if (!(p = open_sb(&sb, &err)))
		fail_msg("%s", err.msg);
	assert_int_equal(pdf_embedded_file(p, "bomb", &data, &len, &err), -1);
	assert_non_null(strstr(err.msg, "decodes to more than"));
	pdf_close(p);
	sb_release(&sb);
	sb_release(&z);
}

/* sigbytes: the signature found on the bytes, its gap, its padding. */
static void raw_signature_bytes(void **state)
{
	static const char file[] =
		"%PDF-1.7\n/ByteRange [0 40 50 9]\n"	/* an earlier one, reaching less far */
		"/ByteRange [0 60 70 10] /Contents <3002ABCD00>\n"
		"/ByteRange[0 60 70 99999999999999]\n";	/* 14 digits: not a number here */
	long long br[4] = { 0 }, gap[4] = { 0, 1, 9, 0 };
	unsigned char *der;
	size_t n;

	(void)state;
	assert_int_equal(sig_scan((const unsigned char *)file, sizeof(file) - 1, br), 1);
	assert_int_equal(br[1], 60);
	assert_int_equal(br[3], 10);
	assert_int_equal(sig_scan((const unsigned char *)"no signature", 12, br), 0);
	assert_int_equal(sig_gap((const unsigned char *)"x<3000AB>", 9, gap, &der, &n), SIG_GAP_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(der, "\x30\x00\xAB", 3);
	assert_int_equal(sig_zero_tail(der, 2, n), 0);
	assert_int_equal(sig_zero_tail(der, 3, n), 1);
	free(der);
	assert_int_equal(sig_gap((const unsigned char *)"x<3000 AB>", 10, (long long[]){ 0, 1, 10, 0 }, &der, &n),
			 SIG_GAP_NOT_HEX);
	assert_int_equal(sig_gap((const unsigned char *)"x<3000A>", 8, (long long[]){ 0, 1, 8, 0 }, &der, &n),
			 SIG_GAP_NOT_HEX);
	assert_int_equal(sig_gap((const unsigned char *)"x(3000AB)", 9, gap, &der, &n), SIG_GAP_NOT_STRING);
	assert_int_equal(sig_gap((const unsigned char *)"x<3000AB>", 8, gap, &der, &n), SIG_GAP_NOT_STRING);
	assert_null(der);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_libharu),
		cmocka_unit_test(open_file_limits),
		cmocka_unit_test(incremental_update),
		cmocka_unit_test(xref_and_object_streams),
		cmocka_unit_test(object_stream_bomb),
		cmocka_unit_test(signature_fields),
		cmocka_unit_test(truncations),
		cmocka_unit_test(flipped_bytes),
		cmocka_unit_test(hostile_structures),
		cmocka_unit_test(hostile_sections),
		cmocka_unit_test(flate_bomb),
		cmocka_unit_test(shared_arrays),
		cmocka_unit_test(raw_signature_bytes),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
