/* A unit's variants as one blob: the codec and the readers (see
 * tm/vars_int.h for the format and why). */
#include "tm/vars_int.h"

#include <string.h>

/* LEB128 of x at out; returns the end. */
static unsigned char *put_varint(unsigned char *out, uint64_t x)
{
	while (x >= 0x80) {
		*out++ = (unsigned char)(x | 0x80);
		x >>= 7;
	}
	*out++ = (unsigned char)x;
	return out;
}

static size_t varint_size(uint64_t x)
{
	size_t n = 1;

	while (x >= 0x80) {
		x >>= 7;
		n++;
	}
	return n;
}

/* The varint at *p, not past end: 0, or -1 when it runs off the end or
 * does not fit 64 bits. */
static int get_varint(const unsigned char **p, const unsigned char *end,
		      uint64_t *x)
{
	const unsigned char *q = *p;
	uint64_t v = 0;
	unsigned shift = 0;

	for (;;) {
		if (q == end || shift > 63)
			return -1;
		if (shift == 63 && (*q & 0x7e))
			return -1;
		v |= (uint64_t)(*q & 0x7f) << shift;
		if (!(*q++ & 0x80))
			break;
		shift += 7;
	}
	*p = q;
	*x = v;
	return 0;
}

static size_t str_size_n(size_t n)
{
	return varint_size(n) + n + 1;
}

static size_t str_size(const char *s)
{
	return str_size_n(strlen(s));
}

static unsigned char *put_str_n(unsigned char *out, const char *s, size_t n)
{
	out = put_varint(out, n);
	memcpy(out, s, n + 1);
	return out + n + 1;
}

static unsigned char *put_str(unsigned char *out, const char *s)
{
	return put_str_n(out, s, strlen(s));
}

static size_t var_text_len(const struct tm_var *v)
{
	return v->text_len ? v->text_len : strlen(v->text);
}

static size_t var_size(const struct tm_var *v)
{
	size_t n = 1 + varint_size((uint64_t)v->seq) + (v->has_key ? 8 : 0) +
		   str_size(v->lang) + str_size(v->lkey) +
		   str_size_n(var_text_len(v));

	if (v->markup)
		n += str_size(v->markup);
	if (v->attrs_len)
		n += varint_size(v->attrs_len) + v->attrs_len;
	return n;
}

static unsigned char *var_put(unsigned char *out, const struct tm_var *v)
{
	uint64_t k = (uint64_t)v->norm_key;
	int i;

	*out++ = (unsigned char)((v->markup ? TM_VAR_MARKUP : 0) |
				 (v->attrs_len ? TM_VAR_ATTRS : 0) |
				 (v->has_key ? TM_VAR_KEY : 0));
	out = put_varint(out, (uint64_t)v->seq);
	if (v->has_key)
		for (i = 0; i < 8; i++)
			*out++ = (unsigned char)(k >> (8 * i));
	out = put_str(out, v->lang);
	out = put_str(out, v->lkey);
	out = put_str_n(out, v->text, var_text_len(v));
	if (v->markup)
		out = put_str(out, v->markup);
	if (v->attrs_len) {
		out = put_varint(out, v->attrs_len);
		memcpy(out, v->attrs, v->attrs_len);
		out += v->attrs_len;
	}
	return out;
}

size_t tm_vars_size(const struct tm_var *v, size_t n)
{
	size_t i, total = 1 + varint_size(n);

	for (i = 0; i < n; i++)
		total += var_size(&v[i]);
	return total;
}

unsigned char *tm_vars_encode(unsigned char *out, const struct tm_var *v,
			      size_t n)
{
	size_t i;

	out = tm_vars_head(out, n);
	for (i = 0; i < n; i++)
		out = var_put(out, &v[i]);
	return out;
}

int tm_vars_append(struct tolk_buf *b, const struct tm_var *v, size_t n)
{
	size_t need = tm_vars_size(v, n);
	unsigned char *end;

	if (tolk_buf_grow(b, need + 1))
		return -1;
	end = tm_vars_encode((unsigned char *)b->data + b->len, v, n);
	b->len = (size_t)(end - (unsigned char *)b->data);
	b->data[b->len] = '\0';
	return 0;
}

