/*
 * Unit tests for the .xlsx row source's two readers of a sheet: the fast
 * path through <sheetData> and expat alone (core/src_xlsx.c).  Every test
 * zips a workbook whose sheet is the XML given, reads it to the end both
 * ways and requires the same rows (cells, kinds, problems, texts, numbers)
 * and the same error, word for word, line numbers included.  The sheets
 * are the constructs the fast path reads itself and those it must hand
 * back to expat: comments, CDATA, references, carriage returns, bad UTF-8,
 * bad nesting, truncation, depth, and a row longer than it holds.
 */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include <cmocka.h>

#include "core/rowsrc.h"

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static char tmpdir[PATH_MAX];
static char path[PATH_MAX + 64];

static int group_setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/zj_xlsxread_XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.xlsx", tmpdir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(tmpdir);
}

static void add(zip_t *z, const char *name, const char *data, size_t len)
{
	zip_source_t *src = zip_source_buffer(z, data, len, 0);

	assert_non_null(src);
	assert_true(zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0);
}

static const char *sst_xml;	/* NULL: write_workbook's own table */
static size_t sst_xml_len;

/* A workbook with shared strings, a date style and the sheet given. */
static void write_workbook(const char *sheet, size_t len)
{
	static const char wb[] =
		"<workbook xmlns=\"" NS "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
	static const char sst[] = "<sst xmlns=\"" NS "\"><si><t>编号</t></si><si><r><t>名</t></r><r><t>称</t></r></si>"
				  "<si><t>a&amp;b</t></si></sst>";
	static const char styles[] = "<styleSheet xmlns=\"" NS "\"><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"
				     "</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>";
	zip_t *z;
	int ze;

	unlink(path);
	z = zip_open(path, ZIP_CREATE | ZIP_EXCL, &ze);
	assert_non_null(z);
	add(z, "xl/workbook.xml", wb, sizeof(wb) - 1);
	add(z, "xl/_rels/workbook.xml.rels", rels, sizeof(rels) - 1);
	if (sst_xml)
		add(z, "xl/sharedStrings.xml", sst_xml, sst_xml_len);
	else
		add(z, "xl/sharedStrings.xml", sst, sizeof(sst) - 1);
	add(z, "xl/styles.xml", styles, sizeof(styles) - 1);
	add(z, "xl/worksheets/sheet1.xml", sheet, len);
	assert_int_equal(zip_close(z), 0);
}

struct dump {
	char *p;
	size_t len, cap;
	long rows;
};

static void put(struct dump *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(d->p ? d->p + d->len : NULL, d->p ? d->cap - d->len : 0, fmt, ap);
		va_end(ap);
		if (d->p && (size_t)n < d->cap - d->len)
			break;
		d->cap = (d->cap + (size_t)n + 1) * 2;
		d->p = realloc(d->p, d->cap);
		assert_non_null(d->p);
	}
	d->len += (size_t)n;
}

/* Everything the source gives for the workbook, read with the fast path or
 * without. */
static struct dump read_all(int fast)
{
	struct dump d = { 0 };
	struct rowsrc *s;
	struct rowsrc_row row;
	struct zj_error err;
	int rc;

	rowsrc_xlsx_fast = fast;
	if (rowsrc_open(&s, path, NULL, &err) < 0) {
		put(&d, "open: %s\n", err.msg);
		rowsrc_xlsx_fast = 1;
		return d;
	}
	while ((rc = rowsrc_next(s, &row, &err)) > 0) {
		d.rows++;
		put(&d, "row %ld:", row.row);
		for (size_t i = 0; i < row.ncells; i++) {
			const struct rowsrc_cell *c = &row.cells[i];

			put(&d, " [%d %d %zu '%s' %.17g]", (int)c->kind, (int)c->problem, c->len, c->text, c->num);
			assert_int_equal(strlen(c->text), c->len);
		}
		put(&d, "%s\n", row.partial ? " partial" : "");
	}
	put(&d, rc < 0 ? "error: %s\n" : "end\n", rc < 0 ? err.msg : "");
	rowsrc_close(s);
	rowsrc_xlsx_fast = 1;
	return d;
}

