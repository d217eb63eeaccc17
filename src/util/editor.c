#include "util/editor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/i18n.h"

const char *editor_command(void)
{
	const char *e = getenv("VISUAL");

	if (!e || !*e)
		e = getenv("EDITOR");
	if (e && *e)
		return e;
	return access("/usr/bin/editor", X_OK) == 0 ? "editor" : "vi";
}

int editor_run(const char *path, struct zj_error *err)
{
	const char *cmd = editor_command();
	size_t n = strlen(cmd) + 8;
	char *line = malloc(n);
	pid_t pid;
	int status;

	if (!line)
		return zj_err(err, "%s", _("out of memory"));
	/* The value is shell words, as git takes it; the file is "$1". */
	snprintf(line, n, "%s \"$1\"", cmd);
	pid = fork();
	if (pid < 0) {
		free(line);
		return zj_err(err, _("cannot start the editor '%s': %s"), cmd, strerror(errno));
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", line, "sh", path, (char *)NULL);
		_exit(127);
	}
	free(line);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return zj_err(err, _("cannot wait for the editor '%s': %s"), cmd, strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return zj_err(err, _("the editor '%s' exited with status %d; nothing was saved"), cmd,
			      WEXITSTATUS(status));
	return zj_err(err, _("the editor '%s' was stopped by signal %d; nothing was saved"), cmd,
		      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
