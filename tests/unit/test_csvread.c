/*
 * Unit tests for core/csvread.  Every test writes its input to a file in a
 * private mkdtemp directory, reads it back through the public API and
 * compares what comes out, line numbers and errors included.
 */
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
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

#include <cmocka.h>

#include "core/csvread.h"
#include "util/utf8.h"

static char tmpdir[PATH_MAX];
static char path[PATH_MAX + 256];

static int group_setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/zj_csvread_XXXXXX",
		 base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
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

/* Writes data to tmpdir/name; returns the path (valid until the next put). */
static const char *put(const char *name, const void *data, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static const char *puts_(const char *name, const char *text)
{
	return put(name, text, strlen(text));
}

/* UTF-8 to GB18030 with iconv; the result is malloc'd. */
static char *to_gb18030(const char *utf8, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t cap = len * 2 + 16, il = len, ol = cap;
	char *in = malloc(len + 1), *out = malloc(cap), *ip = in, *op = out;

	assert_true(cd != (iconv_t)-1);
	assert_non_null(in);
	assert_non_null(out);
	memcpy(in, utf8, len);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	assert_int_equal(il, 0);
	iconv_close(cd);
	free(in);
	*outlen = cap - ol;
	return out;
}

/* Everything one reading gave: records (copied), then how it ended. */
struct rec {
	size_t n;
	char **f;
	size_t *len;
	enum csvread_field_error *err;
	long line;
	int partial;
};

struct result {
	size_t nrec;
	struct rec *recs;
	int rc;			/* 0 at the end of input, -1 on error */
	char msg[ZJ_ERROR_MAX];
	enum csvread_encoding enc;
	int bom;
	long long done, total;
};

static void read_all(const char *p, enum csvread_encoding enc,
		     struct result *res)
{
	struct csvread *r;
	struct csvread_record rec;
	struct zj_error err;
	size_t cap = 0, i;
	int rc;

	memset(res, 0, sizeof(*res));
	if (csvread_open(&r, p, enc, &err) < 0)
		fail_msg("open: %s", err.msg);
	res->enc = csvread_encoding(r);
	res->bom = csvread_had_bom(r);
	while ((rc = csvread_next(r, &rec, &err)) > 0) {
		struct rec *c;

		if (res->nrec == cap) {
			cap = cap ? cap * 2 : 16;
			res->recs = realloc(res->recs, cap * sizeof(*res->recs));
			assert_non_null(res->recs);
		}
		c = &res->recs[res->nrec++];
		c->n = rec.nfields;
		c->line = rec.line;
		c->partial = rec.partial;
		c->f = calloc(rec.nfields, sizeof(*c->f));
		c->len = calloc(rec.nfields, sizeof(*c->len));
		c->err = calloc(rec.nfields, sizeof(*c->err));
		assert_true(c->f && c->len && c->err);
		for (i = 0; i < rec.nfields; i++) {
			assert_int_equal(rec.fields[i][rec.lens[i]], '\0');
			c->f[i] = malloc(rec.lens[i] + 1);
			assert_non_null(c->f[i]);
			memcpy(c->f[i], rec.fields[i], rec.lens[i] + 1);
			c->len[i] = rec.lens[i];
			c->err[i] = rec.errs[i];
		}
	}
	res->rc = rc;
	if (rc < 0) {
		memcpy(res->msg, err.msg, sizeof(res->msg));
		print_message("# %s\n", err.msg);
	}
	res->done = csvread_bytes_done(r);
	res->total = csvread_bytes_total(r);
	csvread_close(r);
}

static void free_result(struct result *res)
{
	size_t i, j;

	for (i = 0; i < res->nrec; i++) {
		for (j = 0; j < res->recs[i].n; j++)
			free(res->recs[i].f[j]);
		free(res->recs[i].f);
		free(res->recs[i].len);
		free(res->recs[i].err);
	}
	free(res->recs);
}

/* Record k of res is on line `line` and holds the n given strings, all OK. */
static void expect_rec(const struct result *res, size_t k, long line,
		       size_t n, ...)
{
	const struct rec *c;
	va_list ap;
	size_t i;

	if (k >= res->nrec)
		fail_msg("record %zu missing (%zu read)", k, res->nrec);
	c = &res->recs[k];
	assert_int_equal(c->line, line);
	if (c->n != n)
		fail_msg("record %zu: %zu fields, expected %zu", k, c->n, n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		if (strcmp(c->f[i], want) || c->len[i] != strlen(want))
			fail_msg("record %zu field %zu: '%s', expected '%s'",
				 k, i, c->f[i], want);
		assert_int_equal(c->err[i], CSVREAD_FIELD_OK);
	}
	va_end(ap);
}

/* The reading failed with "PATH:LINE: reason". */
static void expect_error(const struct result *res, const char *p, long line,
			 const char *reason)
{
	char want[sizeof(path) + 256];

	assert_int_equal(res->rc, -1);
	snprintf(want, sizeof(want), "%s:%ld: %s", p, line, reason);
	assert_string_equal(res->msg, want);
}

static void test_utf8_basic(void **state)
{
	const char *p = puts_("basic.csv", "编号,名称\n1,政务服务\nA-2,掌上办 App\n");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.enc, CSVREAD_UTF8);
	assert_int_equal(res.bom, 0);
	assert_int_equal(res.nrec, 3);
	expect_rec(&res, 0, 1, 2, "编号", "名称");
	expect_rec(&res, 1, 2, 2, "1", "政务服务");
	expect_rec(&res, 2, 3, 2, "A-2", "掌上办 App");
	assert_int_equal(res.done, res.total);
	assert_int_equal(res.total, (long long)strlen("编号,名称\n1,政务服务\nA-2,掌上办 App\n"));
	free_result(&res);

	/* forced UTF-8 reads the same */
	read_all(p, CSVREAD_UTF8, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 3);
	expect_rec(&res, 1, 2, 2, "1", "政务服务");
	free_result(&res);

	assert_string_equal(csvread_encoding_name(CSVREAD_UTF8), "UTF-8");
	assert_string_equal(csvread_encoding_name(CSVREAD_GB18030), "GB18030");
}

