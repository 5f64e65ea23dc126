/* Context matches; the rules are in tm/context.h. */
#include "tm/context.h"
#include "tm/context_int.h"

#include <string.h>

#include "tm/db.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/text.h"

static int hash_text(const char *s, uint64_t *out, struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	int rc;

	if (!s)
		s = "";
	if ((rc = tolk_text_norm(s, strlen(s), &b, err)))
		goto done;
	*out = tolk_hash_fmix64(tolk_fnv64(b.data, b.len, TOLK_FNV64_OFFSET));
done:
	tolk_buf_free(&b);
	return rc;
}

int tm_context_set(struct tm_context *c, const char *prev, const char *next,
		   struct tolk_err *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = hash_text(prev, &c->prev, err)) ||
	    (rc = hash_text(next, &c->next, err)))
		return rc;
	c->known = 1;
	return 0;
}

int tm_context_add_props(struct tm_unit *u, const char *prev, const char *next,
			 struct tolk_err *err)
{
	size_t i;

	if (tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_PROP, prev ? prev : "",
			      &i) ||
	    tm_unit_extra_set_attr(u, i, "type", TM_CONTEXT_PREV) ||
	    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_PROP, next ? next : "",
			      &i) ||
	    tm_unit_extra_set_attr(u, i, "type", TM_CONTEXT_NEXT))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return 0;
}

int tm_context_of_unit(const struct tm_unit *u, struct tm_context *c,
		       struct tolk_err *err)
{
	const char *prev = NULL, *next = NULL;
	size_t i, n = tm_unit_extra_count(u);

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++) {
		const char *type = tm_unit_extra_attr(u, i, "type");

		if (tm_unit_extra_level(u, i) != TM_UNIT_LEVEL ||
		    tm_unit_extra_kind(u, i) != TM_EXTRA_PROP || !type)
			continue;
		/* the first of each counts, as OmegaT reads them */
		if (!prev && strcmp(type, TM_CONTEXT_PREV) == 0)
			prev = tm_unit_extra_value(u, i);
		else if (!next && strcmp(type, TM_CONTEXT_NEXT) == 0)
			next = tm_unit_extra_value(u, i);
	}
	if (!prev && !next)
		return 0;
	return tm_context_set(c, prev, next, err);
}

static const char SQL_CONTEXT_ADD[] =
    "INSERT INTO unit_context(unit_id, prev, next) VALUES (?1, ?2, ?3)";
static const char SQL_CONTEXT_GET[] =
    "SELECT prev, next FROM unit_context WHERE unit_id = ?1";

int tm_context_index_add(struct tm_db *db, int64_t id, const struct tm_unit *u,
			 struct tolk_err *err)
{
	struct tm_context c;
	struct tm_db_stmt *st;
	int rc;

	if ((rc = tm_context_of_unit(u, &c, err)) || !c.known)
		return rc;
	if (!(st = tm_db_stmt(db, SQL_CONTEXT_ADD, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, id);
	/* the bits as they are: a hash is stored, not a quantity */
	tm_db_bind_int64(st, 2, (int64_t)c.prev);
	tm_db_bind_int64(st, 3, (int64_t)c.next);
	return tm_db_run(st, "insert context", err);
}

int tm_context_get(struct tm_store *s, int64_t id, struct tm_context *out,
		   struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(st = tm_db_stmt(tm_store_db(s), SQL_CONTEXT_GET, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, id);
	rc = tm_db_step(st, "read context", err);
	if (rc == 1) {
		out->prev = (uint64_t)tm_db_col_int64(st, 0);
		out->next = (uint64_t)tm_db_col_int64(st, 1);
		out->known = 1;
		rc = 0;
	}
	tm_db_reset(st);
	return rc;
}

int tm_context_agreement(const struct tm_context *a, const struct tm_context *b)
{
	if (!a || !b || !a->known || !b->known)
		return 0;
	return (a->prev == b->prev) + (a->next == b->next);
}

int tm_context_agree(struct tm_store *s, int64_t id, const struct tm_context *c,
		     int *agree, struct tolk_err *err)
{
	struct tm_context stored;
	int rc;

	*agree = 0;
	if (!c || !c->known)
		return 0;
	if ((rc = tm_context_get(s, id, &stored, err)))
		return rc;
	*agree = tm_context_agreement(&stored, c);
	return 0;
}
