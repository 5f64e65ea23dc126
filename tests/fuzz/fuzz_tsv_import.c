/* libFuzzer target for the TM's TSV import (source<TAB>target lines) into
 * a store in memory, inside a transaction rolled back after each input so
 * that the store stays small. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "tm/store.h"
#include "tm/tmx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tm_store *store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_tmx_import_opts o = {
	    .policy = TM_DUP_MERGE, .source_lang = "nb", .target_lang = "en"};
	struct tm_tmx_import_stats st;
	struct tolk_err err;
	char path[64];
	int fd;

	if (!store && tm_store_open(&store, ":memory:", 0, &err))
		abort();
	if ((fd = fuzz_memfile(data, size, path, sizeof(path))) < 0)
		return 0;
	if (tm_store_begin(store, &err))
		abort();
	if (tm_tsv_import(store, path, &o, &st, &err) == 0 &&
	    st.imported + st.merged + st.skipped_dup > st.read)
		abort(); /* every stored unit was read */
	tm_store_rollback(store);
	close(fd);
	return 0;
}