/* Both readers give the same; returns how many rows, -1 if an error ended
 * the sheet.  want (if not NULL) must occur in what they give. */
static long same(const char *sheet, size_t len, const char *want)
{
	struct dump a, b;
	long rows;

	write_workbook(sheet, len);
	a = read_all(1);
	b = read_all(0);
	if (strcmp(a.p, b.p)) {
		print_error("fast path:\n%.2000s\nexpat:\n%.2000s\n", a.p, b.p);
		fail();
	}
	if (want && !strstr(a.p, want)) {
		print_error("'%s' not in:\n%.2000s\n", want, a.p);
		fail();
	}
	rows = strstr(a.p, "error: ") ? -1 : a.rows;
	free(a.p);
	free(b.p);
	return rows;
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"" NS "\"><sheetData>"
#define TAIL "</sheetData></worksheet>"
#define ROW1 "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>主办单位</t></is></c></row>"

static long same_s(const char *sheet, const char *want)
{
	return same(sheet, strlen(sheet), want);
}

static void test_plain(void **state)
{
	(void)state;
	assert_int_equal(same_s(HEAD ROW1
				"<row r=\"2\"><c r=\"A2\"><v>7</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>n &lt;&amp;&gt;&quot;&apos;</t></is></c>"
				"<c r=\"C2\" s=\"1\"><v>45292</v></c><c r=\"D2\" t=\"b\"><v>1</v></c><c r=\"E2\" t=\"e\"><v>#N/A</v></c>"
				"<c r=\"F2\" t=\"str\"><f>A1</f><v>x_x0001_y</v></c><c r=\"G2\"><v>1.5e3</v></c><c r=\"H2\" t=\"s\"><v>2</v></c>"
				"<c r=\"I2\" t=\"inlineStr\"><is><r><rPr><b/></rPr><t xml:space=\"preserve\"> 富 </t></r><r><t>文本</t></r>"
				"<rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></is></c></row>"
				"<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><t>𠀀 é ÿ</t></is></c></row>" TAIL,
				"2024-01-01"),
			 3);
	/* A prefix, white space in tags, single quotes, no r= at all. */
	assert_int_equal(same_s("<x:worksheet xmlns:x=\"" NS "\">\n <x:sheetData >\n"
				"<x:row\n><x:c t = 'inlineStr' ><x:is><x:t>a\tb\nc</x:t></x:is></x:c ><x:c><x:v>3</x:v></x:c></x:row>\n"
				"<x:row spans=\"1:2\" ht='15'><x:c/><x:c t=\"s\"><x:v>1</x:v></x:c></x:row>\n"
				"</x:sheetData>\n<x:mergeCells><x:mergeCell ref=\"A1:B1\"/></x:mergeCells></x:worksheet>", NULL),
			 2);
	/* The shapes fast_cell reads whole, and its near misses, which it
	 * leaves to fast_start. */
	assert_int_equal(same_s(HEAD ROW1
				"<row r=\"2\"><c r=\"A2\" s=\"1\" t=\"n\"><v>45292</v></c><c t=\"s\" r=\"B2\"><v>2</v></c><c><v>3</v></c>"
				"<c r=\"D2\" t=\"inlineStr\"><is><t></t></is></c><c r=\"E2\"><v></v></c><c r=\"f2\" t=\"b\"><v>0</v></c>"
				"<c r=\"G2\" t=\"inlineStrinlineStrinlineStr\"><v>7</v></c><c r=\"H2\" t=\"inlineStr\"><is><t>a&amp;b</t></is></c>"
				"<c  r=\"I2\"><v>9</v></c><c r=\"J2\" x=\"1\"><v>10</v></c><c r=\"K2\"><v>11</v></c ><c r='L2'><v>12</v></c>"
				"<c r=\"M2\" s=\"1\"><v>45292.5</v></c><c r=\"N2\" t=\"s\"><v>0</v><v>1</v></c><c r=\"O2\" t=\"e\"><v>#DIV/0!</v></c>"
				"<c r=\"P2\" t=\"d\"><v>2026-03-01</v></c><c r=\"Q2\" t=\"inlineStr\"><is><t>应用\t名称\n二</t></is></c>"
				"<c r=\"1R2\"><v>17</v></c><c r=\"ZZZZ2\"><v>18</v></c><c r=\"XFD2\"><v></v></c></row>"
				"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v> 1</v></c></row>" TAIL,
				"'a&b'"),
			 3);
	assert_int_equal(same_s(HEAD TAIL, "end"), 0);
	assert_int_equal(same_s("<worksheet><sheetData/></worksheet>", "end"), 0);
	assert_int_equal(same_s("<worksheet><sheetData></sheetData></worksheet>", "end"), 0);
}

/* What the fast path leaves to expat, between rows and inside them. */
static void test_handed_back(void **state)
{
	static const char *const odd[] = {
		"<!-- a comment -->", "<?pi x?>", "<c r=\"A3\" t=\"inlineStr\"><is><t><![CDATA[<x>&]]></t></is></c>",
		"<c r=\"A3\" t=\"inlineStr\"><is><t>&#20013;&#x41;</t></is></c>",
		"<c r=\"A3\" t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c>", "<c r=\"A3\" t=\"inlineStr\"><is><t>a]b>c</t></is></c>",
		"<c r=\"A3\" t=\"inlineStr\"><is><t>\xc2\x80\xef\xbf\xbd\xed\x9f\xbf\xf4\x8f\xbf\xbf</t></is></c>",
		"<c r=\"A3\" t=\"inlineStr\" x=\"a\tb\"><is><t>tab</t></is></c>", "<c r=\"A3\" t=\"inlineStr\" x=\"a&amp;b\"><is><t>amp</t></is></c>",
		"<c r=\"A3\" t=\"inlineStr\"><is><t>x</t></is></c><ünï/>", "<foo><c r=\"A3\"><v>1</v></c></foo>", "text in sheetData",
		"<c r=\"A3\"><v>1</v></c>",
	};
	char buf[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		/* Between rows, inside a row, and before the first. */
		snprintf(buf, sizeof(buf), HEAD ROW1 "%s<row r=\"3\"><c r=\"B3\"><v>2</v></c></row>" TAIL, odd[i]);
		assert_int_not_equal(same_s(buf, NULL), 0);
		snprintf(buf, sizeof(buf), HEAD ROW1 "<row r=\"3\">%s<c r=\"B3\"><v>2</v></c></row><row r=\"4\"><c><v>4</v></c></row>" TAIL,
			 odd[i]);
		assert_int_not_equal(same_s(buf, NULL), 0);
		snprintf(buf, sizeof(buf), HEAD "%s" ROW1 TAIL, odd[i]);
		assert_int_not_equal(same_s(buf, NULL), 0);
	}
	/* A row nested in another element, and one outside any. */
	assert_int_equal(same_s(HEAD ROW1 "<group><row r=\"2\"><c><v>1</v></c></row></group><row r=\"3\"><c><v>3</v></c></row>" TAIL,
				NULL),
			 3);
}

/* Errors: the same message, the same line. */
static void test_errors(void **state)
{
	static const char *const bad[] = {
		"<row r=\"2\"><c><v>1</v></row>",			/* mismatched */
		"<row r=\"2\"><c><v>1</v></c></row></foo>",		/* close what is not open */
		"<row r=\"2\"><c r=\"A2\" r=\"B2\"><v>1</v></c></row>",	/* duplicate attribute */
		"<row r=\"2\"><c><v x=\"1\" y=\"\" x=\"2\">1</v></c></row>",	/* where attributes are not passed */
		"<row r=\"2\"><c r=\"A2\"t=\"n\"><v>1</v></c></row>",	/* no space */
		"<row r=\"2\"><c r=A2><v>1</v></c></row>",		/* unquoted */
		"<row r=\"2\"><c r=\"A<2\"><v>1</v></c></row>",		/* < in a value */
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>a\x01</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>a\xff</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>a\xc0\xaf</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>a\xed\xa0\x80</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>a\xef\xbf\xbe</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>a]]>b</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>&nbsp;</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>&#0;</t></is></c></row>",
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>&amp</t></is></c></row>",
		"<row r=\"2\"><c t=\"s\"><v>9</v></c></row>",		/* no such shared string */
		"<row r=\"2\"><c r=\"ZZZ2\"><v>1</v></c></row>",	/* beyond the last column */
		"<row r=\"2\"><1c/></row>", "<row r=\"2\">< c/></row>", "<row r=\"2\"><c/ ></row>",
	};
	char buf[2048];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), HEAD "\n" ROW1 "\n\n%s\n<row r=\"9\"><c><v>9</v></c></row>" TAIL, bad[i]);
		assert_int_equal(same_s(buf, "error: "), -1);
	}
	/* After sheetData, and the file ending early, in a row or a tag. */
	assert_int_equal(same_s(HEAD ROW1 "\n</sheetData>\n<mergeCells>\n</worksheet>", "line 5"), -1);
	assert_int_equal(same_s(HEAD ROW1 "\n</sheetData>", "error: "), -1);
	assert_int_equal(same_s(HEAD ROW1 "\n<row r=\"2\"><c><v>1</v>", "error: "), -1);
	assert_int_equal(same_s(HEAD ROW1 "\n<row r=\"2\"><c t=\"inlineStr\"><is><t>中\xe6", "error: "), -1);
	assert_int_equal(same_s(HEAD ROW1 "\n<row r=\"2\"><c r=\"A", "error: "), -1);
	assert_int_equal(same_s(HEAD ROW1 "\n<row r=\"2\"><c><v>1</v></c></row>", "error: "), -1);
	/* A DOCTYPE is still refused, and comments before sheetData do not
	 * fool the fast path. */
	assert_int_equal(same_s("<!DOCTYPE worksheet><worksheet><sheetData>" ROW1 TAIL, "DOCTYPE"), -1);
	assert_int_equal(same_s("<worksheet><!-- <sheetData> --><sheetData>" ROW1 TAIL, NULL), 1);
}

