/* Context matches (101): units that remember their neighbours.
 *
 * A unit's context is the source text of the segment before it and of
 * the one after it in the document it was translated in.  It is kept in
 * the unit the way OmegaT writes it in TMX, as unit-level props
 * <prop type="prev"> and <prop type="next"> holding the neighbours'
 * texts, so that an export carries it to a CAT tool that reads it and an
 * OmegaT TMX brings its context in unchanged.  A neighbour that does not
 * exist (the first or last segment) is an empty prop: a unit with
 * neither prop has no known context.
 *
 * For lookups the store keeps beside each unit with a context the hashes
 * of the two neighbours (table unit_context): tolk_fnv64 of the text in
 * its tolk_text_norm form, mixed with tolk_hash_fmix64.  A match whose
 * source is exact (100) and whose stored hashes equal the query's scores
 * 101.  Units stored before that table existed keep their props but have
 * no hashes until they are imported again.
 *
 * Other tools' context is not the same thing: Trados Studio's x-Context
 * props are its own hashes (not reproducible), Swordfish's prev-xx-yy
 * props name the neighbour's tuid; both are kept as props, not used. */
#ifndef TM_CONTEXT_H
#define TM_CONTEXT_H

#include <stdint.h>

#include "tm/store.h"
#include "tm/unit.h"
#include "util/err.h"

/* Props that hold a unit's context (OmegaT's names). */
#define TM_CONTEXT_PREV "prev"
#define TM_CONTEXT_NEXT "next"

/* A segment's context as hashes; known is 0 when nothing is known. */
struct tm_context {
	uint64_t prev, next;
	int known;
};

/* Sets *c from the neighbours' texts (UTF-8; NULL for none, the same as
 * ""). */
int tm_context_set(struct tm_context *c, const char *prev, const char *next,
		   struct tolk_err *err);

/* Adds the prev/next props to u (NULL neighbours as empty props). */
int tm_context_add_props(struct tm_unit *u, const char *prev, const char *next,
			 struct tolk_err *err);

/* The context u's props give it (known 0 when it has neither). */
int tm_context_of_unit(const struct tm_unit *u, struct tm_context *c,
		       struct tolk_err *err);

/* The context stored for unit id (known 0 when none is). */
int tm_context_get(struct tm_store *s, int64_t id, struct tm_context *out,
		   struct tolk_err *err);

/* How far two contexts agree: 2 both neighbours (a context match), 1 one
 * of them, 0 none or either unknown. */
int tm_context_agreement(const struct tm_context *a,
			 const struct tm_context *b);

/* tm_context_agreement of unit id's stored context with c. */
int tm_context_agree(struct tm_store *s, int64_t id, const struct tm_context *c,
		     int *agree, struct tolk_err *err);

#endif
