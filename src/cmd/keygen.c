/* zhijian keygen: a unit's (or a CA's) key with a certificate or a request. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cmd/cmd.h"
#include "sign/keys.h"
#include "util/i18n.h"
#include "util/when.h"

static const char usage[] =
	"zhijian keygen --unit NAME [--name SIGNER] [--code CODE] [--algo ecdsa|rsa]\n"
	"                    [--ca] [--csr] [--days N] [--passphrase-file FILE | --no-passphrase] -o DIR";

static int refuse_pass_arg(int argc, char **argv, const char *u)
{
	const char *bad = passphrase_on_command_line(argc, argv);

	if (!bad)
		return 0;
	return usage_error(u, _("'%.*s': passphrases never go on the command line; use --passphrase-file FILE"),
			   (int)strcspn(bad, "="), bad);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int cmd_keygen(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' },
		{ "code", required_argument, NULL, 'c' },
		{ "algo", required_argument, NULL, 'a' },
		{ "ca", no_argument, NULL, 'C' },
		{ "csr", no_argument, NULL, 'r' },
		{ "days", required_argument, NULL, 'd' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "no-passphrase", no_argument, NULL, 'N' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct subject subj = { 0 };
	enum key_algo algo = KEY_ECDSA;
	const char *dir = NULL, *passfile = NULL;
	int ca = 0, csr = 0, nopass = 0, days = 0, c, status = EXIT_FAIL;
	char pass[PASS_MAX], *keypath = NULL, *outpath = NULL, fp[96], t1[32], t2[32], name[256];
	char l1[WHEN_TIME_SIZE], l2[WHEN_TIME_SIZE];
	struct zj_error err = { "" };
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	X509_REQ *req = NULL;
	struct stat st;
	time_t now = time(NULL);

	(void)ctx;
	if ((c = refuse_pass_arg(argc, argv, usage)))
		return c;
	optind = 1;
	while ((c = cmd_getopt(argc, argv, "ho:", opts, "keygen", usage)) != -1) {
		switch (c) {
		case 'u': subj.unit = optarg; break;
		case 'n': subj.name = optarg; break;
		case 'c': subj.code = optarg; break;
		case 'a':
			if (!strcmp(optarg, "ecdsa") || !strcmp(optarg, "ec"))
				algo = KEY_ECDSA;
			else if (!strcmp(optarg, "rsa"))
				algo = KEY_RSA;
			else
				return usage_error(usage, _("'%s' is not a key algorithm (ecdsa, rsa)"), optarg);
			break;
		case 'C': ca = 1; break;
		case 'r': csr = 1; break;
		case 'd': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 36500)
				return usage_error(usage, _("--days: '%s' is not a number of days (1 to 36500)"), optarg);
			days = (int)v;
			break;
		}
		case 'p': passfile = optarg; break;
		case 'N': nopass = 1; break;
		case 'o': dir = optarg; break;
		case 'h': printf("%s%s\n", _("usage: "), _(usage)); return EXIT_OK;
		default: return usage_error(usage, NULL);
		}
	}
	if (optind < argc)
		return usage_error(usage, _("unexpected argument '%s'"), argv[optind]);
	if (!subj.unit)
		return usage_error(usage, "%s", _("--unit is required"));
	if (!dir)
		return usage_error(usage, "%s", _("-o DIR is required"));
	if (nopass && passfile)
		return usage_error(usage, "%s", _("--no-passphrase and --passphrase-file exclude each other"));
	if (csr && days)
		return usage_error(usage, "%s", _("--days is for certificates; the level above chooses a request's"));
	/* A signing key belongs to a person, whom the reports signed with it
	 * name: ask on a terminal; elsewhere the certificate names only the
	 * unit, and a report signed with it must say who signs (--name). */
	if (!subj.name && !ca) {
		if (isatty(STDIN_FILENO) && isatty(STDERR_FILENO)) {
			size_t len;

			fprintf(stderr, "%s", _("Name of the person who signs with this key (printed on signed reports): "));
			if (!fgets(name, sizeof(name), stdin))
				return usage_error(usage, "%s", _("no name given; use --name NAME"));
			len = strcspn(name, "\r\n");
			name[len] = '\0';
			if (!len)
				return usage_error(usage, "%s", _("no name given; use --name NAME"));
			subj.name = name;
		} else {
			error_msg("%s", _("warning: no --name: the certificate names only the unit; reports signed with it"
					  " must say who signs (report --sign --name NAME)"));
		}
	}
	if (subject_check(&subj, &err) < 0)
		return usage_error(usage, "%s", err.msg);
	if (!days)
		days = ca ? DAYS_CA : DAYS_LEAF;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		error_msg(_("cannot create '%s': %s"), dir, strerror(errno));
		return EXIT_FAIL;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		error_msg(_("'%s' is not a directory"), dir);
		return EXIT_FAIL;
	}
	keypath = join(dir, "key.pem");
	outpath = join(dir, csr ? "req.pem" : "cert.pem");
	if (!keypath || !outpath) {
		error_msg("%s", _("out of memory"));
		goto out;
	}
	/* Before asking for a passphrase, not after. */
	if (access(keypath, F_OK) == 0 || access(outpath, F_OK) == 0) {
		error_msg(_("refusing to overwrite '%s'"), access(keypath, F_OK) == 0 ? keypath : outpath);
		goto out;
	}
	if (!nopass && pass_new(passfile, pass, sizeof(pass), &err) < 0) {
		error_msg("%s", err.msg);
		goto out;
	}
	if (key_generate(&key, algo, &err) < 0 || key_write(keypath, key, nopass ? NULL : pass, &err) < 0) {
		error_msg("%s", err.msg);
		goto out;
	}
	if (csr ? req_make(&req, key, &subj, ca, &err) < 0 || req_write(outpath, req, &err) < 0
		: cert_self_signed(&cert, key, &subj, ca, now, days, &err) < 0 || cert_write(outpath, cert, &err) < 0) {
		error_msg("%s", err.msg);
		unlink(keypath);	/* a key without its certificate is no use */
		goto out;
	}
	printf(_("wrote %s (%s, %s, mode 0600)\n"), keypath, algo == KEY_RSA ? "RSA 3072" : "ECDSA P-256",
	       nopass ? _("NOT encrypted") : _("encrypted with the passphrase"));
	if (csr) {
		printf(_("wrote %s: a request for %s%s\n"), outpath, ca ? _("a CA certificate for ") : "", subj.unit);
		printf("%s\n", _("send it to the level above, which runs 'zhijian ca sign' on it"));
	} else {
		char *line = name_line(X509_get_subject_name(cert));

		cert_fingerprint(cert, fp);
		time_utc(now, t1);
		time_utc(now + (time_t)days * 86400, t2);
		printf(_("wrote %s: self-signed %scertificate for %s\n"), outpath, ca ? _("CA ") : "", line ? line : "?");
		printf(_("  valid    %s to %s\n"), when_local(t1, 1, l1), when_local(t2, 1, l2));
		printf(_("  sha256   %s\n"), fp);
		free(line);
	}
	status = EXIT_OK;
out:
	OPENSSL_cleanse(pass, sizeof(pass));
	EVP_PKEY_free(key);
	X509_free(cert);
	X509_REQ_free(req);
	free(keypath);
	free(outpath);
	return status;
}
