#include "util/json.h"
#include "util/utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void tolk_json_init(struct tolk_json *j)
{
	memset(j, 0, sizeof(*j));
}

void tolk_json_release(struct tolk_json *j)
{
	tolk_buf_free(&j->out);
	memset(j, 0, sizeof(*j));
}

void tolk_json_reset(struct tolk_json *j)
{
	tolk_buf_reset(&j->out);
	j->depth = 0;
	j->has_items[0] = 0;
	j->after_key = 0;
	j->failed = 0;
}

static void put(struct tolk_json *j, const char *s, size_t n)
{
	if (tolk_buf_append(&j->out, s, n))
		j->failed = 1;
}

/* Emits the separator a new value needs at the current level. */
static void value_prefix(struct tolk_json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->has_items[j->depth])
		put(j, ",", 1);
	j->has_items[j->depth] = 1;
}

static void open(struct tolk_json *j, char c)
{
	value_prefix(j);
	put(j, &c, 1);
	if (j->depth + 1 >= TOLK_JSON_MAX_DEPTH) {
		j->failed = 1;
		return;
	}
	j->depth++;
	j->has_items[j->depth] = 0;
}

static void close(struct tolk_json *j, char c)
{
	put(j, &c, 1);
	if (j->depth > 0)
		j->depth--;
}

void tolk_json_obj_begin(struct tolk_json *j)
{
	open(j, '{');
}

void tolk_json_obj_end(struct tolk_json *j)
{
	close(j, '}');
}

void tolk_json_arr_begin(struct tolk_json *j)
{
	open(j, '[');
}

void tolk_json_arr_end(struct tolk_json *j)
{
	close(j, ']');
}

int tolk_json_escape(struct tolk_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	int rc = tolk_buf_putc(b, '"');

	while (!rc && i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n;

		if (c < 0x80) {
			i++;
			switch (c) {
			case '"':
				rc = tolk_buf_puts(b, "\\\"");
				break;
			case '\\':
				rc = tolk_buf_puts(b, "\\\\");
				break;
			case '\n':
				rc = tolk_buf_puts(b, "\\n");
				break;
			case '\r':
				rc = tolk_buf_puts(b, "\\r");
				break;
			case '\t':
				rc = tolk_buf_puts(b, "\\t");
				break;
			default:
				if (c < 0x20) {
					char u[6] = {'\\',	  'u',
						     '0',	  '0',
						     hex[c >> 4], hex[c & 15]};
					rc = tolk_buf_append(b, u, 6);
				} else {
					rc = tolk_buf_putc(b, (char)c);
				}
			}
			continue;
		}
		n = tolk_utf8_valid_prefix(s + i, len - i);
		if (n == 0) {
			rc = tolk_buf_puts(b, "\xEF\xBF\xBD");
			i++;
		} else {
			rc = tolk_buf_append(b, s + i, n);
			i += n;
		}
	}
	if (!rc)
		rc = tolk_buf_putc(b, '"');
	return rc;
}

void tolk_json_key(struct tolk_json *j, const char *key)
{
	value_prefix(j);
	if (tolk_json_escape(&j->out, key, strlen(key)))
		j->failed = 1;
	put(j, ":", 1);
	j->after_key = 1;
}

void tolk_json_strn(struct tolk_json *j, const char *s, size_t len)
{
	value_prefix(j);
	if (tolk_json_escape(&j->out, s, len))
		j->failed = 1;
}

void tolk_json_str(struct tolk_json *j, const char *s)
{
	if (!s) {
		tolk_json_null(j);
		return;
	}
	tolk_json_strn(j, s, strlen(s));
}

void tolk_json_int(struct tolk_json *j, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);

	value_prefix(j);
	put(j, tmp, (size_t)n);
}

void tolk_json_double(struct tolk_json *j, double v)
{
	char tmp[64];
	int n;

	if (!isfinite(v)) {
		tolk_json_null(j);
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.4g", v);
	value_prefix(j);
	put(j, tmp, (size_t)n);
}

void tolk_json_bool(struct tolk_json *j, int v)
{
	value_prefix(j);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void tolk_json_null(struct tolk_json *j)
{
	value_prefix(j);
	put(j, "null", 4);
}

void tolk_json_kv_str(struct tolk_json *j, const char *key, const char *s)
{
	tolk_json_key(j, key);
	tolk_json_str(j, s);
}

void tolk_json_kv_int(struct tolk_json *j, const char *key, int64_t v)
{
	tolk_json_key(j, key);
	tolk_json_int(j, v);
}

void tolk_json_kv_double(struct tolk_json *j, const char *key, double v)
{
	tolk_json_key(j, key);
	tolk_json_double(j, v);
}

void tolk_json_kv_bool(struct tolk_json *j, const char *key, int v)
{
	tolk_json_key(j, key);
	tolk_json_bool(j, v);
}
