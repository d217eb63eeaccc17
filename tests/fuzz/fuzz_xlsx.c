/*
 * libFuzzer target: the .xlsx row source and the import after it.  The
 * input is one part of a workbook, its first byte saying which (the sheet,
 * the shared strings, the styles, the workbook, its relationships), the rest
 * that part's XML; the other parts are fixed and valid.  The workbook is
 * zipped with libzip and imported into an in-memory workspace.  Any crash,
 * sanitizer report or leak is a bug; invalid input must only give errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/import.h"
#include "core/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static const char *const names[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
	"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
};

static const char *const parts[] = {
	"<worksheet xmlns=\"" NS "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	"<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row><row r=\"2\">"
	"<c r=\"A2\"><v>7</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>n</t></is></c>"
	"<c r=\"C2\" s=\"1\"><v>45292</v></c></row></sheetData><mergeCells><mergeCell ref=\"A3:B4\"/></mergeCells></worksheet>",
	"<sst xmlns=\"" NS "\"><si><t>编号</t></si><si><r><t>名</t></r><r><t>称</t></r></si><si><t>主办单位</t><rPh><t>x</t></rPh></si></sst>",
	"<styleSheet xmlns=\"" NS "\"><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/></numFmts>"
	"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>",
	"<workbook xmlns=\"" NS "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"0\"/><sheets><sheet name=\"摸排表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
};

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
	struct import_opts o = { .kind = INV_APPS, .on_error = quiet, .preview = 2 };
	size_t which;
	zip_t *z;
	int ze;

	if (!db) {
		if (store_create(&db, ":memory:", &err) < 0)
			abort();
		snprintf(path, sizeof(path), "/tmp/zhijian-fuzz-xlsx-%d.xlsx", (int)getpid());
	}
	if (size < 1)
		return 0;
	which = data[0] % 5;
	unlink(path);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	if (!z)
		return 0;
	for (size_t i = 0; i < 5; i++) {
		const void *p = i == which ? (const void *)(data + 1) : parts[i];
		size_t n = i == which ? size - 1 : strlen(parts[i]);
		zip_source_t *src = zip_source_buffer(z, p, n, 0);

		if (!src || zip_file_add(z, names[i], src, 0) < 0) {
			zip_source_free(src);
			zip_discard(z);
			return 0;
		}
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		return 0;
	}
	o.path = path;
	import_run(db, &o, &res, &err);
	import_result_release(&res);
	o.replace = 1;
	import_run(NULL, &o, &res, &err);
	import_result_release(&res);
	return 0;
}
