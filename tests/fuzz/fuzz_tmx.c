/* libFuzzer target for the TMX reader: any bytes, read strictly and with
 * recovery, must give units or a located error, never a crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tm/tmx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ctx, const struct tm_unit *u, unsigned long line,
		 struct tolk_err *err)
{
	(void)line;
	(void)err;
	*(size_t *)ctx += tm_unit_variant_count(u);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tolk_err err;
	char path[64];
	size_t n = 0;
	int fd = memfd_create("tmx", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		tm_tmx_read(path, 0, count, &n, &err);
		tm_tmx_read(path, TM_TMX_RECOVER, count, &n, &err);
	}
	close(fd);
	return 0;
}