static void test_utf8_bom(void **state)
{
	const char *p = puts_("bom.csv", "\xef\xbb\xbf编号,名称\r\n1,政务服务\r\n");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.enc, CSVREAD_UTF8);
	assert_int_equal(res.bom, 1);
	assert_int_equal(res.nrec, 2);
	expect_rec(&res, 0, 1, 2, "编号", "名称");
	expect_rec(&res, 1, 2, 2, "1", "政务服务");
	free_result(&res);

	read_all(p, CSVREAD_UTF8, &res);
	assert_int_equal(res.bom, 1);
	expect_rec(&res, 0, 1, 2, "编号", "名称");
	free_result(&res);

	/* only a BOM */
	p = puts_("bom_only.csv", "\xef\xbb\xbf");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.bom, 1);
	assert_int_equal(res.nrec, 0);
	free_result(&res);
}

static void test_gb18030_small(void **state)
{
	static const char text[] = "编号,名称\n1,政务服务\n2,\"市场监管局，“双随机”\"\n";
	static const unsigned char gbk[] = {
		0xb1, 0xe0, 0xba, 0xc5, ',', 0xc3, 0xfb, 0xb3, 0xc6, '\n',
		'1', ',', 0xd5, 0xfe, 0xce, 0xf1, 0xb7, 0xfe, 0xce, 0xf1, '\n',
	};
	struct result res;
	size_t len;
	char *gb;
	const char *p;

	(void)state;
	/* hard-coded GBK bytes, as Excel on Chinese Windows writes them */
	p = put("gbk.csv", gbk, sizeof(gbk));
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.enc, CSVREAD_GB18030);
	assert_int_equal(res.nrec, 2);
	expect_rec(&res, 0, 1, 2, "编号", "名称");
	expect_rec(&res, 1, 2, 2, "1", "政务服务");
	assert_int_equal(res.done, (long long)sizeof(gbk));
	free_result(&res);

	gb = to_gb18030(text, strlen(text), &len);
	p = put("gb.csv", gb, len);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.enc, CSVREAD_GB18030);
	assert_int_equal(res.nrec, 3);
	expect_rec(&res, 0, 1, 2, "编号", "名称");
	expect_rec(&res, 2, 3, 2, "2", "市场监管局，“双随机”");
	free_result(&res);

	read_all(p, CSVREAD_GB18030, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.enc, CSVREAD_GB18030);
	expect_rec(&res, 1, 2, 2, "1", "政务服务");
	free_result(&res);

	/* read as UTF-8 by force, the Chinese fields are flagged */
	read_all(p, CSVREAD_UTF8, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 3);
	assert_string_equal(res.recs[1].f[0], "1");
	assert_int_equal(res.recs[1].err[0], CSVREAD_FIELD_OK);
	assert_int_equal(res.recs[1].err[1], CSVREAD_FIELD_BAD_UTF8);
	free_result(&res);
	free(gb);

	/* a GB18030 BOM (U+FEFF encoded) is dropped too */
	gb = to_gb18030("\xef\xbb\xbf编号\n1\n", strlen("\xef\xbb\xbf编号\n1\n"), &len);
	assert_memory_equal(gb, "\x84\x31\x95\x33", 4);
	p = put("gb_bom.csv", gb, len);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.enc, CSVREAD_GB18030);
	assert_int_equal(res.bom, 1);
	expect_rec(&res, 0, 1, 1, "编号");
	expect_rec(&res, 1, 2, 1, "1");
	free_result(&res);
	free(gb);
}

