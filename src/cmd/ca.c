/* zhijian ca sign|revoke: a CA (central office, province) certifies a
 * request, or revokes a certificate it issued by publishing it on its CRL. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "sign/keys.h"
#include "util/i18n.h"
#include "util/when.h"

static const char usage[] =
	"zhijian ca sign REQ.pem --key CAKEY --cert CACERT [--ca] [--days N] [--start DATE]\n"
	"                    [--passphrase-file FILE] -o CERT.pem\n"
	"       zhijian ca revoke CERT.pem --key CAKEY --cert CACERT --crl CRL.pem [--date DATE]\n"
	"                    [--reason keyCompromise|superseded|cessationOfOperation|unspecified]\n"
	"                    [--days N] [--passphrase-file FILE]";

/* RFC 5280 CRLReason codes that fit a unit's key. */
static const struct {
	const char *word;
	int code;
} reasons[] = {
	{ "unspecified", 0 }, { "keyCompromise", 1 }, { "affiliationChanged", 3 }, { "superseded", 4 },
	{ "cessationOfOperation", 5 },
};

/* Warns about a key or passphrase file others can read, and a key stored
 * in clear: it is used all the same. */
void warn_key_files(const char *keypath, const char *passfile)
{
	struct key_file_info ki;

	key_file_inspect(keypath, passfile, &ki);
	if (ki.key_loose)
		error_msg(_("warning: private key '%s' can be read by others (mode %03o); chmod 600 it"), keypath,
			  ki.key_mode);
	if (keypath && ki.key_mode && !ki.encrypted)
		error_msg(_("warning: private key '%s' is not encrypted; anyone who copies the file can sign as its unit"),
			  keypath);
	if (ki.pass_loose)
		error_msg(_("warning: passphrase file '%s' can be read by others (mode %03o); chmod 600 it"), passfile,
			  ki.pass_mode);
}

static int ca_revoke(const char *certpath, const char *keypath, const char *cacertpath, const char *passfile,
		  const char *crlpath, time_t when, int reason, int days)
{
	struct zj_error err = { "" };
	EVP_PKEY *cakey = NULL;
	X509 *cacert = NULL, *x = NULL;
	char t[32], l1[WHEN_TIME_SIZE], *line = NULL;
	int already = 0, status = EXIT_FAIL;

	warn_key_files(keypath, passfile);
	if (cert_load(&x, certpath, &err) < 0 || cert_load(&cacert, cacertpath, &err) < 0 ||
	    key_load(&cakey, keypath, passfile, &err) < 0 ||
	    crl_revoke(crlpath, x, cacert, cakey, when, reason, days, &already, &err) < 0) {
		error_msg("%s", err.msg);
		goto done;
	}
	line = name_line(X509_get_subject_name(x));
	time_utc(when, t);
	if (already)
		printf(_("'%s' (%s) is already on the revocation list %s\n"), certpath, line ? line : "?", crlpath);
	else
		printf(_("revoked %s (%s) as of %s; the revocation list %s is to be published to the levels below and above\n"),
		       certpath, line ? line : "?", when_local(t, 1, l1), crlpath);
	status = EXIT_OK;
done:
	free(line);
	EVP_PKEY_free(cakey);
	X509_free(cacert);
	X509_free(x);
	return status;
}

