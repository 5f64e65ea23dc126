/* tolk-vardump: the variants of a TM as text, for the CLI tests and the
 * bench scripts.  They used to read the variant table with the sqlite3
 * shell; a test that goes through this tool instead does not depend on
 * how the store keeps a unit's variants, so that a change of that layout
 * changes vardump_read() below and no test.  It opens the TM as tolk does
 * (tm/db.h), never upgrades it and never writes.
 *
 *   tolk-vardump DB          one line per variant, by unit id and seq:
 *                            unit_id|seq|lang|lang_key|text|markup|attrs|norm_key
 *   tolk-vardump --count DB  the number of variants
 *   tolk-vardump --sql9 DB   SQL that recreates schema 9's variant table,
 *                            its index and the lang_variant view with
 *                            these variants and drops schema 10's
 *                            unit.vars, and gives the one-posting keys
 *                            of schema 11's match_one rows in match_tok
 *                            again (for a test that takes a TM back to
 *                            an older schema by hand)
 *
 * In a line, text, markup, lang and lang_key escape a backslash as \\, a
 * tab as \t, a newline as \n, a carriage return as \r and a '|' or any
 * other byte below 0x20 as \xHH: a line is one variant, `cut -d'|'` finds
 * its fields, and the bytes can be told back exactly.  A NULL (no markup,
 * no norm_key) prints as \N; attrs as hex (empty when none).  Exit 0, 2
 * on a wrong command line, 3 when the TM cannot be read. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tm/db.h"
#include "tm/vars_int.h"
#include "util/err.h"

struct vardump_row {
	int64_t unit_id, seq;
	const char *lang, *lang_key, *text;
	const char *markup; /* NULL: none */
	const unsigned char *attrs;
	size_t attrs_len; /* 0: none */
	int64_t norm_key;
	int has_norm_key;
};

typedef int (*vardump_fn)(const struct vardump_row *r, void *ctx);

/* The one place that knows where the variants are: calls fn with each
 * variant in (unit_id, seq) order, its pointers valid during the call.
 * A non-zero return of fn stops the walk and is returned. */
static int vardump_read(struct tm_db *db, vardump_fn fn, void *ctx,
			struct tolk_err *err)
{
	struct tm_vars_unit u = TM_VARS_UNIT_INIT;
	struct tm_vars_it it;
	struct tm_var var;
	struct vardump_row r;
	int v, rc;

	rc = tm_db_schema_version(db, &v, err);
	if (rc)
		goto cleanup;
	/* another layout must not be read as if it were this one (11
	 * changed only the match index) */
	if (v != 10 && v != 11) {
		rc = tolk_err_set(
		    err, TOLK_EDB,
		    "schema %d: this tool reads schemas 10 and 11", v);
		goto cleanup;
	}
	rc = tm_vars_scan_begin(&u, db, err);
	if (rc)
		goto cleanup;
	while ((rc = tm_vars_scan_next(&u, err)) == 1) {
		rc = tm_vars_init_id(&it, u.blob, u.len, u.id, err);
		if (rc)
			goto cleanup;
		while ((rc = tm_vars_next(&it, &var, err)) == 1) {
			r.unit_id = u.id;
			r.seq = var.seq;
			r.lang = var.lang;
			r.lang_key = var.lkey;
			r.text = var.text;
			r.markup = var.markup;
			r.attrs = var.attrs;
			r.attrs_len = var.attrs_len;
			r.has_norm_key = var.has_key;
			r.norm_key = var.norm_key;
			rc = fn(&r, ctx);
			if (rc)
				goto cleanup;
		}
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	tm_vars_scan_end(&u);
	tm_vars_unit_release(&u);
	return rc;
}

static void put_escaped(const char *s)
{
	const unsigned char *p;

	if (!s) {
		fputs("\\N", stdout);
		return;
	}
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		default:
			if (*p < 0x20 || *p == '|')
				printf("\\x%02X", *p);
			else
				putchar(*p);
		}
	}
}

static void put_hex(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
}

static int print_line(const struct vardump_row *r, void *ctx)
{
	(void)ctx;
	printf("%" PRId64 "|%" PRId64 "|", r->unit_id, r->seq);
	put_escaped(r->lang);
	putchar('|');
	put_escaped(r->lang_key);
	putchar('|');
	put_escaped(r->text);
	putchar('|');
	put_escaped(r->markup);
	putchar('|');
	put_hex(r->attrs, r->attrs_len);
	putchar('|');
	if (r->has_norm_key)
		printf("%" PRId64, r->norm_key);
	else
		fputs("\\N", stdout);
	putchar('\n');
	return 0;
}

static int count_row(const struct vardump_row *r, void *ctx)
{
	(void)r;
	++*(int64_t *)ctx;
	return 0;
}

/* An SQL string literal: quotes doubled, every other byte as it is. */
static void put_literal(const char *s)
{
	if (!s) {
		fputs("NULL", stdout);
		return;
	}
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			putchar('\'');
		putchar(*s);
	}
	putchar('\'');
}

static int print_insert(const struct vardump_row *r, void *ctx)
{
	(void)ctx;
	printf("INSERT INTO variant(unit_id, seq, lang, lang_key, text, "
	       "markup, norm_key, attrs) VALUES (%" PRId64 ", %" PRId64 ", ",
	       r->unit_id, r->seq);
	put_literal(r->lang);
	fputs(", ", stdout);
	put_literal(r->lang_key);
	fputs(", ", stdout);
	put_literal(r->text);
	fputs(", ", stdout);
	put_literal(r->markup);
	fputs(", ", stdout);
	if (r->has_norm_key)
		printf("%" PRId64, r->norm_key);
	else
		fputs("NULL", stdout);
	fputs(", ", stdout);
	/* the store keeps "no attributes" as NULL */
	if (r->attrs_len) {
		fputs("X'", stdout);
		put_hex(r->attrs, r->attrs_len);
		putchar('\'');
	} else {
		fputs("NULL", stdout);
	}
	fputs(");\n", stdout);
	return 0;
}

