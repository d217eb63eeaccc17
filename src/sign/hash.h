/*
 * hash.h: SHA-256 of a whole file with OpenSSL, for files received from
 * below (merge hashes every report it records).  core/ has its own
 * portable SHA-256 (util/sha256.h) for small things; this one is the fast
 * path for megabytes.
 */
#ifndef ZJ_SIGN_HASH_H
#define ZJ_SIGN_HASH_H

#include "util/err.h"

/* hex gets 64 lowercase digits; *size the file's length. */
int hash_file_sha256(const char *path, char hex[65], long long *size, struct zj_error *err);

#endif
