/* The store's hook that keeps unit_context in step with the units (see
 * tm/context.h).  Not part of the public API. */
#ifndef TM_CONTEXT_INT_H
#define TM_CONTEXT_INT_H

#include <stdint.h>

#include "tm/db.h"
#include "tm/unit.h"
#include "util/err.h"

/* Records the hashes of u's context for unit id, inside the caller's
 * transaction; nothing when u has no context props.  The row goes with
 * the unit (ON DELETE CASCADE). */
int tm_context_index_add(struct tm_db *db, int64_t id, const struct tm_unit *u,
			 struct tolk_err *err);

#endif
