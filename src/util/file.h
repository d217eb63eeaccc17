/*
 * file.h: reading files that may be hostile, and creating files safely.
 *
 * A file another unit sent, or a path someone else could have planted, is
 * read only if it is a regular file (a FIFO, a device such as /dev/zero or
 * a directory would hang or mislead), opened without following a symbolic
 * link where the caller says so, and read whole into memory at most once,
 * bounded in size.
 *
 * Files zhijian creates (reports, exports, keys) never replace an existing
 * file and never follow a symbolic link planted at their name: they are
 * created with O_CREAT|O_EXCL|O_NOFOLLOW and their mode is set on the
 * descriptor, so a umask of 000 cannot make them world-writable.
 */
#ifndef ZJ_UTIL_FILE_H
#define ZJ_UTIL_FILE_H

#include <stdio.h>
#include <sys/types.h>

#include "util/err.h"

/* The mode of the reports and exports zhijian writes. */
#define FILE_MODE_PUBLIC 0644
/* Keys, passphrases. */
#define FILE_MODE_PRIVATE 0600

/*
 * Opens path for reading if it is a regular file (O_NONBLOCK while
 * opening, so a FIFO cannot block; O_NOFOLLOW when nofollow).  Returns the
 * descriptor, or -1 with err saying why ("'x' is not a regular file").
 */
int file_open_regular(const char *path, int nofollow, struct zj_error *err);

/*
 * Reads a regular file whole into a malloc'd buffer (NUL-terminated, the
 * NUL not counted in *len) of at most max bytes.  The caller frees *out.
 */
int file_read_all(const char *path, size_t max, unsigned char **out, size_t *len, struct zj_error *err);

/*
 * Creates path, which must not exist (not even as a dangling symbolic
 * link), with exactly the given mode whatever the umask.  Returns the
 * descriptor, or -1 with err ("refusing to overwrite 'x'").
 */
int file_create_excl(const char *path, mode_t mode, struct zj_error *err);
/* The same as a stdio stream opened for writing ("wb"). */
FILE *file_fopen_excl(const char *path, mode_t mode, struct zj_error *err);

/*
 * Replacing a file whole: the new content is written to fr->tmp, inside a
 * private directory made beside path (mkdtemp, 0700, so nobody can plant
 * anything at the temporary name); file_replace_commit gives it exactly
 * mode and renames it over path (a symbolic link at path is replaced, never
 * followed), then removes the directory.  file_replace_abort removes both.
 */
struct file_replace {
	char *dir, *tmp;
};
int file_replace_begin(struct file_replace *fr, const char *path, struct zj_error *err);
int file_replace_commit(struct file_replace *fr, const char *path, mode_t mode, struct zj_error *err);
void file_replace_abort(struct file_replace *fr);

#endif
