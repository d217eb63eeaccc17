#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/i18n.h"

int file_open_regular(const char *path, int nofollow, struct zj_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));

	if (fd < 0) {
		if (errno == ELOOP && nofollow)
			return zj_err(err, _("'%s' is a symbolic link; refusing to follow it"), path);
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return zj_err(err, _("'%s' is not a regular file"), path);
	}
	/* Back to blocking reads: a regular file never blocks anyway. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int file_read_all(const char *path, size_t max, unsigned char **out, size_t *len, struct zj_error *err)
{
	int fd = file_open_regular(path, 0, err);
	struct stat st;
	unsigned char *buf, extra;
	size_t n = 0, size;
	ssize_t r;

	*out = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size < 0) {
		close(fd);
		return zj_err(err, _("cannot open '%s': %s"), path, strerror(errno));
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		return zj_err(err, _("'%s' is larger than the limit of %zu bytes"), path, max);
	}
	size = (size_t)st.st_size;
	if (!(buf = malloc(size + 1))) {
		close(fd);
		return zj_err(err, "%s", _("out of memory"));
	}
	while (n < size) {
		r = read(fd, buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	/* A file that shrinks or grows while it is read is not what was
	 * sent: read it again once it is still. */
	do
		r = read(fd, &extra, 1);
	while (r < 0 && errno == EINTR);
	if (n != size || r != 0) {
		int e = r < 0 ? errno : 0;

		free(buf);
		close(fd);
		if (e)
			return zj_err(err, _("cannot read '%s': %s"), path, strerror(e));
		return zj_err(err, _("'%s' changed while it was being read"), path);
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int file_create_excl(const char *path, mode_t mode, struct zj_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

	if (fd < 0) {
		if (errno == EEXIST)
			return zj_err(err, _("refusing to overwrite '%s'"), path);
		return zj_err(err, _("cannot create '%s': %s"), path, strerror(errno));
	}
	if (fchmod(fd, mode) < 0) {
		int e = errno;

		close(fd);
		unlink(path);
		return zj_err(err, _("cannot create '%s': %s"), path, strerror(e));
	}
	return fd;
}

FILE *file_fopen_excl(const char *path, mode_t mode, struct zj_error *err)
{
	int fd = file_create_excl(path, mode, err);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "wb"))) {
		zj_err(err, _("cannot create '%s': %s"), path, strerror(errno));
		close(fd);
		unlink(path);
	}
	return f;
}

int file_replace_begin(struct file_replace *fr, const char *path, struct zj_error *err)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) + 1 : 0, n = dl + 32;

	fr->dir = malloc(n);
	fr->tmp = malloc(n + 16);
	if (!fr->dir || !fr->tmp) {
		file_replace_abort(fr);
		return zj_err(err, "%s", _("out of memory"));
	}
	snprintf(fr->dir, n, "%.*s.zhijian-XXXXXX", (int)dl, path);
	if (!mkdtemp(fr->dir)) {
		int e = errno;

		free(fr->dir);
		fr->dir = NULL;
		file_replace_abort(fr);
		return zj_err(err, _("cannot create a file beside '%s': %s"), path, strerror(e));
	}
	snprintf(fr->tmp, n + 16, "%s/new", fr->dir);
	return 0;
}

int file_replace_commit(struct file_replace *fr, const char *path, mode_t mode, struct zj_error *err)
{
	if (chmod(fr->tmp, mode) < 0 || rename(fr->tmp, path) < 0) {
		int e = errno;

		file_replace_abort(fr);
		return zj_err(err, _("cannot write '%s': %s"), path, strerror(e));
	}
	file_replace_abort(fr);
	return 0;
}

void file_replace_abort(struct file_replace *fr)
{
	if (fr->tmp)
		unlink(fr->tmp);
	if (fr->dir)
		rmdir(fr->dir);
	free(fr->tmp);
	free(fr->dir);
	fr->tmp = fr->dir = NULL;
}