int tm_var_append(struct tolk_buf *b, const struct tm_var *v)
{
	unsigned char *end;

	if (tolk_buf_grow(b, var_size(v)))
		return -1;
	end = var_put((unsigned char *)b->data + b->len, v);
	b->len = (size_t)(end - (unsigned char *)b->data);
	b->data[b->len] = '\0';
	return 0;
}

unsigned char *tm_vars_head(unsigned char *out, size_t n)
{
	*out++ = TM_VARS_FORMAT;
	return put_varint(out, n);
}

static int damaged(const struct tm_vars_it *it, struct tolk_err *err)
{
	if (it->unit > 0)
		return tolk_err_set(err, TOLK_EDB,
				    "the variants of unit %lld are damaged",
				    (long long)it->unit);
	return tolk_err_set(err, TOLK_EDB, "a unit's variants are damaged");
}

int tm_vars_init_id(struct tm_vars_it *it, const void *blob, size_t len,
		    int64_t id, struct tolk_err *err)
{
	memset(it, 0, sizeof(*it));
	it->unit = id;
	if (!blob || len == 0)
		return 0;
	it->p = blob;
	it->end = it->p + len;
	if (*it->p != TM_VARS_FORMAT) {
		if (id > 0)
			return tolk_err_set(
			    err, TOLK_EDB,
			    "the variants of unit %lld are in format %u, "
			    "which this tolk cannot read",
			    (long long)id, (unsigned)*it->p);
		return tolk_err_set(err, TOLK_EDB,
				    "a unit's variants are in format %u, "
				    "which this tolk cannot read",
				    (unsigned)*it->p);
	}
	it->p++;
	if (get_varint(&it->p, it->end, &it->n))
		return damaged(it, err);
	it->left = it->n;
	it->first = it->p;
	return 0;
}

int tm_vars_init(struct tm_vars_it *it, const void *blob, size_t len,
		 struct tolk_err *err)
{
	return tm_vars_init_id(it, blob, len, 0, err);
}

/* A str at *p: its bytes (NUL-terminated in the blob) and length. */
static int get_str(const unsigned char **p, const unsigned char *end,
		   const char **s, size_t *len)
{
	uint64_t n;

	if (get_varint(p, end, &n) || n >= (uint64_t)(end - *p) ||
	    (*p)[n] != '\0')
		return -1;
	*s = (const char *)*p;
	if (len)
		*len = (size_t)n;
	*p += n + 1;
	return 0;
}

int tm_vars_next(struct tm_vars_it *it, struct tm_var *v, struct tolk_err *err)
{
	const unsigned char *p = it->p;
	uint64_t seq, n;
	unsigned flags;
	int i;

	if (it->left == 0)
		/* nothing may follow the last */
		return p == it->end ? 0 : damaged(it, err);
	memset(v, 0, sizeof(*v));
	if (p == it->end)
		return damaged(it, err);
	flags = *p++;
	if (flags & ~(unsigned)(TM_VAR_MARKUP | TM_VAR_ATTRS | TM_VAR_KEY) ||
	    get_varint(&p, it->end, &seq) || seq > INT64_MAX)
		return damaged(it, err);
	v->seq = (int64_t)seq;
	if (flags & TM_VAR_KEY) {
		uint64_t k = 0;

		if (it->end - p < 8)
			return damaged(it, err);
		for (i = 0; i < 8; i++)
			k |= (uint64_t)p[i] << (8 * i);
		p += 8;
		v->has_key = 1;
		v->norm_key = (int64_t)k;
	}
	if (get_str(&p, it->end, &v->lang, NULL) ||
	    get_str(&p, it->end, &v->lkey, NULL) ||
	    get_str(&p, it->end, &v->text, &v->text_len) ||
	    ((flags & TM_VAR_MARKUP) && get_str(&p, it->end, &v->markup, NULL)))
		return damaged(it, err);
	if (flags & TM_VAR_ATTRS) {
		if (get_varint(&p, it->end, &n) || n == 0 ||
		    n > (uint64_t)(it->end - p))
			return damaged(it, err);
		v->attrs = p;
		v->attrs_len = (size_t)n;
		p += n;
	}
	it->p = p;
	it->left--;
	return 1;
}

