/* Runs a libFuzzer target over files without libFuzzer, so that `make
 * check` replays every kept crash and seed as a regression test.  Prints
 * TAP: a crash or sanitizer report aborts the run, which fails the test. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;
	int rc = -1;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			LLVMFuzzerTestOneInput(buf, (size_t)n);
			rc = 0;
		}
	}
	free(buf);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		if (run_file(argv[i])) {
			printf("not ok %d - %s (unreadable)\n", i, argv[i]);
			failed = 1;
		} else {
			printf("ok %d - %s\n", i, argv[i]);
		}
		fflush(stdout);
	}
	return failed;
}
