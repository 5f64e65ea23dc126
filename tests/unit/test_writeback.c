/* util/writeback: starting a file's write-back early must leave the
 * process's hold on the file as it was. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/writeback.h"

/* Whether another process finds a write lock on the file's first byte:
 * what SQLite's locks look like to the other connections. */
static int locked_for_others(const char *path)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
		int fd = open(path, O_RDWR);

		if (fd < 0 || fcntl(fd, F_GETLK, &fl) != 0)
			_exit(2);
		_exit(fl.l_type == F_UNLCK ? 0 : 1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 2);
	return WEXITSTATUS(st) == 1;
}

static int open_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}

/* Closing any descriptor of a file drops every POSIX lock the process
 * has on it: a write-back that opened the file to find its pages would
 * have let another writer in beside SQLite's transaction. */
static void writeback_keeps_the_locks_and_descriptors(void **state)
{
	char path[] = "/tmp/tolk-wb-XXXXXX", buf[8192], back[8192];
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd, nfd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	fl.l_len = 1;
	assert_int_equal(fcntl(fd, F_SETLK, &fl), 0);
	assert_true(locked_for_others(path));
	nfd = open_fds();

	tolk_writeback(path);
	tolk_writeback(path);

	assert_true(locked_for_others(path));
	assert_int_equal(open_fds(), nfd);
	assert_int_equal(pread(fd, back, sizeof(back), 0),
			 (ssize_t)sizeof(back));
	assert_memory_equal(back, buf, sizeof(buf));
	/* nothing open on it, or no such file: nothing to do */
	close(fd);
	tolk_writeback(path);
	unlink(path);
	tolk_writeback(path);
	tolk_writeback(NULL);
	assert_int_equal(open_fds(), nfd - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(writeback_keeps_the_locks_and_descriptors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