static void test_crlf(void **state)
{
	const char *p = puts_("crlf.csv", "a,b\r\nc,d\r\n\r\ne,f\r\n");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 3);
	expect_rec(&res, 0, 1, 2, "a", "b");
	expect_rec(&res, 1, 2, 2, "c", "d");
	expect_rec(&res, 2, 4, 2, "e", "f");
	free_result(&res);
}

static void test_lone_cr(void **state)
{
	/* old Mac Excel ends lines with a bare CR */
	const char *p = puts_("cr.csv", "a,b\rc,d\r\re\r\nf");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 4);
	expect_rec(&res, 0, 1, 2, "a", "b");
	expect_rec(&res, 1, 2, 2, "c", "d");
	expect_rec(&res, 2, 4, 1, "e");
	expect_rec(&res, 3, 5, 1, "f");
	free_result(&res);
}

static void test_quoted(void **state)
{
	const char *p = puts_("quoted.csv",
		"id,text,note\n"
		"1,\"a,b\",\"say \"\"hi\"\"\"\n"
		"2,\"two\nlines\",\"\"\n"
		"3,\"crlf\r\ninside\",x\r\n"
		"4,\"\",\"\"\"\"\n"
		"5,\"three\n\nlines, with \"\"quotes\"\"\nand more\",end\n"
		"6,last,\"quoted at the end\"\n");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 7);
	expect_rec(&res, 0, 1, 3, "id", "text", "note");
	expect_rec(&res, 1, 2, 3, "1", "a,b", "say \"hi\"");
	expect_rec(&res, 2, 3, 3, "2", "two\nlines", "");
	expect_rec(&res, 3, 5, 3, "3", "crlf\ninside", "x");
	expect_rec(&res, 4, 7, 3, "4", "", "\"");
	expect_rec(&res, 5, 8, 3, "5",
		   "three\n\nlines, with \"quotes\"\nand more", "end");
	expect_rec(&res, 6, 12, 3, "6", "last", "quoted at the end");
	free_result(&res);
}

static void test_blank_lines(void **state)
{
	const char *p = puts_("blank.csv", "\n\na\n\n\nb\n  \n\r\n\t\nc\n\n");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 3);
	expect_rec(&res, 0, 3, 1, "a");
	expect_rec(&res, 1, 6, 1, "b");
	expect_rec(&res, 2, 10, 1, "c");
	free_result(&res);

	/* a line of commas is a record of empty fields */
	p = puts_("commas.csv", ",\n , ,\n");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 2);
	expect_rec(&res, 0, 1, 2, "", "");
	expect_rec(&res, 1, 2, 3, "", "", "");
	free_result(&res);
}

static void test_no_final_newline(void **state)
{
	struct result res;
	const char *p;

	(void)state;
	p = puts_("nofinal.csv", "a,b\nc,d");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 2);
	expect_rec(&res, 0, 1, 2, "a", "b");
	expect_rec(&res, 1, 2, 2, "c", "d");
	free_result(&res);

	p = puts_("nofinal_q.csv", "a,b\nc,\"d\ne\"");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 2);
	expect_rec(&res, 1, 2, 2, "c", "d\ne");
	free_result(&res);

	p = puts_("nofinal_comma.csv", "a,");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 1);
	expect_rec(&res, 0, 1, 2, "a", "");
	free_result(&res);
}

static void test_trimming(void **state)
{
	const char *p = puts_("trim.csv",
		"  a  ,\tb\t, \" c \" ,\"\td\t\",e f\n");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	expect_rec(&res, 0, 1, 5, "a", "b", " c ", "\td\t", "e f");
	free_result(&res);
}

static void test_unterminated_quote(void **state)
{
	struct result res;
	const char *p;

	(void)state;
	p = puts_("unterminated.csv", "a,b\nc,\"d\ne\nf\n");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 1);
	expect_rec(&res, 0, 1, 2, "a", "b");
	expect_error(&res, p, 2, "unterminated quoted field");
	free_result(&res);

	p = puts_("unterminated2.csv", "x\n\n\"abc\ndef\n");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 1);
	expect_error(&res, p, 3, "unterminated quoted field");
	free_result(&res);

	p = puts_("unterminated3.csv", "\"");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 0);
	expect_error(&res, p, 1, "unterminated quoted field");
	free_result(&res);
}