/* Is lkey the language of one of it's variants before its current one?
 * 1, 0, or TOLK_EDB.  Units have a few variants: walked again. */
static int seen_before(const struct tm_vars_it *it, const char *lkey,
		       struct tolk_err *err)
{
	struct tm_vars_it w = *it;
	struct tm_var v;
	uint64_t before = it->n - it->left - 1, i;
	int rc;

	w.p = it->first;
	w.left = it->n;
	for (i = 0; i < before; i++) {
		if ((rc = tm_vars_next(&w, &v, err)) <= 0)
			return rc < 0 ? rc : damaged(it, err);
		if (strcmp(v.lkey, lkey) == 0)
			return 1;
	}
	return 0;
}

int tm_vars_next_first(struct tm_vars_it *it, struct tm_var *v,
		       struct tolk_err *err)
{
	int rc;

	while ((rc = tm_vars_next(it, v, err)) == 1) {
		if ((rc = seen_before(it, v->lkey, err)) < 0)
			return rc;
		if (!rc)
			return 1;
	}
	return rc;
}

int tm_vars_pair(const void *blob, size_t len, int64_t id, const char *sk,
		 const char *tk, struct tm_var *src, struct tm_var *tgt,
		 struct tolk_err *err)
{
	struct tm_vars_it it;
	struct tm_var v;
	int rc, same = strcmp(sk, tk) == 0, have_s = 0, have_t = 0;

	if ((rc = tm_vars_init_id(&it, blob, len, id, err)))
		return rc;
	while (!(have_s && have_t) && (rc = tm_vars_next(&it, &v, err)) == 1)
		if (!have_s && strcmp(v.lkey, sk) == 0) {
			*src = v;
			have_s = 1;
		} else if (!have_t && strcmp(v.lkey, tk) == 0 &&
			   (!same || have_s)) {
			*tgt = v;
			have_t = 1;
		}
	if (rc < 0)
		return rc;
	return have_s && have_t;
}

/* ---- reading them from the database ---------------------------------- */

/* SQLite: the unit row holds them */
static const char SQL_BLOB_ONE[] =
    "SELECT id, src_key, vars FROM unit WHERE id = ?1";
static const char SQL_BLOB_ALL[] =
    "SELECT id, src_key, vars FROM unit ORDER BY id";

static int in_blob(struct tm_db *db)
{
	return strcmp(tm_db_backend(db), "sqlite") == 0;
}

/* The row st is on, its blob lent by the statement. */
static void blob_row(struct tm_vars_unit *u)
{
	const char *sk = tm_db_col_text(u->st, 1);

	u->id = tm_db_col_int64(u->st, 0);
	u->src_key = sk ? sk : "";
	u->blob = tm_db_col_blob(u->st, 2, &u->len);
}

/* Variant rows (PostgreSQL), a unit's in seq order after its id and
 * source key; a unit without variants has one row of NULLs. */
#define ROWS_COLS                                                              \
	"SELECT u.id, u.src_key, v.seq, v.lang, v.lang_key, v.text, "          \
	"v.markup, v.norm_key, v.attrs FROM unit u "                           \
	"LEFT JOIN variant v ON v.unit_id = u.id "
static const char SQL_ROWS_ONE[] = ROWS_COLS "WHERE u.id = ?1 ORDER BY v.seq";
static const char SQL_ROWS_ALL[] = ROWS_COLS "ORDER BY u.id, v.seq";

/* Packs the unit of the row st is on and those after it with its id
 * into u->buf, leaving st on the next unit's row (u->pending) or done
 * (u->done).  0 or an error. */
