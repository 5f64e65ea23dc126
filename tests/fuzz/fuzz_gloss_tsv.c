/* libFuzzer target for the TSV glossary reader (OmegaT columns plus tolk's
 * name=value columns); see fuzz_glossary.h. */
#include "fuzz_glossary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_glossary_file(data, size, GL_FORMAT_TSV);
}