static void test_malformed_quote(void **state)
{
	struct result res;
	const char *p;

	(void)state;
	p = puts_("malformed1.csv", "a,b\nc,d\"e\nf,g\n");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 1);
	expect_rec(&res, 0, 1, 2, "a", "b");
	expect_error(&res, p, 2, "malformed quoted field");
	free_result(&res);

	p = puts_("malformed2.csv", "\"a\"b,c\n");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 0);
	expect_error(&res, p, 1, "malformed quoted field");
	free_result(&res);

	/* reported on the line of the stray quote */
	p = puts_("malformed3.csv", "h\n\"x\ny\nz\"w,1\n");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 1);
	expect_error(&res, p, 4, "malformed quoted field");
	free_result(&res);

	p = puts_("malformed4.csv", "a,\"b\" \"c\"\n");
	read_all(p, CSVREAD_AUTO, &res);
	expect_error(&res, p, 1, "malformed quoted field");
	free_result(&res);
}

static void test_error_is_sticky(void **state)
{
	const char *p = puts_("sticky.csv", "a\"b\nc\n");
	struct csvread_record rec;
	struct zj_error err;
	struct csvread *r;

	(void)state;
	assert_int_equal(csvread_open(&r, p, CSVREAD_AUTO, &err), 0);
	assert_int_equal(csvread_next(r, &rec, &err), -1);
	memset(&err, 0, sizeof(err));
	assert_int_equal(csvread_next(r, &rec, &err), -1);
	assert_non_null(strstr(err.msg, "malformed quoted field"));
	csvread_close(r);
	csvread_close(NULL);
}

static void test_nul_byte(void **state)
{
	static const char data[] = "a,b\0c,d\n\"x\0\",y\n\"multi\nline\0\",z\nend\n";
	const char *p = put("nul.csv", data, sizeof(data) - 1);
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 4);
	assert_int_equal(res.recs[0].n, 3);
	assert_int_equal(res.recs[0].err[0], CSVREAD_FIELD_OK);
	assert_int_equal(res.recs[0].err[1], CSVREAD_FIELD_NUL);
	assert_int_equal(res.recs[0].len[1], 3);
	assert_memory_equal(res.recs[0].f[1], "b\0c", 4);
	assert_int_equal(res.recs[0].err[2], CSVREAD_FIELD_OK);
	assert_int_equal(res.recs[1].err[0], CSVREAD_FIELD_NUL);
	assert_int_equal(res.recs[1].err[1], CSVREAD_FIELD_OK);
	/* in a field libcsv parses (it spans lines) */
	assert_int_equal(res.recs[2].line, 3);
	assert_int_equal(res.recs[2].err[0], CSVREAD_FIELD_NUL);
	assert_int_equal(res.recs[2].len[0], 11);
	assert_memory_equal(res.recs[2].f[0], "multi\nline\0", 12);
	assert_int_equal(res.recs[2].err[1], CSVREAD_FIELD_OK);
	expect_rec(&res, 3, 5, 1, "end");
	free_result(&res);
}

static void test_invalid_utf8_field(void **state)
{
	const char *p = puts_("badutf8.csv",
		"编号,名称\nok,\xff\xfe,中\n\"q\xc3\x28\",\"多\nline\xe4\xb8\"\n2,好\n");
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.enc, CSVREAD_UTF8);
	assert_int_equal(res.nrec, 4);
	assert_int_equal(res.recs[1].err[0], CSVREAD_FIELD_OK);
	assert_int_equal(res.recs[1].err[1], CSVREAD_FIELD_BAD_UTF8);
	assert_int_equal(res.recs[1].len[1], 2);
	assert_int_equal(res.recs[1].err[2], CSVREAD_FIELD_OK);
	assert_int_equal(res.recs[2].line, 3);
	assert_int_equal(res.recs[2].err[0], CSVREAD_FIELD_BAD_UTF8);
	assert_int_equal(res.recs[2].err[1], CSVREAD_FIELD_BAD_UTF8);
	expect_rec(&res, 3, 5, 2, "2", "好");
	free_result(&res);
}

static char *repeat(const char *unit, size_t times, size_t *len)
{
	size_t ul = strlen(unit), i;
	char *s = malloc(ul * times + 1);

	assert_non_null(s);
	for (i = 0; i < times; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * times] = '\0';
	*len = ul * times;
	return s;
}