static int pack_rows(struct tm_vars_unit *u, struct tolk_err *err)
{
	struct tm_db_stmt *st = u->st;
	const char *sk = tm_db_col_text(st, 1);
	size_t skl = strlen(sk ? sk : "") + 1, at, n = 0;
	unsigned char head[TM_VARS_HEAD_MAX], *h;
	int rc;

	u->id = tm_db_col_int64(st, 0);
	tolk_buf_reset(&u->buf);
	if (tolk_buf_append(&u->buf, sk ? sk : "", skl) ||
	    tolk_buf_grow(&u->buf, TM_VARS_HEAD_MAX))
		goto nomem;
	/* room for the head, written once the variants are counted */
	u->buf.len += TM_VARS_HEAD_MAX;
	at = u->buf.len;
	for (;;) {
		if (!tm_db_col_is_null(st, 3)) {
			struct tm_var v = {0};
			size_t len;

			v.seq = tm_db_col_int64(st, 2);
			v.lang = tm_db_col_text(st, 3);
			v.lkey = tm_db_col_text(st, 4);
			v.text = tm_db_col_text(st, 5);
			v.markup = tm_db_col_text(st, 6);
			if ((v.has_key = !tm_db_col_is_null(st, 7)))
				v.norm_key = tm_db_col_int64(st, 7);
			v.attrs = tm_db_col_blob(st, 8, &len);
			v.attrs_len = len;
			if (!v.lkey)
				v.lkey = "";
			if (!v.text)
				v.text = "";
			if (tolk_buf_grow(&u->buf, var_size(&v) + 1))
				goto nomem;
			u->buf.len =
			    (size_t)(var_put((unsigned char *)u->buf.data +
						 u->buf.len,
					     &v) -
				     (unsigned char *)u->buf.data);
			n++;
		}
		if ((rc = tm_db_step(st, "read variants", err)) < 0)
			return rc;
		if (rc == 0) {
			u->done = 1;
			break;
		}
		if (tm_db_col_int64(st, 0) != u->id) {
			u->pending = 1;
			break;
		}
	}
	/* the head right before the variants */
	h = tm_vars_head(head, n);
	memcpy(u->buf.data + at - (size_t)(h - head), head, (size_t)(h - head));
	u->src_key = u->buf.data;
	u->blob = u->buf.data + at - (size_t)(h - head);
	u->len = u->buf.len - (at - (size_t)(h - head));
	return 0;
nomem:
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

int tm_vars_get(struct tm_vars_unit *u, struct tm_db *db, int64_t id,
		struct tolk_err *err)
{
	int rc;

	u->own = 0;
	u->pending = u->done = 0;
	u->rows = !in_blob(db);
	if (!(u->st =
		  tm_db_stmt(db, u->rows ? SQL_ROWS_ONE : SQL_BLOB_ONE, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(u->st, 1, id);
	if ((rc = tm_db_step(u->st, "read variants", err)) <= 0) {
		tm_vars_unit_done(u);
		return rc;
	}
	if (!u->rows) {
		blob_row(u);
		return 1;
	}
	if ((rc = pack_rows(u, err))) {
		tm_vars_unit_done(u);
		return rc;
	}
	return 1;
}

void tm_vars_unit_done(struct tm_vars_unit *u)
{
	if (u->st && !u->own)
		tm_db_reset(u->st);
	u->st = NULL;
}

int tm_vars_scan_begin(struct tm_vars_unit *u, struct tm_db *db,
		       struct tolk_err *err)
{
	u->own = 1;
	u->pending = u->done = 0;
	u->rows = !in_blob(db);
	return tm_db_prepare_rows(db, u->rows ? SQL_ROWS_ALL : SQL_BLOB_ALL,
				  &u->st, err);
}

int tm_vars_scan_next(struct tm_vars_unit *u, struct tolk_err *err)
{
	int rc;

	if (u->done)
		return 0;
	if (!u->rows) {
		if ((rc = tm_db_step(u->st, "read variants", err)) <= 0) {
			u->done = 1;
			return rc;
		}
		blob_row(u);
		return 1;
	}
	if (!u->pending) {
		if ((rc = tm_db_step(u->st, "read variants", err)) <= 0) {
			u->done = 1;
			return rc;
		}
	}
	u->pending = 0;
	if ((rc = pack_rows(u, err)))
		return rc;
	return 1;
}

void tm_vars_scan_end(struct tm_vars_unit *u)
{
	if (u->st && u->own)
		tm_db_stmt_free(u->st);
	u->st = NULL;
	u->own = 0;
}

void tm_vars_unit_release(struct tm_vars_unit *u)
{
	tolk_buf_free(&u->buf);
}
