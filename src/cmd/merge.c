/* zhijian merge FILE.pdf...: receive the signed reports of the units below. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/rollup.h"
#include "core/store.h"
#include "core/submission.h"
#include "sign/pdf.h"
#include "sign/verify.h"
#include "util/i18n.h"
#include "util/utf8.h"

static const char usage[] =
	"zhijian merge FILE.pdf... --trust FILE_OR_DIR [--crl FILE_OR_DIR] [--replace]\n"
	"                          [--accept-expired REASON]";

static const char *const status_words[] = {
	[VERIFY_OK] = "ok", [VERIFY_NO_SIGNATURE] = "no-signature", [VERIFY_MODIFIED] = "modified",
	[VERIFY_NOT_COVERED] = "appended", [VERIFY_UNTRUSTED] = "untrusted", [VERIFY_EXPIRED] = "expired",
	[VERIFY_UNIT_MISMATCH] = "unit-mismatch", [VERIFY_NO_DATA] = "no-data",
	[VERIFY_MALFORMED] = "malformed", [VERIFY_ERROR] = "error", [VERIFY_BAD_DATA] = "bad-data",
	[VERIFY_REVOKED] = "revoked", [VERIFY_OUT_OF_SCOPE] = "out-of-scope",
};

struct merge_opts {
	const char *trust, *crl, *accept_expired;
	int replace;
};

/* One file: verify, extract, decide, record (in its own transaction).
 * Validity is judged at the time of receipt, which is recorded. */
static int receive(struct cmd_ctx *ctx, const char *path, const struct merge_opts *mo, int *accepted)
{
	struct verify_opts vo = { .trust = mo->trust, .crl = mo->crl, .allow_expired = mo->accept_expired != NULL,
				  .keep = 1 };
	struct verify_result vr;
	struct rollup_file rf = { .path = path };
	struct rollup_ca chain[VERIFY_MAX_CHAIN];
	struct rollup_outcome out;
	struct zj_error err;
	char received_at[21], safe_path[512], signer[256];
	struct tm tm;

	*accepted = 0;
	utf8_sanitize_copy(path, safe_path, sizeof(safe_path));
	vo.at = time(NULL);
	gmtime_r(&vo.at, &tm);
	strftime(received_at, sizeof(received_at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	rf.received_at = received_at;
	/* The file is read once, by the verifier: the SHA-256 recorded is
	 * that of the bytes it judged and took the data from. */
	verify_file(path, &vo, &vr);
	if (!vr.sha256[0]) {
		error_msg("%s", vr.reason);
		return -1;
	}
	memcpy(rf.sha256, vr.sha256, sizeof(rf.sha256));
	rf.size = (long long)vr.file_size;
	rf.signature_ok = vr.status == VERIFY_OK;
	rf.signature_status = status_words[vr.status];
	rf.signature_reason = vr.reason;
	rf.signer = vr.unit[0] ? vr.unit : NULL;
	rf.signer_unit = vr.unit[0] ? vr.unit : NULL;
	rf.signer_code = vr.code[0] ? vr.code : NULL;
	rf.fingerprint = vr.fingerprint[0] ? vr.fingerprint : NULL;
	rf.signed_at = vr.signed_at[0] ? vr.signed_at : NULL;
	rf.signer_not_after = vr.not_after[0] ? vr.not_after : NULL;
	for (size_t i = 0; i < vr.nca; i++) {
		chain[i].unit = vr.ca[i].unit[0] ? vr.ca[i].unit : NULL;
		chain[i].code = vr.ca[i].code[0] ? vr.ca[i].code : NULL;
		chain[i].subject = vr.ca[i].subject;
		chain[i].fingerprint = vr.ca[i].fingerprint;
	}
	rf.chain = chain;
	rf.nchain = vr.nca;
	if (vr.expired_overridden)
		rf.override_reason = mo->accept_expired;
	/* Only data under a valid signature is read at all: the verifier
	 * has read and checked it, and hands it over. */
	if (rf.signature_ok) {
		rf.data = vr.data;
		rf.len = vr.data_len;
		rf.sub = vr.sub;
	}
	/* rollup_receive reads the data before it opens its own short
	 * transaction. */
	if (rollup_receive(ctx->db, &ctx->ws, &rf, mo->replace, &out, &err) < 0) {
		verify_result_release(&vr);
		error_msg("%s: %s", safe_path, err.msg);
		return -1;
	}
	verify_result_release(&vr);
	if (out.already) {
		printf(_("%s: already received as #%lld; nothing changed\n"), safe_path, out.id);
		*accepted = 2;
	} else if (out.accepted) {
		char sbuf[16];

		printf(_("%s: accepted as #%lld: %s, %s, total %s, signed by %s"), safe_path, out.id, out.unit,
		       out.period, fmt_score(out.total, sbuf), utf8_sanitize_copy(vr.unit, signer, sizeof(signer)));
		if (out.superseded)
			printf(_(" (supersedes #%lld)"), out.superseded);
		if (rf.override_reason)
			printf(_(" (certificate expired by the time of receipt, accepted: %s)"), rf.override_reason);
		putchar('\n');
		*accepted = 1;
	} else {
		printf(_("%s: rejected (#%lld): %s\n"), safe_path, out.id, out.reason);
	}
	return 0;
}

int cmd_merge(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "trust", required_argument, NULL, 't' },
		{ "crl", required_argument, NULL, 'c' },
		{ "replace", no_argument, NULL, 'r' },
		{ "accept-expired", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct merge_opts mo = { .trust = getenv("ZHIJIAN_TRUST") };
	int c, nacc = 0, nrej = 0, nfail = 0, nsame = 0;

	optind = 1;
	while ((c = cmd_getopt(argc, argv, "h", opts, "merge", usage)) != -1) {
		switch (c) {
		case 't': mo.trust = optarg; break;
		case 'c': mo.crl = optarg; break;
		case 'r': mo.replace = 1; break;
		case 'e':
			if (!*optarg || utf8_has_control(optarg))
				return usage_error(usage, "%s", _("--accept-expired needs the reason, in one line"));
			mo.accept_expired = optarg;
			break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return usage_error(usage, "%s", _("merge takes one or more signed reports"));
	if (!mo.trust || !*mo.trust)
		return usage_error(usage, "%s", _("--trust is required: the certificate(s) of the CA your units' keys are signed by"));
	if (cmd_need_workspace(ctx, 0) < 0)
		return EXIT_FAIL;
	if (ctx->ws.level == LEVEL_UNIT) {
		error_msg("%s", _("a unit workspace has no units below it to merge; merge in a county, city, province or central workspace"));
		return EXIT_FAIL;
	}
	/* One bad file never stops the others. */
	for (int i = optind; i < argc; i++) {
		int acc;

		if (receive(ctx, argv[i], &mo, &acc) < 0)
			nfail++;
		else if (acc == 2)
			nsame++;
		else if (acc)
			nacc++;
		else
			nrej++;
	}
	if (nsame)
		printf(_("%d accepted, %d already received, %d rejected%s\n"), nacc, nsame, nrej,
		       nfail ? _(", some could not be processed") : "");
	else
		printf(_("%d accepted, %d rejected%s\n"), nacc, nrej, nfail ? _(", some could not be processed") : "");
	if (nfail)
		return EXIT_FAIL;
	return nrej ? EXIT_DATA : EXIT_OK;
}