static void test_huge_fields(void **state)
{
	size_t xlen, clen, qlen, total;
	char *x = repeat("x", 1024 * 1024, &xlen);
	char *cjk = repeat("政务服务", 30000, &clen);	/* 360000 bytes */
	char *q = repeat("中文\n", 120000, &qlen);	/* 840000 bytes */
	char *data = malloc(xlen + clen + qlen + 256);
	struct result res;
	const char *p;

	(void)state;
	assert_non_null(data);
	total = (size_t)sprintf(data, "id,note\n1,%s\n2,short\n3,\"%s\"\n4,%s,tail\n5,end",
				x, q, cjk);
	p = put("huge.csv", data, total);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 6);
	expect_rec(&res, 0, 1, 2, "id", "note");

	/* 1 MiB of ASCII, unquoted: an empty TOO_LONG field, never a cut one */
	assert_int_equal(res.recs[1].line, 2);
	assert_int_equal(res.recs[1].n, 2);
	assert_string_equal(res.recs[1].f[0], "1");
	assert_int_equal(res.recs[1].err[1], CSVREAD_FIELD_TOO_LONG);
	assert_int_equal(res.recs[1].len[1], 0);
	assert_int_equal(res.recs[1].partial, 1);
	expect_rec(&res, 2, 3, 2, "2", "short");
	assert_int_equal(res.recs[2].partial, 0);

	/* quoted, multi-line, Chinese: the quotes are followed to its end */
	assert_int_equal(res.recs[3].line, 4);
	assert_int_equal(res.recs[3].n, 2);
	assert_int_equal(res.recs[3].err[1], CSVREAD_FIELD_TOO_LONG);
	assert_int_equal(res.recs[3].len[1], 0);

	/* Chinese, on a line longer than a read: the fields after the long
	 * one are skipped with it */
	assert_int_equal(res.recs[4].line, 5 + 120000);
	assert_int_equal(res.recs[4].n, 2);
	assert_string_equal(res.recs[4].f[0], "4");
	assert_int_equal(res.recs[4].err[1], CSVREAD_FIELD_TOO_LONG);
	assert_int_equal(res.recs[4].partial, 1);
	expect_rec(&res, 5, 6 + 120000, 2, "5", "end");
	free_result(&res);

	/* on a line that fits in the buffer: the fast path, every field read */
	total = (size_t)sprintf(data, "a,\"x\",%.*s,tail\nb\n",
				(int)(clen * 2 / 3), cjk);
	p = put("huge_line.csv", data, total);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 2);
	assert_int_equal(res.recs[0].n, 4);
	assert_string_equal(res.recs[0].f[1], "x");
	assert_int_equal(res.recs[0].err[2], CSVREAD_FIELD_TOO_LONG);
	assert_int_equal(res.recs[0].len[2], 0);
	assert_string_equal(res.recs[0].f[3], "tail");
	assert_int_equal(res.recs[0].partial, 0);
	expect_rec(&res, 1, 2, 1, "b");
	free_result(&res);

	/* a huge field that is the very end of the file, and the same in a
	 * quoted field with blanks after its closing quote */
	total = (size_t)sprintf(data, "a,%s", x);
	p = put("huge_end.csv", data, total);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 1);
	assert_int_equal(res.recs[0].err[1], CSVREAD_FIELD_TOO_LONG);
	assert_int_equal(res.recs[0].len[1], 0);
	free_result(&res);

	total = (size_t)sprintf(data, "\"%s\"   \nb\n", x);
	p = put("huge_quoted_end.csv", data, total);
	read_all(p, CSVREAD_UTF8, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 2);
	assert_int_equal(res.recs[0].err[0], CSVREAD_FIELD_TOO_LONG);
	expect_rec(&res, 1, 2, 1, "b");
	free_result(&res);

	/* a quoted field that never closes, too long: still a fatal error */
	total = (size_t)sprintf(data, "a\n\"%s", x);
	p = put("huge_open.csv", data, total);
	read_all(p, CSVREAD_UTF8, &res);
	assert_int_equal(res.rc, -1);
	assert_non_null(strstr(res.msg, "huge_open.csv:2: unterminated quoted field"));
	free_result(&res);

	free(x);
	free(cjk);
	free(q);
	free(data);
}

/*
 * Blanks after a long field: libcsv holds them until it knows whether the
 * field goes on, so they count towards its bound, with 4 KiB of slack.  A
 * field of MAX - 10 bytes followed by a few blanks is fine; followed by a
 * megabyte of them, it is too long, and the next record is read as usual.
 */
