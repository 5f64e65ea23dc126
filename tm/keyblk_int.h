#ifndef TOLK_TM_KEYBLK_INT_H
#define TOLK_TM_KEYBLK_INT_H

/* The store's key tables (schema 8, tm/store.c): unit_dupk finds units by
 * their duplicate key's high half (unit.dup_hi), variant_normk by their
 * variants' exact-match keys (variant.norm_key).  Both are hashes, so an
 * index on them took each insert to a random page, and an import rebuilt
 * both at its end with SQLite's sorter, a sixth of the row writer.
 *
 * A table has one row per bucket, the key's high TM_KEYBLK_BITS bits
 * (b INTEGER PRIMARY KEY), holding the bucket's entries in one blob: per
 * entry the key's next 16 bits and the unit's id, sorted by (bits, id),
 * each entry once.  30 bits of the key only narrow the search: the
 * caller compares the row's own key (and the text) as before.  An import
 * collects entries as 64-bit words (tm_keyblk_entry), sorts them here
 * and writes each bucket once; single writes merge into or drop from a
 * bucket's blob.
 *
 * An entry is two bytes (the 16 bits, little-endian) and the id in
 * LEB128.  The SQLite connection registers the blob functions below for
 * SQL (tm/db_sqlite.c): the upgrade to schema 8 fills the tables in SQL,
 * and a write merges into a stored bucket in its INSERT. */

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

/* 16,384 buckets: at a million units 60 duplicate keys and 120 exact-match
 * keys a bucket, a few hundred bytes, which an import writes as few rows
 * and a single write rewrites cheaply. */
#define TM_KEYBLK_BITS 14

/* The bucket of key: its high TM_KEYBLK_BITS bits. */
static inline int64_t tm_keyblk_bucket(int64_t key)
{
	return (int64_t)((uint64_t)key >> (64 - TM_KEYBLK_BITS));
}

/* The 16 bits of key (after its bucket's) an entry keeps. */
static inline unsigned tm_keyblk_low(int64_t key)
{
	return (unsigned)((uint64_t)key >> (48 - TM_KEYBLK_BITS)) & 0xffffu;
}

/* key and id (below 2^32) as one word whose order is the tables': bucket,
 * bits, id.  tm_keyblk_bucket and tm_keyblk_low of the word are the
 * key's. */
static inline uint64_t tm_keyblk_entry(int64_t key, int64_t id)
{
	return ((uint64_t)key & ~((1ull << (48 - TM_KEYBLK_BITS)) - 1)) |
	       (uint64_t)id;
}

/* The most bytes an entry takes: two, and an id's LEB128 (64 bits). */
#define TM_KEYBLK_ENTRY_MAX 12

/* An entry (the 16 bits low, id) into out, TM_KEYBLK_ENTRY_MAX bytes of
 * room at least: its length. */
static inline size_t tm_keyblk_enc(unsigned char *out, unsigned low, int64_t id)
{
	uint64_t v = (uint64_t)id;
	size_t n = 2;

	out[0] = (unsigned char)(low & 0xff);
	out[1] = (unsigned char)(low >> 8);
	while (v > 0x7f) {
		out[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	out[n++] = (unsigned char)v;
	return n;
}

/* Reads a blob's entries in order. */
struct tm_keyblk_it {
	const unsigned char *p, *end;
};

static inline void tm_keyblk_it_init(struct tm_keyblk_it *it, const void *blob,
				     size_t len)
{
	it->p = blob;
	it->end = it->p ? it->p + len : NULL;
}

/* The next entry: 1, or 0 at the end (also of a damaged blob). */
int tm_keyblk_next(struct tm_keyblk_it *it, unsigned *low, int64_t *id);

/* Appends entry (low, id) to b; -1 out of memory. */
int tm_keyblk_put(struct tolk_buf *b, unsigned low, int64_t id);

/* The entries of blobs a and b, each in order, into out in order, an
 * entry in both once; -1 out of memory. */
int tm_keyblk_merge(struct tolk_buf *out, const void *a, size_t na,
		    const void *b, size_t nb);

/* The entries of blob a but those of unit id into out; -1 out of memory. */
int tm_keyblk_drop(struct tolk_buf *out, const void *a, size_t na, int64_t id);

/* Sorts n entries (tm_keyblk_entry) in place, each once: their number
 * left. */
size_t tm_keyblk_sort(uint64_t *e, size_t n);

#endif
