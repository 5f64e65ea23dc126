/* libFuzzer target for the TBX glossary reader (TBX-Basic v2 and v3); see
 * fuzz_glossary.h. */
#include "fuzz_glossary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_glossary_file(data, size, GL_FORMAT_TBX);
}