static void test_huge_blank_runs(void **state)
{
	size_t blen, total;
	char *blanks = repeat(" ", 1024 * 1024, &blen);
	char *body = repeat("y", CSVREAD_MAX_FIELD - 10, &total);
	char *data = malloc(3 * blen + 2 * total + 64);
	struct result res;
	const char *p;

	(void)state;
	assert_non_null(data);
	total = (size_t)sprintf(data, "%s%.2000s,1\n%s%sz\n\"q\"%s,2\n",
				body, blanks, body, blanks, blanks);
	p = put("blanks.csv", data, total);
	read_all(p, CSVREAD_UTF8, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 3);
	assert_int_equal(res.recs[0].err[0], CSVREAD_FIELD_OK);
	assert_int_equal(res.recs[0].len[0], CSVREAD_MAX_FIELD - 10);
	assert_string_equal(res.recs[0].f[1], "1");
	assert_int_equal(res.recs[1].line, 2);
	assert_int_equal(res.recs[1].err[0], CSVREAD_FIELD_TOO_LONG);
	assert_int_equal(res.recs[1].len[0], 0);
	assert_int_equal(res.recs[2].line, 3);
	assert_int_equal(res.recs[2].err[0], CSVREAD_FIELD_TOO_LONG);
	free_result(&res);
	free(blanks);
	free(body);
	free(data);
}

/* Offsets where a GB18030 character starts, for a sanity check below. */
static int gb_char_starts_at(const unsigned char *s, size_t len, size_t off)
{
	size_t i = 0;

	while (i < off && i < len) {
		if (s[i] < 0x80)
			i += 1;
		else if (i + 1 < len && s[i + 1] >= 0x30 && s[i + 1] <= 0x39)
			i += 4;
		else
			i += 2;
	}
	return i == off;
}

/*
 * A GB18030 file of several MiB, so that the 1 MiB sample and the 256 KiB
 * reads end inside characters (two-byte and four-byte ones), and so that
 * the converted text overflows the decode buffer.
 */
static void test_gb18030_chunks(void **state)
{
	static const char *const words[] = {
		"政务服务", "€", "😀", "é", "掌上办", "ｱ", "〇", "龘", "𠀀",
	};
	size_t cap = 6 * 1024 * 1024, len = 0, gblen, i, straddle;
	char *text = malloc(cap), *gb;
	struct result res;
	const char *p;
	int row, pad;

	(void)state;
	assert_non_null(text);
	for (pad = 0; pad < 4; pad++) {
		len = (size_t)sprintf(text, "编号,名称,备注%.*s\n", pad, "xxxx");
		for (row = 0; len < cap - 4096; row++) {
			len += (size_t)sprintf(text + len, "%d,", row);
			for (i = 0; i < 40; i++) {
				const char *w = words[(row + i * 7) % 9];

				memcpy(text + len, w, strlen(w));
				len += strlen(w);
			}
			len += (size_t)sprintf(text + len, ",\"第%d行，含逗号\"\n", row);
		}
		gb = to_gb18030(text, len, &gblen);
		/* count the read boundaries that fall inside a character */
		straddle = 0;
		if (!gb_char_starts_at((unsigned char *)gb, gblen, 1024 * 1024))
			straddle++;
		for (i = 1024 * 1024 + 256 * 1024; i < gblen; i += 256 * 1024)
			if (!gb_char_starts_at((unsigned char *)gb, gblen, i))
				straddle++;
		if (straddle >= 3 &&
		    !gb_char_starts_at((unsigned char *)gb, gblen, 1024 * 1024))
			break;
		free(gb);
		gb = NULL;
	}
	assert_non_null(gb);

	p = put("gb_big.csv", gb, gblen);
	for (i = 0; i < 2; i++) {
		size_t k, off = 0;

		read_all(p, i ? CSVREAD_GB18030 : CSVREAD_AUTO, &res);
		assert_int_equal(res.rc, 0);
		assert_int_equal(res.enc, CSVREAD_GB18030);
		assert_int_equal(res.nrec, (size_t)row + 1);
		assert_int_equal(res.done, (long long)gblen);
		/* joined back together, the records are the original text */
		for (k = 0; k < res.nrec; k++) {
			char line[4096];
			size_t ll;

			assert_int_equal(res.recs[k].line, (long)k + 1);
			assert_int_equal(res.recs[k].n, 3);
			if (k == 0)
				continue;
			ll = (size_t)snprintf(line, sizeof(line), "%s,%s,\"%s\"\n",
					      res.recs[k].f[0], res.recs[k].f[1],
					      res.recs[k].f[2]);
			while (text[off] != '\n')
				off++;
			off++;
			assert_memory_equal(text + off, line, ll);
		}
		free_result(&res);
	}
	free(gb);
	free(text);
}