/* Schema 9's table, index and view with the text SQLite keeps for them
 * after migrations 0 -> 1, 1 -> 2, 5 -> 6, 6 -> 7 and 7 -> 8 (tm/store.c),
 * so that sqlite_master reads as in a TM those migrations made. */
static const char sql9_head[] =
    "CREATE TABLE variant (  id INTEGER PRIMARY KEY,  unit_id INTEGER NOT "
    "NULL REFERENCES unit(id) ON DELETE CASCADE,  seq INTEGER NOT NULL,  "
    "lang TEXT NOT NULL,  lang_key TEXT NOT NULL,  text TEXT NOT NULL,  "
    "markup TEXT,  attrs BLOB, norm_key INTEGER);\n";
static const char sql9_tail[] =
    "CREATE INDEX variant_unit ON variant(unit_id, seq);\n"
    "CREATE VIEW lang_variant AS SELECT v.*,   (SELECT count(*) FROM "
    "variant x WHERE x.unit_id = v.unit_id    AND x.lang_key = v.lang_key "
    "AND x.seq < v.seq) AS nth FROM variant v;\n"
    /* schema 10 keeps them in the unit row (tm/vars_int.h) */
    "ALTER TABLE unit DROP COLUMN vars;\n";

static uint64_t get_varint(const unsigned char **p, const unsigned char *end,
			   int *bad)
{
	uint64_t v = 0;
	int shift = 0;

	while (*p < end && shift < 64) {
		unsigned char c = *(*p)++;

		v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
		if (!(c & 0x80))
			return v;
	}
	*bad = 1;
	return 0;
}

static void put_varint(uint64_t v)
{
	while (v >= 0x80) {
		printf("%02X", (unsigned)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	printf("%02X", (unsigned)v);
}

/* Schema 11 keeps a key with one unit as an entry of its bucket's row in
 * match_one (tm/match.c: the bucket is the key's high 14 bits, an entry
 * the gap of its low 50 bits from the entry before's, len and unit as
 * LEB128); schema 10 gave it a match_tok row with one inline record
 * (len, unit, no gaps). */
static int print_ones(struct tm_db *db, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc, bad = 0;

	st = tm_db_stmt(db, "SELECT b, post FROM match_one ORDER BY b", err);
	if (!st)
		return err->code;
	while ((rc = tm_db_step(st, "match_one", err)) == 1) {
		uint64_t hi = (uint64_t)tm_db_col_int64(st, 0) << 50, low = 0;
		size_t n;
		const unsigned char *p = tm_db_col_blob(st, 1, &n),
				    *end = p + n;

		while (p < end && !bad) {
			uint64_t gap = get_varint(&p, end, &bad);
			uint64_t len = get_varint(&p, end, &bad);
			uint64_t unit = get_varint(&p, end, &bad);

			low += gap;
			printf("INSERT INTO match_tok(tok, n, post) VALUES "
			       "(%" PRId64 ", 1, X'",
			       (int64_t)(hi | low));
			put_varint(len);
			put_varint(unit);
			fputs("00');\n", stdout);
		}
	}
	tm_db_reset(st);
	if (!rc && bad)
		rc = tolk_err_set(err, TOLK_EDB, "a match_one row is damaged");
	if (!rc)
		fputs("DROP TABLE match_one;\n", stdout);
	return rc;
}

static void usage(FILE *f)
{
	fputs("usage: tolk-vardump [--count | --sql9] DB\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"count", no_argument, NULL, 'c'},
	    {"sql9", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	enum { LINES, COUNT, SQL9 } mode = LINES;
	struct tm_db *db = NULL;
	struct tolk_err err;
	char msg[2048];
	int64_t n = 0;
	int c, rc, status = 3, version = 0;

	tolk_err_clear(&err);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			mode = COUNT;
			break;
		case 's':
			mode = SQL9;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	rc = tm_db_open(&db, argv[optind], TM_DB_MUST_EXIST | TM_DB_READ_INTENT,
			&err);
	if (rc)
		goto cleanup;
	/* one snapshot, should a writer be at work */
	rc = tm_db_begin(db, TM_DB_READ, &err);
	if (!rc)
		rc = tm_db_schema_version(db, &version, &err);
	if (rc)
		goto cleanup;
	switch (mode) {
	case LINES:
		rc = vardump_read(db, print_line, NULL, &err);
		break;
	case COUNT:
		rc = vardump_read(db, count_row, &n, &err);
		if (!rc)
			printf("%" PRId64 "\n", n);
		break;
	case SQL9:
		fputs("BEGIN;\n", stdout);
		fputs(sql9_head, stdout);
		rc = vardump_read(db, print_insert, NULL, &err);
		if (!rc && version >= 11)
			rc = print_ones(db, &err);
		/* a failed read leaves the transaction open: nothing
		 * of it is kept */
		if (!rc)
			printf("%sCOMMIT;\n", sql9_tail);
		break;
	}
	tm_db_rollback(db);
	if (!rc && fflush(stdout) == 0 && !ferror(stdout))
		status = 0;
	else if (!rc)
		tolk_err_set(&err, TOLK_EIO, "cannot write the output");
cleanup:
	if (status) {
		tolk_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "tolk-vardump: %s: %s\n", argv[optind], msg);
	}
	tm_db_close(db);
	return status;
}