int cmd_ca(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "ca", no_argument, NULL, 'C' },
		{ "days", required_argument, NULL, 'd' },
		{ "start", required_argument, NULL, 's' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "crl", required_argument, NULL, 'l' },
		{ "date", required_argument, NULL, 'D' },
		{ "reason", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *keypath = NULL, *certpath = NULL, *passfile = NULL, *out = NULL, *reqpath, *bad, *crl = NULL;
	int ca = 0, days = 0, c, clamped, status = EXIT_FAIL, reason = -1;
	time_t start = time(NULL), nb, na, date = start;
	struct zj_error err = { "" };
	EVP_PKEY *cakey = NULL;
	X509 *cacert = NULL, *x = NULL;
	X509_REQ *req = NULL;
	char t1[32], t2[32], l1[WHEN_TIME_SIZE], l2[WHEN_TIME_SIZE], fp[96], *line;

	(void)ctx;
	if ((bad = passphrase_on_command_line(argc, argv)))
		return usage_error(usage, _("'%.*s': passphrases never go on the command line; use --passphrase-file FILE"),
				   (int)strcspn(bad, "="), bad);
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "ho:", opts, "ca", usage)) != -1) {
		switch (c) {
		case 'k': keypath = optarg; break;
		case 'c': certpath = optarg; break;
		case 'C': ca = 1; break;
		case 'd': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 36500)
				return usage_error(usage, _("--days: '%s' is not a number of days (1 to 36500)"), optarg);
			days = (int)v;
			break;
		}
		case 's':
			if (time_parse(optarg, &start) < 0)
				return usage_error(usage, _("--start: '%s' is not a date (2026-06-30 or 2026-06-30T08:00:00Z)"),
						   optarg);
			break;
		case 'p': passfile = optarg; break;
		case 'o': out = optarg; break;
		case 'l': crl = optarg; break;
		case 'D':
			if (time_parse(optarg, &date) < 0)
				return usage_error(usage, _("--date: '%s' is not a date (2026-06-30 or 2026-06-30T08:00:00Z)"),
						   optarg);
			break;
		case 'R':
			for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
				if (!strcmp(optarg, reasons[i].word))
					reason = reasons[i].code;
			if (reason < 0)
				return usage_error(usage, _("--reason: '%s' is not a revocation reason"), optarg);
			break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind >= argc)
		return usage_error(usage, "%s", _("what should the CA do? (sign, revoke)"));
	if (!strcmp(argv[optind], "revoke")) {
		if (optind + 1 >= argc)
			return usage_error(usage, "%s", _("which certificate? (CERT.pem)"));
		if (optind + 2 < argc)
			return usage_error(usage, _("unexpected argument '%s'"), argv[optind + 2]);
		if (!keypath || !certpath)
			return usage_error(usage, "%s", _("--key and --cert (the CA's) are required"));
		if (!crl)
			return usage_error(usage, "%s", _("--crl CRL.pem is required: the revocation list this CA publishes"));
		return ca_revoke(argv[optind + 1], keypath, certpath, passfile, crl, date, reason, days ? days : 30);
	}
	if (strcmp(argv[optind], "sign"))
		return usage_error(usage, _("'%s' is not a ca command (sign, revoke)"), argv[optind]);
	if (optind + 1 >= argc)
		return usage_error(usage, "%s", _("which request? (REQ.pem)"));
	if (optind + 2 < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind + 2]);
	reqpath = argv[optind + 1];
	if (!keypath || !certpath)
		return usage_error(usage, "%s", _("--key and --cert (the CA's) are required"));
	if (!out)
		return usage_error(usage, "%s", _("-o CERT.pem is required"));
	if (!days)
		days = ca ? DAYS_CA : DAYS_LEAF;
	/* Before asking for the CA's passphrase, not after. */
	if (access(out, F_OK) == 0) {
		error_msg(_("refusing to overwrite '%s'"), out);
		return EXIT_FAIL;
	}

	warn_key_files(keypath, passfile);
	if (req_load(&req, reqpath, &err) < 0 || cert_load(&cacert, certpath, &err) < 0 ||
	    key_load(&cakey, keypath, passfile, &err) < 0 ||
	    ca_issue(&x, req, cacert, cakey, ca, start, days, &clamped, &err) < 0 || cert_write(out, x, &err) < 0) {
		error_msg("%s", err.msg);
		goto done;
	}
	line = name_line(X509_get_subject_name(x));
	cert_times(x, &nb, &na);
	time_utc(nb, t1);
	time_utc(na, t2);
	cert_fingerprint(x, fp);
	printf(_("wrote %s: %scertificate for %s\n"), out, ca ? _("CA ") : "", line ? line : "?");
	free(line);
	line = name_line(X509_get_subject_name(cacert));
	printf(_("  issuer   %s\n"), line ? line : "?");
	printf(_("  valid    %s to %s%s\n"), when_local(t1, 1, l1), when_local(t2, 1, l2),
	       clamped ? _(" (cut to the issuer's own validity)") : "");
	printf(_("  sha256   %s\n"), fp);
	free(line);
	status = EXIT_OK;
done:
	EVP_PKEY_free(cakey);
	X509_free(cacert);
	X509_free(x);
	X509_REQ_free(req);
	return status;
}
