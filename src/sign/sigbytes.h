/*
 * sigbytes.h: what only the raw bytes can say about a signature.
 *
 * libqpdf (sign/pdf.h) reads a signature dictionary's /ByteRange and
 * /Contents as values: it cannot say where in the file /Contents stood nor
 * what else the gap left out of the byte range holds.  The checks here look
 * at the file's own bytes, with no PDF parser in between:
 *
 *   - sig_scan finds the signature on the bytes, before any parser runs, so
 *     that the signature, and who signed, are established first;
 *   - sig_gap checks the gap [b, c) of /ByteRange [0 b c d]: '<', an even
 *     number of hexadecimal digits and nothing else (no white space), '>';
 *     its decoded bytes are then compared whole with the /Contents libqpdf
 *     read, so the gap is that string and nothing else;
 *   - sig_zero_tail checks that after the CMS structure (its length as
 *     OpenSSL parsed it) the rest of /Contents is zero bytes, so the padding
 *     is exactly as wide as the gap leaves and nobody can re-pad a signed
 *     file into different bytes that still verify.
 *
 * Whether the byte range starts at 0, lies inside the file and ends at its
 * end is decided by the verifier (sign/verify.c) on the numbers found here.
 */
#ifndef ZJ_SIGN_SIGBYTES_H
#define ZJ_SIGN_SIGBYTES_H

#include <stddef.h>

/*
 * The "/ByteRange [a b c d]" in buf (four decimal numbers below 10^12)
 * whose range reaches furthest (c + d; the last of equals).  Returns 1 and
 * fills br, or 0 if there is none.
 */
int sig_scan(const unsigned char *buf, size_t len, long long br[4]);

enum sig_gap_status {
	SIG_GAP_OK,
	SIG_GAP_NOT_STRING,	/* not '<' … '>' inside the file */
	SIG_GAP_NOT_HEX,	/* something between them is not a hex digit, or an odd count */
	SIG_GAP_NOMEM,
};

/*
 * The gap [br[1], br[2]) of buf, decoded into *der (malloc'd, the caller
 * frees) on SIG_GAP_OK.  br[1] < br[2] <= len is checked here.
 */
enum sig_gap_status sig_gap(const unsigned char *buf, size_t len, const long long br[4], unsigned char **der,
			    size_t *derlen);

/* 1 if p[from..n) are all zero bytes (or from >= n). */
int sig_zero_tail(const unsigned char *p, size_t from, size_t n);

#endif