/* Deep nesting, long rows, many rows across the reads. */
static void test_sizes(void **state)
{
	size_t cap = 12u << 20, n = 0;
	char *s = malloc(cap);

	(void)state;
	assert_non_null(s);
	/* 40 levels inside a row: past the fast path's 32. */
	n = (size_t)sprintf(s, HEAD ROW1 "<row r=\"2\">");
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(s + n, "<g%d>", i);
	n += (size_t)sprintf(s + n, "<c><v>5</v></c>");
	for (int i = 39; i >= 0; i--)
		n += (size_t)sprintf(s + n, "</g%d>", i);
	n += (size_t)sprintf(s + n, "</row><row r=\"3\"><c><v>6</v></c></row>" TAIL);
	assert_int_equal(same(s, n, NULL), 3);

	/* 20,000 rows with newlines, a comment at row 15,000 and an error at
	 * the end: read partly fast, partly by expat, the line counted right. */
	n = (size_t)sprintf(s, HEAD "\n");
	for (int r = 1; r <= 20000; r++) {
		n += (size_t)sprintf(s + n, "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>应用%d &amp; x</t></is></c>"
				     "<c r=\"B%d\"><v>%d</v></c><c r=\"C%d\" s=\"1\"><v>%d</v></c></row>\n",
				     r, r, r, r, r * 7, r, 40000 + r);
		if (r == 15000)
			n += (size_t)sprintf(s + n, "<!-- here -->\n");
	}
	n += (size_t)sprintf(s + n, "</sheetData></worksheet>");
	assert_int_equal(same(s, n, NULL), 20000);
	n -= strlen("</worksheet>");
	n += (size_t)sprintf(s + n, "<bad></worksheet>");
	assert_int_equal(same(s, n, "line 20004"), -1);

	/* A row of 5 MiB, more than the fast path holds, among short ones;
	 * and a cell longer than a cell may be. */
	n = (size_t)sprintf(s, HEAD ROW1 "<row r=\"2\">");
	for (int c = 0; c < 3000; c++)
		n += (size_t)sprintf(s + n, "<c t=\"inlineStr\"><is><t>%01700d</t></is></c>", c);
	n += (size_t)sprintf(s + n, "</row><row r=\"3\"><c><v>3</v></c></row><row r=\"4\"><c t=\"inlineStr\"><is><t>");
	memset(s + n, 'x', 2u << 20);
	n += 2u << 20;
	n += (size_t)sprintf(s + n, "</t></is></c></row>" TAIL);
	assert_int_equal(same(s, n, NULL), 4);

	/* A cell's start tag longer than the fast path copies. */
	n = (size_t)sprintf(s, HEAD ROW1 "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"");
	memset(s + n, ' ', 5000);
	n += 5000;
	n += (size_t)sprintf(s + n, "><is><t>x</t></is></c></row><row r=\"3\"><c><v>3</v></c></row>" TAIL);
	assert_int_equal(same(s, n, "'x'"), 3);

	/* A prolog longer than a read, so <sheetData> straddles two. */
	n = (size_t)sprintf(s, "<worksheet><sheetViews>");
	while (n < 300000)
		n += (size_t)sprintf(s + n, "<sheetView workbookViewId=\"0\"/>\n");
	n += (size_t)sprintf(s + n, "</sheetViews><sheetData\n>" ROW1 TAIL);
	assert_int_equal(same(s, n, NULL), 1);
	free(s);
}

/*
 * A table of shared strings larger than is held in memory: the strings
 * past rowsrc_xlsx_sst_mem bytes are read back from a temporary file.  The
 * sheet refers to them in order, back, far back, again, out of order and
 * to one too long for a cell; every way of holding the table gives the
 * same rows (and both readers of the sheet, as everywhere here).
 */
static void test_spilled_strings(void **state)
{
	size_t cap = 8u << 20, n = 0, m = 0, nstr = 5000;
	char *x = malloc(cap), *s = malloc(cap);
	static const size_t mem[] = { 0, 1, 100, 20000 };
	struct dump want;

	(void)state;
	assert_non_null(x);
	assert_non_null(s);
	n = (size_t)sprintf(x, "<sst xmlns=\"" NS "\" count=\"%zu\">", nstr);
	for (size_t i = 0; i < nstr; i++) {
		if (i == 1500) {
			n += (size_t)sprintf(x + n, "<si><t>");
			memset(x + n, 'y', 70000);
			n += 70000;
			n += (size_t)sprintf(x + n, "</t></si>");
		} else if (i == 1501) {
			n += (size_t)sprintf(x + n, "<si><t/></si>");
		} else if (i % 97 == 3) {
			n += (size_t)sprintf(x + n, "<si><r><t>富%zu</t></r><r><t xml:space=\"preserve\"> &amp;文本</t></r>"
					     "<rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></si>", i);
		} else {
			/* Long ones now and then, so records cross the windows. */
			n += (size_t)sprintf(x + n, "<si><t>串%zu-%0*d</t></si>", i, (int)(i % 13 == 0 ? 3000 : 1 + i % 40), 0);
		}
	}
	n += (size_t)sprintf(x + n, "</sst>");
	sst_xml = x;
	sst_xml_len = n;

	m = (size_t)sprintf(s, HEAD);
	for (size_t r = 1; r <= 2000; r++) {
		size_t a = (r * 2) % nstr, b = (r * 2 + 1) % nstr, back = r > 40 ? r * 2 - 37 : 0, far = (r * 7919) % nstr;

		m += (size_t)sprintf(s + m, "<row r=\"%zu\"><c r=\"A%zu\" t=\"s\"><v>%zu</v></c><c r=\"B%zu\" t=\"s\"><v>%zu</v></c>"
				     "<c r=\"C%zu\" t=\"s\"><v>%zu</v></c><c r=\"D%zu\" t=\"s\"><v>%zu</v></c>"
				     "<c r=\"E%zu\" t=\"s\"><v>%zu</v></c><c r=\"F%zu\"><v>%zu</v></c></row>",
				     r, r, a, r, b, r, back, r, far, r, nstr - 1 - r % 3, r, r);
	}
	m += (size_t)sprintf(s + m, "<row r=\"2001\"><c t=\"s\"><v>1500</v></c><c t=\"s\"><v>1501</v></c><c t=\"s\"><v>1499</v></c>"
			     "<c t=\"s\"><v>1502</v></c><c t=\"s\"><v>0</v></c></row>" TAIL);
	write_workbook(s, m);
	want = read_all(1);
	assert_int_equal(want.rows, 2001);
	assert_non_null(strstr(want.p, "'富3 &文本'"));
	assert_non_null(strstr(want.p, "row 2001: [1 3 0 '' 0] [0 0 0 '' 0]"));	/* too long */
	for (size_t k = 0; k < sizeof(mem) / sizeof(mem[0]); k++) {
		rowsrc_xlsx_sst_mem = mem[k];
		assert_int_equal(same(s, m, NULL), 2001);
		{
			struct dump d = read_all(1);

			if (strcmp(d.p, want.p)) {
				print_error("%zu bytes held:\n%.3000s\n", mem[k], d.p);
				fail();
			}
			free(d.p);
		}
	}
	/* A reference past the end of a spilled table. */
	rowsrc_xlsx_sst_mem = 0;
	m = (size_t)sprintf(s, HEAD ROW1 "<row r=\"2\"><c t=\"s\"><v>%zu</v></c></row>" TAIL, nstr);
	assert_int_equal(same(s, m, "which the workbook lacks (it has 5000)"), -1);
	/* No place for the temporary file: said so, not a crash. */
	{
		char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

		setenv("TMPDIR", "/nonexistent-zhijian-dir", 1);
		m = (size_t)sprintf(s, HEAD ROW1 TAIL);
		assert_int_equal(same(s, m, "cannot make a temporary file in '/nonexistent-zhijian-dir'"), 0);
		if (old)
			setenv("TMPDIR", old, 1);
		else
			unsetenv("TMPDIR");
		free(old);
	}
	rowsrc_xlsx_sst_mem = 8u << 20;
	sst_xml = NULL;
	free(want.p);
	free(x);
	free(s);
}

/* A sheet whose CRC-32 in the archive is not its data's: damaged, said
 * so when its end is read, whichever inflates it (zlib in libzip, or
 * ISA-L when the build has it). */
static void test_bad_crc(void **state)
{
	static const char name[] = "xl/worksheets/sheet1.xml";
	size_t cap = 4u << 20, n, flen;
	char *s = malloc(cap), *f;
	FILE *fp;
	int hits = 0;

	(void)state;
	assert_non_null(s);
	n = (size_t)sprintf(s, HEAD);
	for (int r = 1; r <= 3000; r++)
		n += (size_t)sprintf(s + n, "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>应用%d</t></is></c><c r=\"B%d\"><v>%d</v></c></row>",
				     r, r, r, r, r);
	n += (size_t)sprintf(s + n, TAIL);
	write_workbook(s, n);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	f = malloc(cap);
	assert_non_null(f);
	flen = fread(f, 1, cap, fp);
	fclose(fp);
	/* The CRC of the sheet in its local header (offset 14) and in the
	 * central directory (offset 16), both turned. */
	for (size_t i = 0; i + 46 + sizeof(name) - 1 <= flen; i++) {
		if (!memcmp(f + i, "PK\3\4", 4) && !memcmp(f + i + 30, name, sizeof(name) - 1)) {
			f[i + 14] ^= 0x5a;
			hits++;
		} else if (!memcmp(f + i, "PK\1\2", 4) && !memcmp(f + i + 46, name, sizeof(name) - 1)) {
			f[i + 16] ^= 0x5a;
			hits++;
		}
	}
	assert_int_equal(hits, 2);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(f, 1, flen, fp), flen);
	assert_int_equal(fclose(fp), 0);
	{
		struct dump a = read_all(1), b = read_all(0);

		/* At open, as the merged ranges are looked for in a sheet this
		 * small: a larger one fails at its last row. */
		if (!strstr(a.p, "the workbook is damaged ('xl/worksheets/sheet1.xml': CRC error)") || strcmp(a.p, b.p)) {
			print_error("fast path:\n%.500s\nexpat:\n%.500s\n", a.p + (a.len > 400 ? a.len - 400 : 0),
				    b.p + (b.len > 400 ? b.len - 400 : 0));
			fail();
		}
		free(a.p);
		free(b.p);
	}
	free(f);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_handed_back),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_spilled_strings),
		cmocka_unit_test(test_bad_crc),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
