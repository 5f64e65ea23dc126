/* tolk's one non-cryptographic hash: FNV-1a (32 and 64 bit) and two
 * 64-bit finalisers.
 *
 * PART OF THE FILE FORMAT.  The match index's posting keys (match_blk,
 * match_df, match_sim), the store's duplicate keys (unit.dup_hi, dup_lo) and
 * exact-match keys (variant.norm_key) are these
 * hashes of text as written to disk: changing any function or constant
 * here orphans them.  Whoever changes one must raise TOLK_HASH_VERSION,
 * which the match index records in each database and checks at open (a
 * mismatch rebuilds the index or asks for `tolk reindex`). */
#ifndef TOLK_HASH_H
#define TOLK_HASH_H

#include <stddef.h>
#include <stdint.h>

#define TOLK_HASH_VERSION 1

#define TOLK_FNV64_OFFSET 0xcbf29ce484222325ULL
#define TOLK_FNV64_PRIME  0x100000001b3ULL
#define TOLK_FNV32_OFFSET 2166136261u
#define TOLK_FNV32_PRIME  16777619u

/* One FNV-1a step: h takes in the unit c (a byte, or a UTF-16 code unit
 * where a caller hashes UChar strings). */
static inline uint64_t tolk_fnv64_step(uint64_t h, uint32_t c)
{
	return (h ^ c) * TOLK_FNV64_PRIME;
}

/* FNV-1a of n bytes, from h (TOLK_FNV64_OFFSET, or it xor a seed). */
static inline uint64_t tolk_fnv64(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = tolk_fnv64_step(h, s[i]);
	return h;
}

/* FNV-1a (32 bit) of the four bytes of c, least significant first. */
static inline uint32_t tolk_fnv32_u32(uint32_t h, uint32_t c)
{
	int k;

	for (k = 0; k < 4; k++) {
		h ^= (c >> (8 * k)) & 0xFF;
		h *= TOLK_FNV32_PRIME;
	}
	return h;
}

/* MurmurHash3's 64-bit finaliser: spreads FNV's weak low bits. */
static inline uint64_t tolk_hash_fmix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* A second, independent mixer (the match index combines keys with it). */
static inline uint64_t tolk_hash_mix64(uint64_t h)
{
	h ^= h >> 31;
	h *= 0x7fb5d329728ea185ULL;
	h ^= h >> 27;
	h *= 0x81dadef4bc2dd44dULL;
	h ^= h >> 33;
	return h;
}

#endif