/* A UTF-8 file whose 1 MiB sample ends inside a character is UTF-8. */
static void test_utf8_sample_boundary(void **state)
{
	size_t cap = 1024 * 1024 + 64 * 1024, len = 0, i;
	char *text = malloc(cap);
	struct result res;
	const char *p;
	int pad, row = 0;

	(void)state;
	assert_non_null(text);
	for (pad = 0; pad < 300; pad++) {
		len = (size_t)sprintf(text, "h");
		for (i = 0; i < (size_t)pad; i++)
			text[len++] = 'x';
		text[len++] = '\n';
		for (row = 0; len < cap - 1024; row++) {
			len += (size_t)sprintf(text + len, "%d,", row % 10);
			for (i = 0; i < 100; i++) {
				memcpy(text + len, "中", 3);
				len += 3;
			}
			text[len++] = '\n';
		}
		if (((unsigned char)text[1024 * 1024] & 0xc0) == 0x80)
			break;
	}
	assert_true(((unsigned char)text[1024 * 1024] & 0xc0) == 0x80);
	p = put("utf8_boundary.csv", text, len);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.enc, CSVREAD_UTF8);
	assert_int_equal(res.nrec, (size_t)row + 1);
	for (i = 1; i < res.nrec; i++)
		assert_int_equal(res.recs[i].err[1], CSVREAD_FIELD_OK);
	free_result(&res);
	free(text);
}

static void test_gb18030_invalid(void **state)
{
	static const char data[] = "a,b\n1,\xd5\xfe\n\n2,x\xff\x80y\n3,z\n";
	static const char trunc[] = "a,b\n1,\xd5";
	struct result res;
	const char *p;

	(void)state;
	p = put("gb_bad.csv", data, sizeof(data) - 1);
	read_all(p, CSVREAD_GB18030, &res);
	assert_int_equal(res.nrec, 2);
	expect_rec(&res, 1, 2, 2, "1", "政");
	expect_error(&res, p, 4, "invalid GB18030 byte sequence");
	free_result(&res);

	p = put("gb_trunc.csv", trunc, sizeof(trunc) - 1);
	read_all(p, CSVREAD_GB18030, &res);
	assert_int_equal(res.nrec, 1);
	expect_error(&res, p, 2, "truncated GB18030 byte sequence at end of file");
	free_result(&res);
}

static void test_empty_file(void **state)
{
	const char *p = put("empty.csv", "", 0);
	struct result res;

	(void)state;
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 0);
	assert_int_equal(res.enc, CSVREAD_UTF8);
	assert_int_equal(res.total, 0);
	assert_int_equal(res.done, 0);
	free_result(&res);

	read_all(p, CSVREAD_GB18030, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 0);
	free_result(&res);

	p = puts_("newlines.csv", "\n\r\n\n");
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 0);
	free_result(&res);
}

static void test_open_errors(void **state)
{
	struct zj_error err;
	struct csvread *r = (struct csvread *)&err;
	char missing[PATH_MAX + 32];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/no-such-file.csv", tmpdir);
	memset(&err, 0, sizeof(err));
	assert_int_equal(csvread_open(&r, missing, CSVREAD_AUTO, &err), -1);
	assert_null(r);
	assert_non_null(strstr(err.msg, missing));
	assert_non_null(strstr(err.msg, "cannot open"));
	assert_non_null(strstr(err.msg, strerror(ENOENT)));

	assert_int_equal(csvread_open(&r, tmpdir, CSVREAD_AUTO, &err), -1);
	assert_null(r);
	assert_non_null(strstr(err.msg, tmpdir));
	assert_non_null(strstr(err.msg, "is a directory"));

	/* err may be NULL */
	assert_int_equal(csvread_open(&r, missing, CSVREAD_UTF8, NULL), -1);
}

static void test_too_many_fields(void **state)
{
	size_t len;
	char *commas = repeat(",", CSVREAD_MAX_FIELDS, &len);
	char *data = malloc(len + 64);
	struct result res;
	const char *p;

	(void)state;
	assert_non_null(data);
	/* exactly the limit is fine */
	len = (size_t)sprintf(data, "a\n%.*s\nb\n", CSVREAD_MAX_FIELDS - 1, commas);
	p = put("fields_ok.csv", data, len);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.nrec, 3);
	assert_int_equal(res.recs[1].n, CSVREAD_MAX_FIELDS);
	free_result(&res);

	len = (size_t)sprintf(data, "a\n%s\nb\n", commas);
	p = put("fields_many.csv", data, len);
	read_all(p, CSVREAD_AUTO, &res);
	assert_int_equal(res.nrec, 1);
	expect_error(&res, p, 2, "more than 4096 fields in one record");
	free_result(&res);
	free(commas);
	free(data);
}

