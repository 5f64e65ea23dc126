/* A small output-only JSON writer (the shape of git's json-writer).
 *
 * Values are appended to a tolk_buf; the writer tracks nesting so that
 * commas are placed automatically.  Strings must be UTF-8; invalid bytes are
 * replaced by U+FFFD so that the output is always valid JSON. */
#ifndef TOLK_JSON_H
#define TOLK_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define TOLK_JSON_MAX_DEPTH 32

struct tolk_json {
	struct tolk_buf out;
	int depth;
	unsigned char has_items[TOLK_JSON_MAX_DEPTH];
	unsigned char after_key;
	int failed; /* sticky: set on overflow of depth or memory */
};

void tolk_json_init(struct tolk_json *j);
void tolk_json_release(struct tolk_json *j);
/* Starts a new document in the same buffer. */
void tolk_json_reset(struct tolk_json *j);

void tolk_json_obj_begin(struct tolk_json *j);
void tolk_json_obj_end(struct tolk_json *j);
void tolk_json_arr_begin(struct tolk_json *j);
void tolk_json_arr_end(struct tolk_json *j);
void tolk_json_key(struct tolk_json *j, const char *key);
/* A NULL s is written as null: an absent optional field keeps its key. */
void tolk_json_str(struct tolk_json *j, const char *s);
void tolk_json_strn(struct tolk_json *j, const char *s, size_t len);
void tolk_json_int(struct tolk_json *j, int64_t v);
void tolk_json_double(struct tolk_json *j, double v);
void tolk_json_bool(struct tolk_json *j, int v);
void tolk_json_null(struct tolk_json *j);

/* Convenience: key plus value (for kv_str, null when s is NULL). */
void tolk_json_kv_str(struct tolk_json *j, const char *key, const char *s);
void tolk_json_kv_int(struct tolk_json *j, const char *key, int64_t v);
void tolk_json_kv_double(struct tolk_json *j, const char *key, double v);
void tolk_json_kv_bool(struct tolk_json *j, const char *key, int v);

/* Appends a JSON string literal for s to b. */
int tolk_json_escape(struct tolk_buf *b, const char *s, size_t len);

#endif
