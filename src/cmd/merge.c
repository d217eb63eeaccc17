/* zhijian merge FILE.pdf...: receive the signed reports of the units below. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/rollup.h"
#include "core/store.h"
#include "core/submission.h"
#include "sign/pdf.h"
#include "sign/verify.h"
#include "util/hash.h"
#include "util/i18n.h"

static const char usage[] = "zhijian merge FILE.pdf... --trust FILE_OR_DIR [--replace]";

static const char *const status_words[] = {
	[VERIFY_OK] = "ok", [VERIFY_NO_SIGNATURE] = "no-signature", [VERIFY_MODIFIED] = "modified",
	[VERIFY_NOT_COVERED] = "appended", [VERIFY_UNTRUSTED] = "untrusted", [VERIFY_EXPIRED] = "expired",
	[VERIFY_UNIT_MISMATCH] = "unit-mismatch", [VERIFY_NO_DATA] = "no-data",
	[VERIFY_MALFORMED] = "malformed", [VERIFY_ERROR] = "error",
};

/* One file: verify, extract, decide, record (in its own transaction). */
static int receive(struct cmd_ctx *ctx, const char *path, const char *trust, int replace, int *accepted)
{
	struct verify_opts vo = { .trust = trust };
	struct verify_result vr;
	struct rollup_file rf = { .path = path };
	struct rollup_outcome out;
	struct zj_error err;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	*accepted = 0;
	if (hash_file_sha256(path, PDF_DEFAULT_MAX_BYTES, rf.sha256, &rf.size, &err) < 0) {
		error_msg("%s", err.msg);
		return -1;
	}
	verify_file(path, &vo, &vr);
	rf.signature_ok = vr.status == VERIFY_OK;
	rf.signature_status = status_words[vr.status];
	rf.signature_reason = vr.reason;
	rf.signer = vr.unit[0] ? vr.unit : NULL;
	rf.fingerprint = vr.fingerprint[0] ? vr.fingerprint : NULL;
	rf.signed_at = vr.signed_at[0] ? vr.signed_at : NULL;
	if (rf.signature_ok) {
		/* Only data under a valid signature is read at all. */
		struct pdf *p = NULL;

		if (pdf_open_file(&p, path, 0, &err) == 0 &&
		    pdf_embedded_file(p, SUBMISSION_NAME, &data, &len, &err) == 0) {
			rf.data = data;
			rf.len = len;
		}
		pdf_close(p);
	}
	/* rollup_receive reads the data before it opens its own short
	 * transaction. */
	if (rollup_receive(ctx->db, &ctx->ws, &rf, replace, &out, &err) < 0) {
		free(data);
		error_msg("%s: %s", path, err.msg);
		return -1;
	}
	free(data);
	if (out.accepted) {
		char sbuf[16];

		printf(_("%s: accepted as #%lld: %s, %s, total %s, signed by %s"), path, out.id, out.unit, out.period,
		       fmt_score(out.total, sbuf), vr.unit);
		if (out.superseded)
			printf(_(" (supersedes #%lld)"), out.superseded);
		putchar('\n');
		*accepted = 1;
	} else {
		printf(_("%s: rejected (#%lld): %s\n"), path, out.id, out.reason);
	}
	rc = 0;
	return rc;
}

int cmd_merge(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "trust", required_argument, NULL, 't' },
		{ "replace", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *trust = getenv("ZHIJIAN_TRUST");
	int c, replace = 0, nacc = 0, nrej = 0, nfail = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't': trust = optarg; break;
		case 'r': replace = 1; break;
		case 'h': printf("%s%s\n", _("usage: "), usage); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return usage_error(usage, "%s", _("merge takes one or more signed reports"));
	if (!trust || !*trust)
		return usage_error(usage, "%s", _("--trust is required: the certificate(s) of the CA your units' keys are signed by"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (ctx->ws.level == LEVEL_UNIT) {
		error_msg("%s", _("a unit workspace has no units below it to merge; merge in a county, city, province or central workspace"));
		return EXIT_FAIL;
	}
	for (int i = optind; i < argc; i++) {
		int acc;

		if (receive(ctx, argv[i], trust, replace, &acc) < 0)
			nfail++;
		else if (acc)
			nacc++;
		else
			nrej++;
	}
	printf(_("%d accepted, %d rejected%s\n"), nacc, nrej, nfail ? _(", some could not be processed") : "");
	if (nfail)
		return EXIT_FAIL;
	return nrej ? EXIT_DATA : EXIT_OK;
}