static void test_progress(void **state)
{
	const char *p = puts_("progress.csv", "a,b\nc,d\n");
	struct csvread_record rec;
	struct zj_error err;
	struct csvread *r;

	(void)state;
	assert_int_equal(csvread_open(&r, p, CSVREAD_UTF8, &err), 0);
	assert_int_equal(csvread_bytes_total(r), 8);
	assert_int_equal(csvread_bytes_done(r), 0);
	assert_int_equal(csvread_next(r, &rec, &err), 1);
	assert_int_equal(csvread_bytes_done(r), 4);
	assert_int_equal(csvread_next(r, &rec, &err), 1);
	assert_int_equal(csvread_next(r, &rec, &err), 0);
	assert_int_equal(csvread_next(r, &rec, &err), 0);
	assert_int_equal(csvread_bytes_done(r), 8);
	csvread_close(r);
}

/*
 * libcsv itself, driven directly, is the reference: on random inputs made
 * of the characters that matter, the reader (with its own fast path for
 * simple lines) must give the same records and fail the same way.
 */
struct ref {
	char **fields;
	size_t nf, nrec;
	char out[8192];
	size_t olen;
};

static void ref_field(void *s, size_t len, void *data)
{
	struct ref *ref = data;
	const char *c = s;
	size_t i;

	ref->olen += (size_t)snprintf(ref->out + ref->olen,
				      sizeof(ref->out) - ref->olen, "[");
	for (i = 0; i < len; i++) {
		if (c[i] == '\r' && i + 1 < len && c[i + 1] == '\n')
			continue;	/* the reader turns CR LF into LF */
		ref->out[ref->olen++] = c[i];
	}
	ref->out[ref->olen++] = ']';
	ref->nf++;
}

static void ref_row(int c, void *data)
{
	struct ref *ref = data;

	(void)c;
	if (ref->nf) {
		ref->out[ref->olen++] = '\n';
		ref->nrec++;
	}
	ref->nf = 0;
}

static void test_matches_libcsv(void **state)
{
	static const char alphabet[] = "ab,\" \t\n\r,,\"\"ab";
	unsigned seed = 12345;
	int iter;

	(void)state;
	for (iter = 0; iter < 3000; iter++) {
		struct csv_parser csv;
		struct ref ref;
		struct result res;
		char in[80], got[8192];
		size_t len, i, j, glen = 0, done;
		int ref_rc = 0;
		const char *p;

		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % 70;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		in[len] = '\0';

		memset(&ref, 0, sizeof(ref));
		csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
		done = csv_parse(&csv, in, len, ref_field, ref_row, &ref);
		if (done < len)
			ref_rc = 1;	/* malformed */
		else if (csv_fini(&csv, ref_field, ref_row, &ref) != 0)
			ref_rc = 2;	/* unterminated */
		csv_free(&csv);

		p = put("random.csv", in, len);
		read_all(p, CSVREAD_UTF8, &res);
		for (i = 0; i < res.nrec; i++) {
			for (j = 0; j < res.recs[i].n; j++)
				glen += (size_t)snprintf(got + glen, sizeof(got) - glen,
							 "[%s]", res.recs[i].f[j]);
			got[glen++] = '\n';
		}
		/* records completed before an error are in both */
		if (ref_rc == 0 && (res.rc != 0 || glen != ref.olen ||
				    memcmp(got, ref.out, glen)))
			fail_msg("input %d '%s': got '%.*s' (%s), libcsv '%.*s'",
				 iter, in, (int)glen, got, res.msg,
				 (int)ref.olen, ref.out);
		if (ref_rc != 0) {
			const char *why = ref_rc == 1 ? "malformed quoted field" :
				"unterminated quoted field";

			if (res.rc != -1 || !strstr(res.msg, why))
				fail_msg("input %d '%s': no '%s' error", iter, in, why);
			if (res.nrec != ref.nrec || memcmp(got, ref.out, glen))
				fail_msg("input %d '%s': got '%.*s', libcsv '%.*s'",
					 iter, in, (int)glen, got,
					 (int)ref.olen, ref.out);
		}
		free_result(&res);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_basic),
		cmocka_unit_test(test_utf8_bom),
		cmocka_unit_test(test_gb18030_small),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_lone_cr),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_trimming),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_malformed_quote),
		cmocka_unit_test(test_error_is_sticky),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_invalid_utf8_field),
		cmocka_unit_test(test_huge_fields),
		cmocka_unit_test(test_huge_blank_runs),
		cmocka_unit_test(test_gb18030_chunks),
		cmocka_unit_test(test_utf8_sample_boundary),
		cmocka_unit_test(test_gb18030_invalid),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_matches_libcsv),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
