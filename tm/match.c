/* The matcher's candidate index, lookups and concordance.
 *
 * Every unit's variants (the first in each language) are posted under
 * (key, len, unit) in match_post, where len is its number of content tokens
 * (words and numbers) and the keys, hashed with the source language, are
 *   - each distinct word (loose form: case and diacritics folded),
 *   - ALL, which every unit has (length-only scans),
 *   - START, its first three content tokens (for partial matches).
 * match_tok has a row per key: the number of units posted under it and,
 * while its postings are small (INLINE_MAX), their blocks inline, so that
 * most keys cost one row rather than a count and a block or more (an
 * import writes half as many rows, a lookup reads one).  A delete
 * computes the unit's keys again from its texts to take its postings
 * out.
 *
 * Similar words (tm/match_text.c: same stem, one typo) are found through the
 * vocabulary, match_sim: each distinct word's loose form under its stem
 * key and, for words of MT_TYPO_MIN bytes or more, its two halves
 * (key_half).  A lookup reads the words under its own words' keys,
 * measures each with mt_word_cost and reads the postings of those that
 * are similar, with their exact credit.  Posting the units under those
 * keys instead tripled the index, and the halves of short words have
 * long posting lists that every lookup read.  A deleted unit's words stay
 * in the vocabulary: a word without postings costs a lookup one empty
 * range scan.
 *
 * A lookup for score >= M with Cq content tokens, Nq of them numbers
 * (tm/match_text.c gives the formula and why these hold for any unit that
 * reaches M):
 *   - length:  100 * min(Cq, len) >= M * max(Cq, len)
 *   - words:   shared words m >= need(len) = ceil(M * max(Cq, len) / 100)
 *              - Nq (numbers align with any number, so they may stand in
 *              for words the index cannot see)
 * Prefix filter: the query's distinct words sorted rarest first, with
 * counts q_i; a unit can reach need only if it has one of the first j
 * words, where the q_i of the rest sum to less than need.  Their postings
 * (one length range each, no join: one indexed range scan per key) give
 * the candidates with a count of the words seen; each further word is
 * then either scanned or probed per candidate, whichever reads less, and a
 * candidate is dropped once count + (q of the words left) < need(len).
 * The survivors are scored exactly.  When need <= 0 (a query of numbers
 * only, or M = 0) the ALL key's length range is the candidate set.
 * The prefix's postings are gathered and radix-sorted by unit, not counted
 * in a hash map as they come: at a million units that map was megabytes
 * and every posting a cache miss in it.  A further word is not probed for
 * a candidate viable without it (it is credited as found, so its count
 * stays an upper bound): the units that do match then cost no probes. */
#include "tm/context.h"
#include "tm/db.h"
#include "tm/match_int.h"
#include "tm/unit_int.h"
#include "tm/vars_int.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/lang.h"
#include "util/mem.h"
#include "util/vec.h"
#include "util/writeback.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uversion.h>
#include <unistd.h>

/* A posting's len is the unit's content tokens << LEN_SHIFT | its
 * numbers (NUM_MASK: that many or more). */
#define LEN_SHIFT 6
#define NUM_MASK  63

#define PARTIAL_MIN_TOKENS 3
#define PARTIAL_MIN_SHARE  20 /* percent of the query's content tokens */

enum {
	S_BLK_AT,
	S_BLK_PAIR,
	S_BLK_PUT,
	S_BLK_DEL,
	S_DF_INC,
	S_DF_DEC,
	S_DF_DROP,
	S_DF_GET,
	S_ONE_GET,
	S_ONE_PUT,
	S_ONE_DEL,
	S_SCAN,
	S_SIM_INS,
	S_SIM_GET,
	S_TOK_GET,
	S_TOK_PUT,
	S_TOK_DEL,
	NSTMT
};

static const char *const stmt_sql[NSTMT] = {
    /* the block that holds (or would hold) unit ?3 */
    [S_BLK_AT] = "SELECT first, ids FROM match_blk WHERE tok = ?1 "
		 "AND len = ?2 AND first <= ?3 ORDER BY first DESC LIMIT 1",
    /* the block holding unit ?3 (if any) and the one after it */
    [S_BLK_PAIR] = "SELECT first, ids FROM match_blk WHERE tok = ?1 "
		   "AND len = ?2 AND first >= coalesce((SELECT first FROM "
		   "match_blk WHERE tok = ?1 AND len = ?2 AND first <= ?3 "
		   "ORDER BY first DESC LIMIT 1), ?3) ORDER BY first LIMIT 2",
    [S_BLK_PUT] = "INSERT INTO match_blk(tok, len, first, ids) "
		  "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(tok, len, first) "
		  "DO UPDATE SET ids = excluded.ids",
    [S_BLK_DEL] = "DELETE FROM match_blk WHERE tok = ?1 AND len = ?2 "
		  "AND first = ?3",
    /* a server's keys (their blocks all in match_blk) */
    [S_DF_INC] = "INSERT INTO match_tok(tok, n) VALUES (?1, ?2) "
		 "ON CONFLICT(tok) DO UPDATE SET n = match_tok.n + ?2",
    /* what is left, so that a count that reaches 0 goes as a rebuild
     * would leave it: no row */
    [S_DF_DEC] = "UPDATE match_tok SET n = n - ?2 WHERE tok = ?1 "
		 "RETURNING n",
    [S_DF_DROP] = "DELETE FROM match_tok WHERE tok = ?1 AND n <= 0",
    /* the count, and 1 when the blocks are in match_blk (an integer on
     * both backends) */
    [S_DF_GET] = "SELECT n, CASE WHEN post IS NULL THEN 1 ELSE 0 END "
		 "FROM match_tok WHERE tok = ?1",
    /* a bucket of one-posting keys (see one_find) */
    [S_ONE_GET] = "SELECT post FROM match_one WHERE b = ?1",
    [S_ONE_PUT] = "INSERT INTO match_one(b, post) VALUES (?1, ?2) "
		  "ON CONFLICT(b) DO UPDATE SET post = excluded.post",
    [S_ONE_DEL] = "DELETE FROM match_one WHERE b = ?1",
    [S_SCAN] = "SELECT len, first, ids FROM match_blk "
	       "WHERE tok = ?1 AND len BETWEEN ?2 AND ?3",
    [S_SIM_INS] = "INSERT INTO match_sim(tok, word) VALUES (?1, ?2) "
		  "ON CONFLICT DO NOTHING",
    [S_SIM_GET] = "SELECT word FROM match_sim WHERE tok = ?1",
    /* a key's row: its count and, NULL when they are in match_blk, its
     * blocks inline */
    [S_TOK_GET] = "SELECT n, post FROM match_tok WHERE tok = ?1",
    [S_TOK_PUT] = "INSERT INTO match_tok(tok, n, post) VALUES (?1, ?2, ?3) "
		  "ON CONFLICT(tok) DO UPDATE SET n = excluded.n, "
		  "post = excluded.post",
    [S_TOK_DEL] = "DELETE FROM match_tok WHERE tok = ?1",
};

/* On a server, every round trip costs: the pairs of all candidates, and
 * the counts of all query words, are read in one statement each (?3 and
 * ?1 a PostgreSQL array literal "{id,...}"). */
/* lang_variant's nth, spelt out per unit: the planner cannot push the
 * ids into the view's correlated count and would rank every variant. */
static const char SQL_PAIRS_PG[] =
    "SELECT u.id, s.text, t.text, s.lang, t.lang "
    "FROM unnest(CAST(?3 AS bigint[])) AS u(id) "
    "CROSS JOIN LATERAL (SELECT text, lang FROM variant "
    " WHERE unit_id = u.id AND lang_key = ?1 ORDER BY seq LIMIT 1) s "
    "CROSS JOIN LATERAL (SELECT text, lang FROM variant "
    " WHERE unit_id = u.id AND lang_key = ?2 ORDER BY seq "
    " OFFSET CASE WHEN ?1 = ?2 THEN 1 ELSE 0 END LIMIT 1) t";
static const char SQL_DFS_PG[] =
    "SELECT tok, n FROM match_tok WHERE tok = ANY(CAST(?1 AS bigint[]))";
/* the vocabulary under all the query words' keys (similar_words) */
static const char SQL_SIM_PG[] =
    "SELECT tok, word FROM match_sim WHERE tok = ANY(CAST(?1 AS bigint[]))";
/* the postings of all the keys of one query word (scan_word) */
static const char SQL_SCAN_PG[] =
    "SELECT len, first, ids, tok FROM match_blk "
    "WHERE tok = ANY(CAST(?1 AS bigint[])) AND len BETWEEN ?2 AND ?3";

/* A server's pairs of every unit, as fetch_pair picks them: what
 * --exhaustive scores (SQLite: pair_scan decodes its units' variants). */
static const char SQL_ALL_PAIRS_PG[] =
    "SELECT u.id, s.text, t.text, s.lang, t.lang FROM unit u "
    "JOIN lang_variant s ON s.unit_id = u.id "
    " AND s.lang_key = ?1 AND s.nth = 0 "
    "JOIN lang_variant t ON t.unit_id = u.id AND t.lang_key = ?2 "
    " AND t.nth = CASE WHEN ?1 = ?2 THEN 1 ELSE 0 END "
    "ORDER BY u.id";

/* The index format this build writes (see tm_match_index_format). */
static const char SQL_FORMAT_GET[] =
    "SELECT value FROM tolk_meta WHERE name = 'match_index_format'";
static const char SQL_FORMAT_PUT[] =
    "INSERT INTO tolk_meta(name, value) VALUES ('match_index_format', ?1) "
    "ON CONFLICT(name) DO UPDATE SET value = ?1";
/* every key with postings has its row or its bucket's entry */
static const char SQL_ANY_POSTING[] =
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM match_tok) "
    "OR EXISTS (SELECT 1 FROM match_one)";

/* Postings wait until the transaction commits (or someone reads the
 * index): written sorted, each block is written once per transaction
 * rather than once per unit, and each key's count is updated once.  They
 * are buffered PENDING_MAX at a time (8 MB as struct bpost, and the
 * sort's copy of it), so that an import's memory does not grow with its
 * size; a full buffer is sorted and spilled to a temporary file as a run,
 * and the runs are merged when they are written.  Writing each full buffer
 * to the index instead rewrote the last block of nearly every (key, len)
 * once per buffer: as many statements as postings. */
#define PENDING_MAX (1u << 19)
/* texts a transaction indexes before the indexing thread starts (below) */
#define WORKER_AFTER 2048

struct post {
	int64_t tok, unit;
	int32_t len;
};

/* A posting as buffered and sorted before a spill: 16 bytes rather than
 * struct post's 24, the unit an offset from the buffer's ubase (a
 * unit that does not fit spills the buffer first).  The buffer is
 * written once, read and written twice by the sort and read once more by
 * the spill, 12 MB a spill at 24 bytes: a third of that traffic, and of
 * the pages first touched, goes. */
struct bpost {
	int64_t tok;
	uint32_t u;
	int32_t len;
};

_Static_assert(sizeof(struct bpost) == 16, "a buffered posting is 16 bytes");

/* A run: a sorted buffer of postings spilled at off (bytes long), the
 * postings seq [a, b) of the transaction's sequence; on a savepoint's
 * rollback those of units above keep are dropped (dead: all of them). */
struct run {
	int64_t off, bytes;
	uint64_t a, b;
	int64_t keep;
	int64_t base; /* no unit of the run is below it */
	int dead;
};

/* Where the postings buffered when a level opened end: their sequence
 * number and the last unit posted; and how many removals were buffered
 * then. */
struct mark {
	uint64_t seq;
	int64_t unit;
	size_t nrem;
};

/* A vocabulary row waiting to be written: key and the word's loose form
 * (at off in the ctx's word pool). */
struct simrow {
	int64_t tok;
	uint32_t off;
	unsigned char len;
};

/* ---- posting blocks -----------------------------------------------------
 * The units of one (key, len) are stored in blocks of at most BLK_MAX,
 * sorted: a row (tok, len, first, ids) where ids holds the gaps between
 * consecutive units as LEB128 varints.  A posting costs a byte or two
 * rather than a row of twenty, and a scan decodes a block in C rather
 * than stepping through its rows. */
#define BLK_MAX 128

static size_t put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* Decodes the block (first, ids[0..n)) into out (at most cap units);
 * a malformed block ends where it stops making sense.  Lookups decode
 * tens of thousands of postings each: a gap of one byte (a common key's)
 * or two (a rarer one's) takes a short path. */
static size_t blk_decode(int64_t first, const unsigned char *b, size_t n,
			 int64_t *out, size_t cap)
{
	const unsigned char *p = b, *end = b + n;
	int64_t *o = out, *oend = out + cap;
	uint64_t id = (uint64_t)first;

	if (cap == 0)
		return 0;
	*o++ = first;
	while (p < end && o < oend) {
		uint64_t v = *p++;

		if (v & 0x80) {
			v &= 0x7f;
			if (p < end && !(*p & 0x80)) {
				v |= (uint64_t)*p++ << 7;
			} else {
				int shift = 7;

				while (p < end && shift < 63) {
					unsigned char c = *p++;

					v |= (uint64_t)(c & 0x7f) << shift;
					shift += 7;
					if (!(c & 0x80))
						break;
				}
			}
		}
		if (v == 0)
			break;
		id += v;
		*o++ = (int64_t)id;
	}
	return (size_t)(o - out);
}

/* The gaps of ids[1..n) into buf (10 bytes per id at most). */
static size_t blk_encode(const int64_t *ids, size_t n, unsigned char *buf)
{
	size_t i, w = 0;

	for (i = 1; i < n; i++)
		w += put_varint(buf + w, (uint64_t)(ids[i] - ids[i - 1]));
	return w;
}

const char *tm_match_sql(size_t i)
{
	return i < NSTMT ? stmt_sql[i] : NULL;
}

#define QROWS	   64
#define RECENT	   32768	  /* words in seen_add's small table */
#define BLK_BYTES  (10 * BLK_MAX) /* a block's varints at most */
#define INLINE_MAX 1024 /* a key's inline blocks at most (keys' rows) */

_Static_assert(INLINE_MAX <= BLK_BYTES, "a key's row fits a qbuf's slot");

/* one-posting keys' buckets (see one_find) */
#define ONE_BITS  14
#define ONE_SHIFT (64 - ONE_BITS)
#define ONE_LOW	  ((UINT64_C(1) << ONE_SHIFT) - 1)
/* A bucket gathered for a batch (one_gather) takes at most this: a key
 * that would make it bigger keeps a row of its own.  At a million units a
 * bucket holds some 60 keys, 700 bytes. */
#define ONE_CAP	      16384
#define ONE_ENTRY_MAX 30 /* three varints */
/* changes gathered before their buckets are rewritten */
#define ONE_OPS 4096

_Static_assert(ONE_CAP <= QROWS * BLK_BYTES, "a bucket's row fits a qbuf");

struct qblk {
	int64_t tok, first;
	int len;
	size_t off, n; /* its bytes in the qbuf's qb */
};

/* QROWS rows or fewer for one INSERT: blocks (qk, their bytes one after
 * the other in qb: a few pages touched, not all) or, df Q_TOK, keys' rows
 * (qk's tok, first the count, the inline blocks in qb: none, NULL) or,
 * df Q_ONE, buckets of one-posting keys (qk's tok the bucket, its
 * entries in qb). */
enum { Q_BLK, Q_TOK, Q_ONE };
struct qbuf {
	size_t n;
	int df;
	struct qblk qk[QROWS];
	unsigned char qb[QROWS * BLK_BYTES];
};

struct mpipe;

/* A change of a one-posting key: its entry (tok, len, unit) into its
 * bucket, or (del) out of it. */
struct oneop {
	int64_t tok, unit;
	int len, del;
};

struct tm_match_ctx {
	struct tm_db *db;
	struct mt_tokenizer *tk;
	struct mt_text mt;
	struct bpost *pend;
	size_t npend, pendcap;
	int64_t ubase; /* pend's units are ubase + u */
	int64_t ulo;   /* none of them is below it */
	/* sort_posts' copy of pend, kept from spill to spill: it becomes
	 * pend, and pend the next copy */
	struct bpost *sortbuf;
	size_t sortcap;
	/* the sequence number of pend[0] (postings spilled before it) and
	 * the last unit posted */
	uint64_t seq0;
	int64_t last_unit;
	/* where the postings buffered when each transaction level opened
	 * end: a rolled back savepoint drops the postings buffered since */
	struct mark *marks;
	int nmarks;
	/* the spilled runs, in the temporary file tmpfd (-1: none yet) */
	struct run *runs;
	size_t nruns, runcap;
	int tmpfd;
	int64_t tmpend;
	unsigned char *wbuf;
	/* a (key, len) group gathered from the runs */
	struct post *grp;
	size_t grpcap;
	struct worker *w; /* NULL until a transaction indexes many texts */
	size_t nsync;	  /* texts indexed in this thread meanwhile */
	size_t spill_at, thread_after; /* PENDING_MAX, WORKER_AFTER */
	int bulk_tx;   /* tm_match_index_bulk: the thread from the first text */
	int format_ok; /* the recorded format is this build's */
	/* vocabulary rows waiting, and the words (word keys) written or
	 * waiting in this transaction: open addressing, 0 = empty */
	struct simrow *sim;
	size_t nsim, simcap;
	char *wpool;
	size_t nwpool, wpoolcap;
	uint64_t *seen;
	size_t nseen, seencap;
	uint64_t *recent; /* RECENT words of seen, by key */
	/* a block being rewritten: its units merged with the new ones */
	int64_t *mrg;
	size_t mrgcap;
	unsigned char *enc;
	size_t enccap;
	/* Removals wait like postings: (key, len, unit) of units taken out
	 * since the last flush, which applies them first.  None is of a
	 * unit still waiting in pend or the runs (add_lo, the lowest unit
	 * added since the last flush, says when one could be: then the
	 * removal flushes first), so removing before adding is the order
	 * they came in. */
	struct post *rem;
	size_t nrem, remcap;
	int64_t add_lo;
	/* a server: the blocks blk_pair will ask for next (blk_prefetch) */
	struct blk_pre *pre;
	size_t npre, ipre, precap;
	unsigned char *prepool;
	size_t prepoolcap;
	/* the key being written (key_begin to key_end): its count before,
	 * and its inline records (kin) until it outgrows them (kbig), none
	 * of a len above klen */
	int kon, kbig, remote, klen;
	int kone;	   /* the key was read from its bucket in match_one */
	size_t inline_max; /* INLINE_MAX, or less for the tests */
	int64_t ktok, kn;
	unsigned char *kin, *kout;
	size_t nkin, kincap, koutcap;
	/* a flush into an empty index on SQLite: blocks and counts are
	 * written QROWS rows to an INSERT (see q_blk) */
	int batch;
	struct qbuf *qblk, *qdf; /* the blocks and counts being gathered */
	struct qbuf *qone;	 /* and the one-posting keys' buckets */
	char *sql_qblk, *sql_qdf, *sql_qsim, *sql_qone;
	/* one-posting keys (see one_find): changes waiting for their
	 * buckets' rows (one_apply); the bucket ob_b being gathered when
	 * batching (one_gather), ob[0..nob) its entries (none: no bucket);
	 * one_old and one_new one_apply's */
	struct oneop *ops;
	size_t nops, opscap;
	unsigned char *ob, *one_old, *one_new;
	size_t nob, obcap, one_oldcap, one_newcap;
	size_t one_cap, one_ops; /* ONE_CAP and ONE_OPS, or less (tests) */
	int64_t ob_b;
	uint64_t ob_low;
	/* the merge of spilled runs on a thread of its own: it fills qblk
	 * and qdf and hands them over full (see merge_piped) */
	struct mpipe *mp;
};

static int flush(struct tm_match_ctx *c, struct tolk_err *err);
static int drain(struct tm_match_ctx *c, struct tolk_err *err);
static void wait_idle(struct tm_match_ctx *c);
static void forget_failure(struct tm_match_ctx *c);
static void cut_drop(struct tm_match_ctx *c);
static void worker_stop(struct tm_match_ctx *c);
static void premerge_cancel(struct tm_match_ctx *c);
static int premerge_flush(struct tm_match_ctx *c, struct tolk_err *err);

static void ctx_free(void *p)
{
	struct tm_match_ctx *c = p;

	worker_stop(c);
	mt_tokenizer_free(c->tk);
	mt_text_release(&c->mt);
	free(c->pend);
	free(c->sortbuf);
	free(c->rem);
	free(c->marks);
	free(c->sim);
	free(c->wpool);
	free(c->seen);
	free(c->recent);
	free(c->mrg);
	free(c->enc);
	free(c->kin);
	free(c->kout);
	free(c->pre);
	free(c->prepool);
	free(c->runs);
	free(c->wbuf);
	free(c->grp);
	free(c->qblk);
	free(c->qdf);
	free(c->qone);
	free(c->sql_qblk);
	free(c->sql_qdf);
	free(c->sql_qsim);
	free(c->sql_qone);
	free(c->ops);
	free(c->ob);
	free(c->one_old);
	free(c->one_new);
	if (c->tmpfd >= 0)
		close(c->tmpfd);
	free(c);
}

/* Forgets the spilled runs (the file's space is reused). */
static void runs_drop(struct tm_match_ctx *c)
{
	c->nruns = 0;
	c->tmpend = 0;
	c->seq0 = 0;
	if (c->tmpfd >= 0 && ftruncate(c->tmpfd, 0) != 0) {
		/* the space stays taken until the file is closed */
	}
}

/* Forgets which words the vocabulary has: a rolled back level may have
 * taken some with it (a word written twice costs a conflict check). */
static void seen_clear(struct tm_match_ctx *c)
{
	if (c->nseen == 0)
		return;
	if (c->seen)
		memset(c->seen, 0, c->seencap * sizeof(*c->seen));
	if (c->recent)
		memset(c->recent, 0, RECENT * sizeof(*c->recent));
	c->nseen = 0;
}

static int hook_pre_commit(void *p, struct tolk_err *err)
{
	return flush(p, err);
}

/* What the transaction's open levels buffered is written before a
 * savepoint opens: written inside it (by a lookup's or a removal's
 * flush), the savepoint's rollback would take it along. */
static int hook_opening(void *p, int depth, struct tolk_err *err)
{
	(void)depth;
	return flush(p, err);
}

static int hook_opened(void *p, int depth, struct tolk_err *err)
{
	struct tm_match_ctx *c = p;
	int rc;

	if ((rc = drain(c, err)))
		return rc;
	if (depth > c->nmarks) {
		int n = depth + 8;
		struct mark *m = realloc(c->marks, (size_t)n * sizeof(*m));

		if (!m)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		c->marks = m;
		c->nmarks = n;
	}
	c->marks[depth - 1].seq = c->seq0 + c->npend;
	c->marks[depth - 1].unit = c->last_unit;
	c->marks[depth - 1].nrem = c->nrem;
	/* another connection may have rebuilt the index since */
	if (depth == 1)
		seen_clear(c);
	return 0;
}

static void hook_rolled_back(void *p, int depth)
{
	struct tm_match_ctx *c = p;

	/* A failure of the worker's is forgotten only with the whole
	 * transaction: the texts it failed on may be of an outer level. */
	wait_idle(c);
	if (depth <= 1) {
		forget_failure(c);
		c->bulk_tx = 0;
	}
	if (depth <= 1 || depth > c->nmarks) {
		c->npend = 0;
		c->nrem = 0;
		c->add_lo = INT64_MAX;
		c->nsim = c->nwpool = 0;
		cut_drop(c);
		runs_drop(c);
	} else {
		const struct mark *m = &c->marks[depth - 1];
		size_t i;

		/* add_lo stays: too low only costs an early flush */
		if (m->nrem < c->nrem)
			c->nrem = m->nrem;

		if (m->seq >= c->seq0) {
			if (m->seq - c->seq0 < c->npend)
				c->npend = (size_t)(m->seq - c->seq0);
		} else {
			/* Units are posted in id order, those of the level
			 * after the others: a run that holds both keeps the
			 * units up to the mark's. */
			c->npend = 0;
			for (i = 0; i < c->nruns; i++) {
				struct run *r = &c->runs[i];

				if (r->a >= m->seq)
					r->dead = 1;
				else if (r->b > m->seq && m->unit < r->keep)
					r->keep = m->unit;
			}
		}
		c->last_unit = m->unit;
	}
	/* A savepoint's words stay waiting (a word without postings costs
	 * nothing), but those it wrote are gone. */
	seen_clear(c);
	/* the format row may have gone with it */
	c->format_ok = 0;
}

static const struct tm_db_hooks index_hooks = {
    .pre_commit = hook_pre_commit,
    .opening = hook_opening,
    .opened = hook_opened,
    .rolled_back = hook_rolled_back,
    .free = ctx_free,
};

/* Which keys a text is posted under (posting_keys), beside the hash and
 * the tokenizer: 2 added the repeat keys. */
#define KEYS_VERSION 2

/* A word that a text has REP_MAX times or more is posted under a repeat
 * key for each count from 2 to REP_MAX. */
#define REP_MAX 4

void tm_match_index_format(char *out, size_t outlen)
{
	snprintf(out, outlen, "hash %d, tokenizer %d, ICU %d, keys %d",
		 TOLK_HASH_VERSION, MT_TOKENIZER_VERSION,
		 U_ICU_VERSION_MAJOR_NUM, KEYS_VERSION);
}

static int recorded_format(struct tm_db *db, char *out, size_t outlen,
			   struct tolk_err *err)
{
	struct tm_db_stmt *st = tm_db_stmt(db, SQL_FORMAT_GET, err);
	int rc;

	out[0] = '\0';
	if (!st)
		return err ? err->code : TOLK_EDB;
	if ((rc = tm_db_step(st, "read index format", err)) == 1)
		snprintf(out, outlen, "%s", tm_db_col_text(st, 0));
	tm_db_reset(st);
	return rc < 0 ? rc : 0;
}

int tm_match_index_recorded(struct tm_store *s, char *out, size_t outlen,
			    struct tolk_err *err)
{
	return recorded_format(tm_store_db(s), out, outlen, err);
}

static int record_format(struct tm_db *db, struct tolk_err *err)
{
	struct tm_db_stmt *st = tm_db_stmt(db, SQL_FORMAT_PUT, err);
	char want[64];

	if (!st)
		return err ? err->code : TOLK_EDB;
	tm_match_index_format(want, sizeof(want));
	tm_db_bind_text(st, 1, want, -1);
	return tm_db_run(st, "record index format", err);
}

/* Posting keys depend on the hash, the tokenizer and ICU's case folding
 * and word breaks, and deletes recompute them from the text: an index
 * written by a build that differs in any of these would silently lose
 * matches and keep orphans.  Such a database is refused until `tolk
 * reindex` rebuilds it (rather than rebuilt here: that can take minutes,
 * and a lookup should not turn into a write).  An empty index has no
 * format yet: the first write records this build's. */
static int check_format(struct tm_match_ctx *c, int writing,
			struct tolk_err *err)
{
	char want[64], have[256];
	struct tm_db_stmt *st;
	int rc, any;

	if (c->format_ok)
		return 0;
	tm_match_index_format(want, sizeof(want));
	if ((rc = recorded_format(c->db, have, sizeof(have), err)))
		return rc;
	if (strcmp(have, want) == 0) {
		c->format_ok = 1;
		return 0;
	}
	if (!have[0]) {
		if (!(st = tm_db_stmt(c->db, SQL_ANY_POSTING, err)))
			return err ? err->code : TOLK_EDB;
		any = tm_db_step(st, "match index", err);
		tm_db_reset(st);
		if (any < 0)
			return any;
		if (!any) {
			if (!writing)
				return 0;
			if ((rc = record_format(c->db, err)))
				return rc;
			c->format_ok = 1;
			return 0;
		}
		/* A server's writer (READ COMMITTED) may have committed its
		 * first postings, with the format, between the two reads:
		 * they commit together, so a read after this one sees it. */
		if ((rc = recorded_format(c->db, have, sizeof(have), err)))
			return rc;
		if (strcmp(have, want) == 0) {
			c->format_ok = 1;
			return 0;
		}
	}
	return tolk_err_set(err, TOLK_EINPUT,
			    "the match index of '%s' was written in another "
			    "format (%s; this tolk writes %s): run 'tolk "
			    "reindex' to rebuild it",
			    tm_db_path(c->db),
			    have[0] ? have : "none recorded, an older tolk",
			    want);
}

enum { CTX_READ, CTX_WRITE, CTX_REBUILD };

static int get_ctx(struct tm_db *db, int mode, struct tm_match_ctx **out,
		   struct tolk_err *err)
{
	struct tm_match_ctx *c = tm_db_hooks_ctx(db, &index_hooks);
	int rc;

	/* whatever comes now may change the postings an early merge has
	 * read */
	if (c)
		premerge_cancel(c);
	if (!c) {
		if (!(c = calloc(1, sizeof(*c))))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		c->db = db;
		c->tmpfd = -1;
		c->add_lo = INT64_MAX;
		c->spill_at = PENDING_MAX;
		c->thread_after = WORKER_AFTER;
		c->inline_max = INLINE_MAX;
		c->one_cap = ONE_CAP;
		c->one_ops = ONE_OPS;
		if ((rc = mt_tokenizer_new(&c->tk, err))) {
			free(c);
			return rc;
		}
		if ((rc = tm_db_hooks_add(db, &index_hooks, c, err))) {
			ctx_free(c);
			return rc;
		}
		/* levels opened before the hooks were there */
		if (tm_db_depth(db) > 0 &&
		    (rc = hook_opened(c, tm_db_depth(db), err)))
			return rc;
	}
	if (mode != CTX_REBUILD && (rc = check_format(c, mode, err)))
		return rc;
	*out = c;
	return 0;
}

static struct tm_db_stmt *stmt(struct tm_match_ctx *c, int i,
			       struct tolk_err *err)
{
	return tm_db_stmt(c->db, stmt_sql[i], err);
}

static int step_done(struct tm_match_ctx *c, struct tm_db_stmt *st,
		     struct tolk_err *err)
{
	(void)c;
	return tm_db_run(st, "match index", err);
}

/* ---- keys ---------------------------------------------------------------
 * Posting keys are stored: util/hash.h is part of the file format. */

static uint64_t mix(uint64_t h)
{
	return tolk_hash_mix64(h);
}

static uint64_t lang_hash(const char *key)
{
	return mix(tolk_fnv64(key, strlen(key), TOLK_FNV64_OFFSET));
}

enum { K_WORD = 1, K_ALL, K_START, K_STEM, K_HALF, K_REP };

static int64_t key_word(uint64_t lh, uint64_t loose)
{
	return (int64_t)mix(lh ^ mix(loose + K_WORD));
}

static int64_t key_stem(uint64_t lh, uint64_t stem)
{
	return (int64_t)mix(lh ^ mix(stem + K_STEM));
}

/* Typo keys: a word of n bytes split into halves at n / 2 is posted
 * under both halves (with n).  A word one byte edit away from it keeps
 * one of them, at its start or its end, whatever its own length. */
static int64_t key_half(uint64_t lh, const char *w, size_t off, size_t len,
			size_t n, int suffix)
{
	return (int64_t)mix(
	    lh ^ mix(mt_half_hash(w + off, len, n, suffix) + K_HALF));
}

/* The vocabulary keys of a stored word: stem and typo keys. */
static size_t similar_keys(const struct mt_text *mt, const struct mt_tok *t,
			   uint64_t lh, int64_t *k)
{
	const char *w = mt->pool + t->woff;
	size_t n = t->wlen, p = n / 2, w0 = 0;

	if (!n)
		return 0;
	k[w0++] = key_stem(lh, t->stem);
	if (n >= MT_TYPO_MIN) {
		k[w0++] = key_half(lh, w, 0, p, n, 0);
		k[w0++] = key_half(lh, w, p, n - p, n, 1);
	}
	return w0;
}

/* The key of the texts that have the word of key word at least occ
 * times (2 <= occ <= REP_MAX): the count filter can then credit a query
 * that repeats a common word only with the repeats a unit has, rather
 * than every unit with the word with all of them. */
static int64_t key_rep(uint64_t lh, int64_t word, int occ)
{
	return (int64_t)mix(lh ^ mix((uint64_t)word + (uint64_t)occ) ^ K_REP);
}

static int64_t key_all(uint64_t lh)
{
	return (int64_t)mix(lh ^ mix(K_ALL));
}

static int64_t key_start(uint64_t lh, uint64_t a, uint64_t b, uint64_t c)
{
	return (int64_t)mix(lh ^ mix(mix(mix(a) ^ b) ^ c) ^ K_START);
}

/* A text's keys as a small open-addressing set, with how many times each
 * was added (up to 255): the keys are hashes, their low bits the slot. */
#define KSET_STACK 256 /* slots on the stack; larger sets are allocated */

struct kset {
	int64_t *key;
	unsigned char *cnt; /* 0: empty */
	size_t mask;
	int reps; /* a key was counted twice */
};

/* The slot of k in ks: where it is or where it would go. */
static size_t kset_slot(const struct kset *ks, int64_t k)
{
	size_t i = (size_t)k & ks->mask;

	while (ks->cnt[i] && ks->key[i] != k)
		i = (i + 1) & ks->mask;
	return i;
}

/* Adds k to ks, counted when count; appends it to out[*n] when new. */
static inline void kset_add(struct kset *ks, int64_t k, int count, int64_t *out,
			    size_t *n)
{
	size_t i = kset_slot(ks, k);

	if (!ks->cnt[i]) {
		ks->key[i] = k;
		ks->cnt[i] = 1;
		out[(*n)++] = k;
	} else if (count && ks->cnt[i] < 255) {
		ks->cnt[i]++;
		ks->reps = 1;
	}
}

/* Posting keys of a tokenised source: distinct, in no order (the
 * postings are sorted whole later); after the 2 * mt->n + 2 places for
 * them, *out holds each word token i's word key at 2 * mt->n + 2 + i
 * (index_words' keys), whose lines of recent (seen_add's table, or
 * NULL) are asked of the memory as they are made, the rest of the work
 * here giving them time to come.  A word's key counted r times adds
 * the word's repeat keys up to r (a key of the whole text or of its
 * start equal to a word's is a 64-bit hash collision).  A set rather
 * than a sort of each text's keys: the sort was a tenth of the indexing
 * thread's work. */
static int posting_keys(const struct mt_text *mt, uint64_t lh,
			const uint64_t *recent, int64_t **out, size_t *outcap,
			size_t *n)
{
	int64_t *k, *wk, skey[KSET_STACK];
	unsigned char scnt[KSET_STACK];
	struct kset ks = {skey, scnt, KSET_STACK - 1, 0};
	uint64_t first[3];
	size_t i, nc = 0, cap = 64, nd;
	int occ, r;

	if (outcap ? TOLK_GROW(*out, *outcap, 3 * mt->n + 2, 256) != 0
		   : !(*out = malloc((3 * mt->n + 2) * sizeof(**out))))
		return -1;
	k = *out;
	wk = k + 2 * mt->n + 2;
	/* at most half full with every key the text can have */
	while (cap < 2 * (2 * mt->n + 2))
		cap *= 2;
	if (cap > KSET_STACK) {
		ks.key = malloc(cap * sizeof(*ks.key));
		ks.cnt = malloc(cap);
		if (!ks.key || !ks.cnt) {
			free(ks.key);
			free(ks.cnt);
			if (!outcap) {
				free(k);
				*out = NULL;
			}
			return -1;
		}
	}
	ks.mask = cap - 1;
	memset(ks.cnt, 0, cap);
	*n = 0;
	kset_add(&ks, key_all(lh), 1, k, n);
	for (i = 0; i < mt->n; i++) {
		const struct mt_tok *t = &mt->t[i];

		if (t->kind != MT_WORD && t->kind != MT_NUM)
			continue;
		if (nc < 3)
			first[nc] = t->loose;
		nc++;
		if (t->kind == MT_WORD) {
			wk[i] = key_word(lh, t->loose);
			if (recent)
				__builtin_prefetch(
				    &recent[(((uint64_t)wk[i] | 1) >> 1) &
					    (RECENT - 1)]);
			kset_add(&ks, wk[i], 1, k, n);
		}
	}
	if (nc >= 3)
		kset_add(&ks, key_start(lh, first[0], first[1], first[2]), 1, k,
			 n);
	/* the repeat keys count for nothing: the counts are the text's */
	for (i = 0, nd = ks.reps ? *n : 0; i < nd; i++) {
		r = ks.cnt[kset_slot(&ks, k[i])];
		for (occ = 2; occ <= r && occ <= REP_MAX; occ++)
			kset_add(&ks, key_rep(lh, k[i], occ), 0, k, n);
	}
	if (ks.key != skey) {
		free(ks.key);
		free(ks.cnt);
	}
	return 0;
}

static int cmp_post(const void *a, const void *b)
{
	const struct post *x = a, *y = b;

	if (x->tok != y->tok)
		return (x->tok > y->tok) - (x->tok < y->tok);
	if (x->len != y->len)
		return (x->len > y->len) - (x->len < y->len);
	return (x->unit > y->unit) - (x->unit < y->unit);
}

/* cmp_post of buffered postings (one ubase: u orders as the units) */
static int cmp_bpost(const void *a, const void *b)
{
	const struct bpost *x = a, *y = b;

	if (x->tok != y->tok)
		return (x->tok > y->tok) - (x->tok < y->tok);
	if (x->len != y->len)
		return (x->len > y->len) - (x->len < y->len);
	return (x->u > y->u) - (x->u < y->u);
}

/* "HEAD VALUES (?, ...), ... TAIL" of QROWS rows of ncols. */
static char *q_sql(const char *head, int ncols, const char *tail)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	int i, j, bad = tolk_buf_puts(&b, head);

	for (i = 0; i < QROWS && !bad; i++) {
		bad |= tolk_buf_puts(&b, i ? ", (" : " VALUES (");
		for (j = 0; j < ncols; j++)
			bad |= tolk_buf_puts(&b, j ? ", ?" : "?");
		bad |= tolk_buf_putc(&b, ')');
	}
	bad |= tolk_buf_puts(&b, tail);
	if (bad) {
		tolk_buf_free(&b);
		return NULL;
	}
	return b.data;
}

static const char *sim_pool; /* cmp_sim's strings (qsort has no ctx) */

static int cmp_sim(const void *a, const void *b)
{
	const struct simrow *x = a, *y = b;
	int d;

	if (x->tok != y->tok)
		return (x->tok > y->tok) - (x->tok < y->tok);
	d = memcmp(sim_pool + x->off, sim_pool + y->off,
		   x->len < y->len ? x->len : y->len);
	return d ? d : x->len - y->len;
}

/* Sorts r[0..n) as cmp_sim does.  The keys are hashes, nearly all
 * distinct: a radix sort on tok (a byte a pass, passes where every row
 * has the same byte skipped) leaves only the rare runs of one tok to
 * compare by word, where qsort's indirect compare of every pair had cost
 * a tenth of the writer's vocabulary work.  Without scratch memory it
 * falls back on qsort. */
static void sim_sort(struct simrow *r, size_t n, const char *pool)
{
	size_t cnt[8][256] = {{0}}, i, j, pos, sum;
	struct simrow *tmp, *src = r, *dst, *t;
	unsigned d;

	sim_pool = pool;
	if (n < 64 || !(tmp = malloc(n * sizeof(*r)))) {
		qsort(r, n, sizeof(*r), cmp_sim);
		return;
	}
	/* the sign bit flipped: signed order as unsigned */
	for (i = 0; i < n; i++) {
		uint64_t k = (uint64_t)r[i].tok ^ (UINT64_C(1) << 63);

		for (d = 0; d < 8; d++)
			cnt[d][(k >> (8 * d)) & 0xff]++;
	}
	dst = tmp;
	for (d = 0; d < 8; d++) {
		uint64_t k0 = (uint64_t)src[0].tok ^ (UINT64_C(1) << 63);

		if (cnt[d][(k0 >> (8 * d)) & 0xff] == n)
			continue;
		for (j = 0, sum = 0; j < 256; j++) {
			pos = cnt[d][j];
			cnt[d][j] = sum;
			sum += pos;
		}
		for (i = 0; i < n; i++) {
			uint64_t k = (uint64_t)src[i].tok ^ (UINT64_C(1) << 63);

			dst[cnt[d][(k >> (8 * d)) & 0xff]++] = src[i];
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != r)
		memcpy(r, src, n * sizeof(*r));
	free(tmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && r[j].tok == r[i].tok; j++)
			;
		if (j - i > 16) {
			qsort(r + i, j - i, sizeof(*r), cmp_sim);
			continue;
		}
		/* a few words of one key: in place, without qsort's calls */
		for (pos = i + 1; pos < j; pos++) {
			struct simrow v = r[pos];

			for (sum = pos; sum > i && cmp_sim(&r[sum - 1], &v) > 0;
			     sum--)
				r[sum] = r[sum - 1];
			r[sum] = v;
		}
	}
}

/* Writes the vocabulary rows sim[0..n) (their words in pool), sorted
 * already (sim_sort). */
static int sim_rows(struct tm_match_ctx *c, const struct simrow *sim, size_t n,
		    const char *pool, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	size_t i;
	int rc = 0;

	if (n == 0)
		return 0;
	/* QROWS to a statement where it can be had (see q_sql) */
	if (n >= QROWS && !c->sql_qsim &&
	    strcmp(tm_db_backend(c->db), "sqlite") == 0)
		c->sql_qsim = q_sql("INSERT INTO match_sim(tok, word)", 2,
				    " ON CONFLICT DO NOTHING");
	for (i = 0; c->sql_qsim && i + QROWS <= n && rc == 0; i += QROWS) {
		size_t j;

		if (!(st = tm_db_stmt(c->db, c->sql_qsim, err)))
			return err ? err->code : TOLK_EDB;
		for (j = 0; j < QROWS; j++) {
			const struct simrow *r = &sim[i + j];

			tm_db_bind_int64(st, 2 * (int)j + 1, r->tok);
			tm_db_bind_text(st, 2 * (int)j + 2, pool + r->off,
					r->len);
		}
		rc = step_done(c, st, err);
	}
	for (; i < n && rc == 0; i++) {
		if (!(st = stmt(c, S_SIM_INS, err)))
			return err ? err->code : TOLK_EDB;
		tm_db_bind_int64(st, 1, sim[i].tok);
		tm_db_bind_text(st, 2, pool + sim[i].off, sim[i].len);
		rc = step_done(c, st, err);
	}
	return rc;
}

/* sim_rows of sim[0..n), sorted here. */
static int sim_write(struct tm_match_ctx *c, struct simrow *sim, size_t n,
		     const char *pool, struct tolk_err *err)
{
	if (n == 0)
		return 0;
	sim_sort(sim, n, pool);
	return sim_rows(c, sim, n, pool, err);
}

static int cut_write(struct tm_match_ctx *c, struct tolk_err *err);

/* Writes the waiting vocabulary rows: those the worker handed over
 * first (see struct worker's cut), then its current ones. */
static int flush_sim(struct tm_match_ctx *c, struct tolk_err *err)
{
	int rc = cut_write(c, err);

	if (!rc)
		rc = sim_write(c, c->sim, c->nsim, c->wpool, err);
	c->nsim = c->nwpool = 0;
	return rc;
}

/* Writes units[0..n) of (tok, len) as blocks of BLK_MAX. */
/* ---- rows in batches ----------------------------------------------------
 * A flush into an empty index writes each block and each count once, in
 * key order: hundreds of thousands of one-row INSERTs, each costing
 * SQLite about as much again as its row.  On SQLite they are queued and
 * written QROWS to a statement instead (same rows, same upserts). */

/* Starts batching (0), or leaves it off when it cannot be had. */
static void q_start(struct tm_match_ctx *c)
{
	if (!c->sql_qblk) {
		c->sql_qblk =
		    q_sql("INSERT INTO match_blk(tok, len, first, ids)", 4,
			  " ON CONFLICT(tok, len, first) DO UPDATE "
			  "SET ids = excluded.ids");
		/* into an empty index: each key once, each bucket once */
		c->sql_qdf =
		    q_sql("INSERT INTO match_tok(tok, n, post)", 3, "");
		c->sql_qone = q_sql("INSERT INTO match_one(b, post)", 2, "");
	}
	if (!c->qblk)
		c->qblk = malloc(sizeof(*c->qblk));
	if (!c->qdf)
		c->qdf = malloc(sizeof(*c->qdf));
	if (!c->qone)
		c->qone = malloc(sizeof(*c->qone));
	c->batch = c->sql_qblk && c->sql_qdf && c->sql_qone && c->qblk &&
		   c->qdf && c->qone;
	c->nob = 0;
	if (c->batch) {
		c->qblk->n = c->qdf->n = c->qone->n = 0;
		c->qblk->df = Q_BLK;
		c->qdf->df = Q_TOK;
		c->qone->df = Q_ONE;
	}
}

/* Binds a key's row q (its inline blocks in qb) from parameter k + 1. */
static void tok_bind(struct tm_db_stmt *st, int k, const struct qblk *q,
		     const unsigned char *qb)
{
	tm_db_bind_int64(st, k + 1, q->tok);
	tm_db_bind_int64(st, k + 2, q->first);
	if (q->n)
		tm_db_bind_blob(st, k + 3, qb + q->off, q->n);
	else
		tm_db_bind_null(st, k + 3);
}

/* Writes the rows of b: QROWS to one statement, fewer one at a time. */
static int q_write(struct tm_match_ctx *c, struct qbuf *b, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	size_t i, n = b->n;
	int rc;

	b->n = 0;
	if (n < QROWS) {
		for (i = 0; i < n; i++) {
			const struct qblk *q = &b->qk[i];

			if (!(st = stmt(c,
					b->df == Q_ONE	 ? S_ONE_PUT
					: b->df == Q_TOK ? S_TOK_PUT
							 : S_BLK_PUT,
					err)))
				return err ? err->code : TOLK_EDB;
			if (b->df == Q_ONE) {
				tm_db_bind_int64(st, 1, q->tok);
				tm_db_bind_blob(st, 2, b->qb + q->off, q->n);
			} else if (b->df == Q_TOK)
				tok_bind(st, 0, q, b->qb);
			else {
				tm_db_bind_int64(st, 1, q->tok);
				tm_db_bind_int64(st, 2, q->len);
				tm_db_bind_int64(st, 3, q->first);
				tm_db_bind_blob(st, 4, b->qb + q->off, q->n);
			}
			if ((rc = step_done(c, st, err)))
				return rc;
		}
		return 0;
	}
	if (!(st = tm_db_stmt(c->db,
			      b->df == Q_ONE   ? c->sql_qone
			      : b->df == Q_TOK ? c->sql_qdf
					       : c->sql_qblk,
			      err)))
		return err ? err->code : TOLK_EDB;
	for (i = 0; b->df == Q_ONE && i < QROWS; i++) {
		tm_db_bind_int64(st, 2 * (int)i + 1, b->qk[i].tok);
		tm_db_bind_blob(st, 2 * (int)i + 2, b->qb + b->qk[i].off,
				b->qk[i].n);
	}
	for (i = 0; b->df == Q_TOK && i < QROWS; i++)
		tok_bind(st, 3 * (int)i, &b->qk[i], b->qb);
	for (i = 0; b->df == Q_BLK && i < QROWS; i++) {
		const struct qblk *q = &b->qk[i];
		int k = 4 * (int)i;

		tm_db_bind_int64(st, k + 1, q->tok);
		tm_db_bind_int64(st, k + 2, q->len);
		tm_db_bind_int64(st, k + 3, q->first);
		tm_db_bind_blob(st, k + 4, b->qb + q->off, q->n);
	}
	return step_done(c, st, err);
}

static int mp_push(struct tm_match_ctx *c, struct qbuf **b,
		   struct tolk_err *err);

/* A full *b is written, or handed to the writer when the merge runs on a
 * thread of its own (which then gathers into an empty one). */
static int q_full(struct tm_match_ctx *c, struct qbuf **b, struct tolk_err *err)
{
	return c->mp ? mp_push(c, b, err) : q_write(c, *b, err);
}

static int one_emit(struct tm_match_ctx *c, struct tolk_err *err);

/* Writes what is queued and stops batching; ok 0: drops it. */
static int q_end(struct tm_match_ctx *c, int ok, struct tolk_err *err)
{
	int rc = 0;

	if (c->batch && ok && !(rc = q_write(c, c->qblk, err)) &&
	    !(rc = q_write(c, c->qdf, err)) && !(rc = one_emit(c, err)))
		rc = q_write(c, c->qone, err);
	if (c->batch)
		c->qblk->n = c->qdf->n = c->qone->n = 0;
	c->batch = 0;
	c->nob = 0;
	return rc;
}

/* One block's row (its gaps g[0..nb)): queued when batching, else
 * written. */
static int blk_row(struct tm_match_ctx *c, int64_t tok, int len, int64_t first,
		   const unsigned char *g, size_t nb, struct tolk_err *err)
{
	struct tm_db_stmt *st;

	if (c->batch) {
		struct qbuf *b = c->qblk;
		struct qblk *q = &b->qk[b->n];

		q->tok = tok;
		q->len = len;
		q->first = first;
		q->off = b->n ? q[-1].off + q[-1].n : 0;
		q->n = nb;
		memcpy(b->qb + q->off, g, nb);
		return ++b->n == QROWS ? q_full(c, &c->qblk, err) : 0;
	}
	if (!(st = stmt(c, S_BLK_PUT, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, tok);
	tm_db_bind_int64(st, 2, len);
	tm_db_bind_int64(st, 3, first);
	tm_db_bind_blob(st, 4, g, nb);
	return step_done(c, st, err);
}

static int blk_write(struct tm_match_ctx *c, int64_t tok, int len,
		     const int64_t *units, size_t n, struct tolk_err *err)
{
	size_t i, k, bn;
	int rc;

	if (TOLK_GROW(c->enc, c->enccap, 10 * BLK_MAX, 10 * BLK_MAX))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < n; i += k) {
		k = n - i < BLK_MAX ? n - i : BLK_MAX;
		if (c->batch) {
			struct qbuf *b = c->qblk;
			struct qblk *q = &b->qk[b->n];

			q->tok = tok;
			q->len = len;
			q->first = units[i];
			/* at most BLK_BYTES each: QROWS of them fit */
			q->off = b->n ? q[-1].off + q[-1].n : 0;
			q->n = blk_encode(units + i, k, b->qb + q->off);
			if (++b->n == QROWS && (rc = q_full(c, &c->qblk, err)))
				return rc;
			continue;
		}
		bn = blk_encode(units + i, k, c->enc);
		if ((rc = blk_row(c, tok, len, units[i], c->enc, bn, err)))
			return rc;
	}
	return 0;
}

static int blk_delete(struct tm_match_ctx *c, int64_t tok, int len,
		      int64_t first, struct tolk_err *err)
{
	struct tm_db_stmt *st = stmt(c, S_BLK_DEL, err);

	if (!st)
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, tok);
	tm_db_bind_int64(st, 2, len);
	tm_db_bind_int64(st, 3, first);
	return step_done(c, st, err);
}

/* ---- a server's blocks, many at a time ----------------------------------
 * blk_pair is a round trip per (tok, len) of a flush: for an import, most
 * of its round trips.  On a server, the flush asks for the blocks of the
 * next BLK_PRE groups in one statement first, and blk_pair takes each
 * answer from there (a group's later blk_pair calls, when its units span
 * blocks, still ask one by one).  The groups are distinct, so no write of
 * the flush changes an answer before it is taken. */
#define BLK_PRE 2048

struct blk_pre {
	int64_t tok, unit, first, next;
	int len, have;
	size_t off, bn; /* its ids in c->prepool */
};

static const char SQL_BLK_PRE_PG[] =
    "SELECT k.i, b.first, b.ids FROM unnest(CAST(?1 AS bigint[]), "
    "CAST(?2 AS bigint[]), CAST(?3 AS bigint[])) WITH ORDINALITY "
    "AS k(tok, len, unit, i) CROSS JOIN LATERAL ("
    "(SELECT first, ids FROM match_blk WHERE tok = k.tok AND len = k.len "
    "AND first <= k.unit ORDER BY first DESC LIMIT 1) UNION ALL "
    "(SELECT first, CAST(NULL AS bytea) FROM match_blk WHERE tok = k.tok "
    "AND len = k.len AND first > k.unit ORDER BY first LIMIT 1)) b "
    "ORDER BY k.i, b.first";

/* Reads the blocks of the groups of p[0..n) (sorted by tok, len) that
 * start at p[0], up to BLK_PRE groups. */
static int blk_prefetch(struct tm_match_ctx *c, const struct post *p, size_t n,
			struct tolk_err *err)
{
	struct tolk_buf a[3] = {TOLK_BUF_INIT, TOLK_BUF_INIT, TOLK_BUF_INIT};
	struct tm_db_stmt *st;
	size_t i, k, pool = 0;
	int rc = 0, step;

	c->npre = c->ipre = 0;
	for (i = 0; i < n && c->npre < BLK_PRE; i++) {
		struct blk_pre *b;

		if (i && p[i].tok == p[i - 1].tok && p[i].len == p[i - 1].len)
			continue;
		if (TOLK_GROW(c->pre, c->precap, c->npre + 1, 256))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		b = &c->pre[c->npre++];
		memset(b, 0, sizeof(*b));
		b->tok = p[i].tok;
		b->len = p[i].len;
		b->unit = p[i].unit;
		b->next = INT64_MAX;
		tolk_buf_printf(&a[0], "%c%lld", c->npre > 1 ? ',' : '{',
				(long long)b->tok);
		tolk_buf_printf(&a[1], "%c%d", c->npre > 1 ? ',' : '{', b->len);
		tolk_buf_printf(&a[2], "%c%lld", c->npre > 1 ? ',' : '{',
				(long long)b->unit);
	}
	if (!(st = tm_db_stmt(c->db, SQL_BLK_PRE_PG, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	for (k = 0; k < 3; k++) {
		tolk_buf_putc(&a[k], '}');
		tm_db_bind_text(st, (int)k + 1, tolk_buf_str(&a[k]), -1);
	}
	while ((step = tm_db_step(st, "match index", err)) == 1) {
		int64_t g = tm_db_col_int64(st, 0) - 1, first;
		const void *ids;
		size_t bn;

		if (g < 0 || (size_t)g >= c->npre)
			continue;
		first = tm_db_col_int64(st, 1);
		if (first > c->pre[g].unit) {
			c->pre[g].next = first;
			continue;
		}
		ids = tm_db_col_blob(st, 2, &bn);
		if (TOLK_GROW(c->prepool, c->prepoolcap, pool + bn + 1, 4096)) {
			tm_db_reset(st);
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if (bn)
			memcpy(c->prepool + pool, ids, bn);
		c->pre[g].have = 1;
		c->pre[g].first = first;
		c->pre[g].off = pool;
		c->pre[g].bn = bn;
		pool += bn;
	}
	tm_db_reset(st);
	rc = step < 0 ? step : 0;
done:
	if (rc)
		c->npre = 0;
	for (k = 0; k < 3; k++)
		tolk_buf_free(&a[k]);
	return rc;
}

/* blk_pair's answer for the next prefetched group. */
static int blk_pre_take(struct tm_match_ctx *c, size_t *n, int64_t *next,
			struct tolk_err *err)
{
	const struct blk_pre *b = &c->pre[c->ipre++];

	*next = b->next;
	if (!b->have)
		return 0;
	if (TOLK_GROW(c->mrg, c->mrgcap, b->bn + 1, 1024))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	*n =
	    blk_decode(b->first, c->prepool + b->off, b->bn, c->mrg, b->bn + 1);
	return 0;
}

/* The block of (tok, len) holding unit, decoded into c->mrg (*n units,
 * 0 when there is none), and the first unit of the block after it
 * (INT64_MAX when none): one statement rather than two. */
static int blk_pair(struct tm_match_ctx *c, int64_t tok, int len, int64_t unit,
		    size_t *n, int64_t *next, struct tolk_err *err)
{
	struct tm_db_stmt *st = stmt(c, S_BLK_PAIR, err);
	int rc;

	if (!st)
		return err ? err->code : TOLK_EDB;
	*n = 0;
	*next = INT64_MAX;
	if (c->ipre < c->npre && c->pre[c->ipre].tok == tok &&
	    c->pre[c->ipre].len == len && c->pre[c->ipre].unit == unit)
		return blk_pre_take(c, n, next, err);
	tm_db_bind_int64(st, 1, tok);
	tm_db_bind_int64(st, 2, len);
	tm_db_bind_int64(st, 3, unit);
	while ((rc = tm_db_step(st, "match index", err)) == 1) {
		int64_t first = tm_db_col_int64(st, 0);
		const unsigned char *b;
		size_t bn;

		if (first > unit) {
			*next = first;
			break;
		}
		b = tm_db_col_blob(st, 1, &bn);
		if (TOLK_GROW(c->mrg, c->mrgcap, bn + 1, 1024)) {
			tm_db_reset(st);
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		}
		*n = blk_decode(first, b, bn, c->mrg, bn + 1);
	}
	tm_db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Adds the sorted units p[0..n) (one tok and len) to their blocks; adds
 * the number that were not there yet to *added. */
static int blk_add(struct tm_match_ctx *c, const struct post *p, size_t n,
		   int64_t *added, struct tolk_err *err)
{
	int64_t tok = p[0].tok, next = INT64_MAX;
	int len = p[0].len, rc;
	size_t i = 0, j, nold, k, w, a;

	while (i < n) {
		nold = 0;
		if ((rc = blk_pair(c, tok, len, p[i].unit, &nold, &next, err)))
			return rc;
		for (j = i; j < n && p[j].unit < next; j++)
			;
		/* a full block that the new units all follow stays as it is
		 * (an import appends: it rewrites only the last block) */
		if (nold >= BLK_MAX && p[i].unit > c->mrg[nold - 1])
			nold = 0;
		if (TOLK_GROW(c->mrg, c->mrgcap, 2 * (nold + j - i) + 1, 1024))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		/* merge old c->mrg[0..nold) and new into c->mrg[nold+j-i..) */
		w = nold + (j - i);
		for (a = 0, k = i; a < nold || k < j;) {
			int64_t u;

			if (k >= j || (a < nold && c->mrg[a] <= p[k].unit)) {
				u = c->mrg[a++];
				if (k < j && p[k].unit == u)
					k++;
			} else {
				u = p[k++].unit;
				(*added)++;
			}
			if (w == nold + (j - i) || c->mrg[w - 1] != u)
				c->mrg[w++] = u;
		}
		if ((rc = blk_write(c, tok, len, c->mrg + nold + (j - i),
				    w - nold - (j - i), err)))
			return rc;
		i = j;
	}
	return 0;
}

/* Byte k (0: the highest) of p's key, sign flipped so that the bytes
 * order as the signed keys do: sort_posts' buckets. */
static inline size_t post_top(const struct bpost *p, int k)
{
	return (size_t)((((uint64_t)p->tok ^ (1ULL << 63)) >> (56 - 8 * k)) &
			0xff);
}

static void sort_small(struct bpost *p, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct bpost x = p[i];

		for (j = i; j > 0 && cmp_bpost(&p[j - 1], &x) > 0; j--)
			p[j] = p[j - 1];
		p[j] = x;
	}
}

/* Byte k of the sort key of p: len's three low bytes (k 0-2), then tok's
 * eight, its sign flipped (k 3-10). */
static unsigned post_byte(const struct bpost *p, int k)
{
	if (k < 3)
		return ((uint32_t)p->len >> (8 * k)) & 0xff;
	return (unsigned)((((uint64_t)p->tok ^ (1ULL << 63)) >> (8 * (k - 3))) &
			  0xff);
}

/* A stable byte-wise radix sort of p[0..n) on (tok, len), tmp its size,
 * for a bucket of units in order: the bytes all postings share are
 * passes that move nothing, skipped. */
static void sort_radix(struct bpost *p, struct bpost *tmp, size_t n)
{
	struct bpost *x = p, *y = tmp, *t;
	size_t i, cnt[256], sum;
	uint64_t dtok = 0;
	uint32_t dlen = 0;
	int k;

	for (i = 1; i < n; i++) {
		dtok |= (uint64_t)(p[i].tok ^ p[0].tok);
		dlen |= (uint32_t)(p[i].len ^ p[0].len);
	}
	for (k = 0; k < 11; k++) {
		/* a byte all postings share moves nothing: not even counted */
		if (!(k < 3 ? (dlen >> (8 * k)) & 0xff
			    : (dtok >> (8 * (k - 3))) & 0xff))
			continue;
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[post_byte(&x[i], k)]++;
		if (cnt[post_byte(&x[0], k)] == n)
			continue;
		for (i = 0, sum = 0; i < 256; i++) {
			size_t c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			y[cnt[post_byte(&x[i], k)]++] = x[i];
		t = x;
		x = y;
		y = t;
	}
	if (x != p)
		memcpy(p, x, n * sizeof(*p));
}

#define LARGE_KEYS 16	/* distinct keys sort_large partitions by */
#define LARGE_LENS 4096 /* widest range of len it counts */

/* The index of key k in key[0..nk), from *at on (the last one found). */
static size_t key_index(const int64_t *key, size_t nk, size_t *at, int64_t k)
{
	size_t j;

	if (key[*at] == k)
		return *at;
	for (j = 0; j < nk && key[j] != k; j++)
		;
	if (j < nk)
		*at = j;
	return j;
}

/* Sorts a large bucket p[0..n) by (tok, len, unit), tmp its size: one or
 * a few common keys (ALL, frequent words) and some rare ones, buffered
 * unit after unit.  So two stable counting passes do: the postings
 * scattered by their key's rank among the bucket's few, then each key's
 * by len, whose range is small; the units stay in order.  The radix sort
 * on every byte of (tok, len) made eight passes of two over the buffer
 * here, the bucket's keys differing below their shared top bits.  More
 * distinct keys go to that sort, units out of order to qsort. */
static void sort_large(struct bpost *p, struct bpost *tmp, size_t n)
{
	int64_t key[LARGE_KEYS];
	size_t cnt[LARGE_KEYS], off[LARGE_KEYS], ord[LARGE_KEYS], i, j,
	    nk = 0, at = 0, g, lo, hi;
	uint32_t lcnt[LARGE_LENS];
	int32_t lmin, lmax;

	for (i = 1; i < n && p[i - 1].u <= p[i].u; i++)
		;
	if (i < n) {
		qsort(p, n, sizeof(*p), cmp_bpost);
		return;
	}
	key[0] = p[0].tok;
	cnt[0] = 0;
	nk = 1;
	for (i = 0; i < n; i++) {
		if ((j = key_index(key, nk, &at, p[i].tok)) == nk) {
			if (nk == LARGE_KEYS) {
				sort_radix(p, tmp, n);
				return;
			}
			key[nk] = p[i].tok;
			cnt[nk++] = 0;
			at = j;
		}
		cnt[j]++;
	}
	if (nk == 1) {
		/* one key: already in place for the len pass below */
		memcpy(tmp, p, n * sizeof(*p));
		cnt[0] = n;
	}
	/* ord: the keys' indices in key order; off: where each one's
	 * postings begin in tmp */
	for (i = 0; i < nk; i++) {
		for (j = i; j > 0 && key[ord[j - 1]] > key[i]; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
	}
	for (i = 0, g = 0; i < nk; i++) {
		off[ord[i]] = g;
		g += cnt[ord[i]];
	}
	for (i = 0; i < n && nk > 1; i++)
		tmp[off[key_index(key, nk, &at, p[i].tok)]++] = p[i];
	for (i = 0, lo = 0; i < nk; i++, lo = hi) {
		hi = lo + cnt[ord[i]];
		lmin = lmax = tmp[lo].len;
		for (j = lo + 1; j < hi; j++) {
			lmin = tmp[j].len < lmin ? tmp[j].len : lmin;
			lmax = tmp[j].len > lmax ? tmp[j].len : lmax;
		}
		if (lmin == lmax) {
			memcpy(p + lo, tmp + lo, (hi - lo) * sizeof(*p));
		} else if ((uint32_t)(lmax - lmin) < LARGE_LENS) {
			size_t span = (size_t)(lmax - lmin) + 1, sum = 0, c;

			memset(lcnt, 0, span * sizeof(*lcnt));
			for (j = lo; j < hi; j++)
				lcnt[tmp[j].len - lmin]++;
			for (j = 0; j < span; j++) {
				c = lcnt[j];
				lcnt[j] = (uint32_t)sum;
				sum += c;
			}
			for (j = lo; j < hi; j++)
				p[lo + lcnt[tmp[j].len - lmin]++] = tmp[j];
		} else {
			memcpy(p + lo, tmp + lo, (hi - lo) * sizeof(*p));
			sort_radix(p + lo, tmp + lo, hi - lo);
		}
	}
}

/* Scatters x[0..n) by byte k of their keys into y, stably; where each
 * byte's postings begin in y into at[0..256]. */
static void scatter_top(const struct bpost *x, struct bpost *y, size_t n, int k,
			size_t *at)
{
	size_t i, sum, cnt;

	memset(at, 0, 257 * sizeof(*at));
	for (i = 0; i < n; i++)
		at[post_top(&x[i], k) + 1]++;
	for (i = 1, sum = 0; i <= 256; i++) {
		cnt = at[i];
		at[i] = sum;
		sum += cnt;
	}
	/* at[b + 1] counts up from where bucket b begins to where it ends */
	for (i = 0; i < n; i++)
		y[at[post_top(&x[i], k) + 1]++] = x[i];
	at[0] = 0;
}

/* A run being written by spill (see run_put): its bytes in buf, w of
 * them not yet in the file, and the posting they end with. */
struct runw {
	unsigned char *buf;
	size_t w;
	uint64_t ptok;
	int32_t plen;
	int64_t punit, base;
};

static int run_emit(struct tm_match_ctx *c, struct runw *rw, size_t lo,
		    size_t hi, struct tolk_err *err);

/* Sorts the postings by (tok, len, unit) and, rw set, writes them to
 * its run as each of the first pass's buckets is done, while it is in
 * the processor's cache: a spill's read of the whole buffer (8 MB) after
 * the sort went.  The keys are hashes, so two stable passes on their top
 * two bytes leave buckets of a few postings each, sorted by insertion;
 * the buckets of common keys (ALL, frequent words) are large and go to
 * sort_large.  A byte-wise radix sort made eleven passes over the
 * buffer, a tenth of the indexing thread's time; one pass into 65,536
 * buckets wrote each posting to a line of its own in 12 MB, most of that
 * pass's time a miss: 256 buckets are 256 streams written in order, and
 * each one's second pass (a few thousand postings) stays in the
 * processor's cache.  The copy is kept from spill to spill: allocated
 * per spill, it came as fresh pages each time.  No memory for the copy:
 * qsort. */
static int sort_emit(struct tm_match_ctx *c, struct runw *rw,
		     struct tolk_err *err)
{
	struct bpost *a = c->pend, *b;
	size_t n = c->npend, top[257], sub[257], i, j, lo, hi, s, e;
	int rc;

	if (n < 2)
		return rw ? run_emit(c, rw, 0, n, err) : 0;
	if (c->sortcap < n) {
		free(c->sortbuf);
		c->sortcap = 0;
		if (!(c->sortbuf = malloc(c->pendcap * sizeof(*b)))) {
			qsort(a, n, sizeof(*a), cmp_bpost);
			return rw ? run_emit(c, rw, 0, n, err) : 0;
		}
		c->sortcap = c->pendcap;
	}
	b = c->sortbuf;
	scatter_top(a, b, n, 0, top);
	for (i = 0; i < 256; i++) {
		lo = top[i];
		hi = top[i + 1];
		/* a few postings (all of them, in a transaction of a unit
		 * or two) need no second pass */
		if (hi - lo <= 32) {
			memcpy(a + lo, b + lo, (hi - lo) * sizeof(*a));
			sort_small(a + lo, hi - lo);
		} else {
			/* b[lo..hi) back to a by the second byte, then each
			 * of those buckets in place, b's part its scratch */
			scatter_top(b + lo, a + lo, hi - lo, 1, sub);
			for (j = 0; j < 256; j++) {
				s = lo + sub[j];
				e = lo + sub[j + 1];
				if (e - s > 32)
					sort_large(a + s, b + s, e - s);
				else
					sort_small(a + s, e - s);
			}
		}
		if (rw && (rc = run_emit(c, rw, lo, hi, err)))
			return rc;
	}
	return 0;
}

/* Sorts the postings, for a flush that writes them from the buffer. */
static void sort_posts(struct tm_match_ctx *c)
{
	sort_emit(c, NULL, NULL);
}

/* Frees sort_posts' copy: no more spills are coming. */
static void sort_release(struct tm_match_ctx *c)
{
	free(c->sortbuf);
	c->sortbuf = NULL;
	c->sortcap = 0;
}

/* ---- spilled runs ------------------------------------------------------
 * A run is its postings in (tok, len, unit) order, each by its difference
 * from the one before, in a byte that says what follows:
 *   - 0x00-0x7f: the key and len of the one before, the unit that much
 *     further (at 200,000 units, 3.1 of the 5.5 million postings);
 *   - 0x80 | n (n 1-8): a new key, its difference (keys unsigned, sign
 *     flipped) in n bytes, low first; then len and the unit's offset from
 *     the run's base, varints;
 *   - 0xc0: the key of the one before, a new len: its difference and the
 *     unit's offset, varints;
 *   - 0xc1: the key and len of the one before, the unit further by a
 *     varint.
 * A new key's difference (the keys are hashes: tens of bits) takes a load
 * and a mask to read rather than a loop over seven varint bytes, and a
 * run's units span a few thousand: their offsets take two bytes where the
 * ids take three. */
#define RUN_WBUF      (1u << 20)
#define POST_MAXBYTES 30 /* a tag, eight bytes and two varints at most */
#define RUN_NEWKEY    0x80
#define RUN_NEWLEN    0xc0
#define RUN_FAR	      0xc1

static uint64_t utok(int64_t tok)
{
	return (uint64_t)tok ^ (1ULL << 63);
}

static size_t get_varint(const unsigned char *b, size_t n, uint64_t *v)
{
	size_t i = 0;
	int shift = 0;

	*v = 0;
	while (i < n && shift < 64) {
		*v |= (uint64_t)(b[i] & 0x7f) << shift;
		shift += 7;
		if (!(b[i++] & 0x80))
			return i;
	}
	return 0;
}

/* A varint at *p, with POST_MAXBYTES readable: its end, NULL when it
 * runs past 64 bits. */
static inline const unsigned char *varint_at(const unsigned char *p,
					     uint64_t *v)
{
	uint64_t x = *p++, b;
	int shift = 7;

	if (x < 0x80) {
		*v = x;
		return p;
	}
	x &= 0x7f;
	do {
		if (shift > 63)
			return NULL;
		b = *p++;
		x |= (b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	*v = x;
	return p;
}

/* The eight bytes at p, the first the lowest. */
static inline uint64_t load_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The posting (tok, len, unit) after prev (prev_len, prev_unit and the
 * key's unsigned form ptok) into b, a run's base below unit: its bytes,
 * POST_MAXBYTES at most. */
static inline size_t run_put(unsigned char *b, uint64_t tok, int32_t len,
			     int64_t unit, uint64_t ptok, int32_t prev_len,
			     int64_t prev_unit, int64_t base)
{
	uint64_t dt = tok - ptok, du = (uint64_t)(unit - prev_unit);
	size_t n, i;

	if (dt) {
		n = 8 - (size_t)__builtin_clzll(dt) / 8;
		b[0] = (unsigned char)(RUN_NEWKEY | n);
		for (i = 0; i < n; i++)
			b[1 + i] = (unsigned char)(dt >> (8 * i));
		n++;
		n += put_varint(b + n, (uint64_t)len);
		return n + put_varint(b + n, (uint64_t)(unit - base));
	}
	if (len != prev_len) {
		b[0] = RUN_NEWLEN;
		n = 1 + put_varint(b + 1, (uint64_t)((int64_t)len - prev_len));
		return n + put_varint(b + n, (uint64_t)(unit - base));
	}
	if (du < 0x80) {
		b[0] = (unsigned char)du;
		return 1;
	}
	b[0] = RUN_FAR;
	return 1 + put_varint(b + 1, du);
}

/* Reads the posting at b (POST_MAXBYTES readable) after *p into *p, the
 * run's base base: its end, NULL when malformed. */
static inline const unsigned char *run_get(const unsigned char *b,
					   struct post *p, int64_t base)
{
	unsigned t = *b++, n;
	uint64_t dt, l, u;

	if (t < 0x80) {
		p->unit += (int64_t)t;
		return b;
	}
	if (t > RUN_NEWKEY && t <= (RUN_NEWKEY | 8)) {
		n = t & 0x0f;
		dt = load_le64(b);
		if (n < 8)
			dt &= (1ULL << (8 * n)) - 1;
		b += n;
		if (!(b = varint_at(b, &l)) || !(b = varint_at(b, &u)) ||
		    l > INT32_MAX)
			return NULL;
		p->tok = (int64_t)((utok(p->tok) + dt) ^ (1ULL << 63));
		p->len = (int32_t)l;
		p->unit = base + (int64_t)u;
		return b;
	}
	if (t == RUN_NEWLEN) {
		if (!(b = varint_at(b, &l)) || !(b = varint_at(b, &u)) ||
		    l > INT32_MAX)
			return NULL;
		p->len = (int32_t)(p->len + (int64_t)l);
		p->unit = base + (int64_t)u;
		return b;
	}
	if (t == RUN_FAR) {
		if (!(b = varint_at(b, &u)))
			return NULL;
		p->unit += (int64_t)u;
		return b;
	}
	return NULL;
}

static int tmp_error(struct tolk_err *err, int e)
{
	return tolk_err_set(
	    err, TOLK_EIO, "match index: cannot write its temporary file: %s%s",
	    strerror(e),
	    e == ENOSPC ? " (TMPDIR is full; nothing was changed)" : "");
}

/* The temporary file runs go to, in $TMPDIR (else /tmp), unlinked at
 * once: nothing is left behind when the process is killed. */
static int tmp_open(struct tm_match_ctx *c, struct tolk_err *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	if (c->tmpfd >= 0)
		return 0;
	if (!dir || !*dir)
		dir = "/tmp";
	if (snprintf(path, sizeof(path), "%s/tolk-index-XXXXXX", dir) >=
	    (int)sizeof(path))
		return tmp_error(err, ENAMETOOLONG);
	if ((c->tmpfd = mkstemp(path)) < 0)
		return tmp_error(err, errno);
	unlink(path);
	return 0;
}

static int tmp_write(struct tm_match_ctx *c, const unsigned char *b, size_t n,
		     struct tolk_err *err)
{
	while (n > 0) {
		ssize_t w = pwrite(c->tmpfd, b, n, (off_t)c->tmpend);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return tmp_error(err, w < 0 ? errno : ENOSPC);
		b += w;
		n -= (size_t)w;
		c->tmpend += w;
	}
	return 0;
}

/* Writes pend[lo..hi), sorted and after those written before, to rw's
 * run. */
static int run_emit(struct tm_match_ctx *c, struct runw *rw, size_t lo,
		    size_t hi, struct tolk_err *err)
{
	/* in locals: the bytes written could alias the struct's fields */
	unsigned char *buf = rw->buf;
	size_t i, w = rw->w;
	uint64_t ptok = rw->ptok;
	int32_t plen = rw->plen;
	int64_t punit = rw->punit, base = rw->base, ubase = c->ubase;
	const struct bpost *pend = c->pend;
	int rc = 0;

	for (i = lo; i < hi; i++) {
		const struct bpost *p = &pend[i];
		uint64_t tok = utok(p->tok);
		int64_t unit = ubase + (int64_t)p->u;

		if (w + POST_MAXBYTES > RUN_WBUF) {
			if ((rc = tmp_write(c, buf, w, err)))
				break;
			w = 0;
		}
		w += run_put(buf + w, tok, p->len, unit, ptok, plen, punit,
			     base);
		ptok = tok;
		plen = p->len;
		punit = unit;
	}
	rw->w = w;
	rw->ptok = ptok;
	rw->plen = plen;
	rw->punit = punit;
	return rc;
}

/* Sorts the buffered postings and writes them out as a run. */
static int spill(struct tm_match_ctx *c, struct tolk_err *err)
{
	struct run *r;
	struct runw rw;
	int rc;

	if (c->npend == 0)
		return 0;
	if ((rc = tmp_open(c, err)))
		return rc;
	if (!c->wbuf && !(c->wbuf = malloc(RUN_WBUF)))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (TOLK_GROW(c->runs, c->runcap, c->nruns + 1, 16))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	r = &c->runs[c->nruns];
	r->off = c->tmpend;
	r->a = c->seq0;
	r->b = c->seq0 + c->npend;
	r->keep = INT64_MAX;
	r->base = c->ulo;
	r->dead = 0;
	/* the reader starts from the posting (0, 0, 0), as this does */
	rw.buf = c->wbuf;
	rw.w = 0;
	rw.ptok = utok(0);
	rw.plen = 0;
	rw.punit = 0;
	rw.base = r->base;
	if ((rc = sort_emit(c, &rw, err)) ||
	    (rc = tmp_write(c, c->wbuf, rw.w, err)))
		return rc;
	r->bytes = c->tmpend - r->off;
	c->nruns++;
	c->seq0 += c->npend;
	c->npend = 0;
	/* A spill comes every few megabytes of rows the writer wrote
	 * meanwhile: their pages start for the disk here, not all in the
	 * commit's fsync (util/writeback.h). */
	tolk_writeback(tm_db_path(c->db));
	return 0;
}

/* A run being read back. */
struct rrd {
	int64_t pos, end, keep, base;
	unsigned char *buf;
	size_t bn, bi, cap;
	struct post cur;
};

/* Reads the next posting of the run into r->cur: 1, 0 at its end. */
static int corrupt_run(struct tolk_err *err)
{
	return tolk_err_set(err, TOLK_EINTERNAL,
			    "match index: its temporary file is corrupt");
}

static int rrd_next(struct tm_match_ctx *c, struct rrd *r, struct tolk_err *err)
{
	const unsigned char *b, *q;

	do {
		if (r->bn - r->bi < POST_MAXBYTES && r->pos < r->end) {
			size_t keep = r->bn - r->bi, want = r->cap - keep;
			ssize_t n;

			memmove(r->buf, r->buf + r->bi, keep);
			if ((int64_t)want > r->end - r->pos)
				want = (size_t)(r->end - r->pos);
			do
				n = pread(c->tmpfd, r->buf + keep, want,
					  (off_t)r->pos);
			while (n < 0 && errno == EINTR);
			if (n <= 0)
				return tolk_err_set(
				    err, TOLK_EIO,
				    "match index: cannot read its temporary "
				    "file: %s",
				    n < 0 ? strerror(errno) : "it is short");
			r->pos += n;
			r->bi = 0;
			r->bn = keep + (size_t)n;
		}
		if (r->bi == r->bn)
			return 0;
		b = r->buf + r->bi;
		if (*b < 0x80) {
			r->cur.unit += *b;
			r->bi++;
			continue;
		}
		if (r->bn - r->bi >= POST_MAXBYTES) {
			if (!(q = run_get(b, &r->cur, r->base)))
				return corrupt_run(err);
		} else {
			/* the run's last bytes, read where POST_MAXBYTES are:
			 * what follows them zero */
			unsigned char tail[POST_MAXBYTES] = {0};

			memcpy(tail, b, r->bn - r->bi);
			if (!(q = run_get(tail, &r->cur, r->base)) ||
			    (size_t)(q - tail) > r->bn - r->bi)
				return corrupt_run(err);
			q = b + (q - tail);
		}
		r->bi = (size_t)(q - r->buf);
	} while (r->cur.unit > r->keep);
	return 1;
}

/* r's current posting, of the key and len of grp's last, and those after
 * it that continue them in three bytes (as rrd_next reads them) with a
 * unit below bound, taken into grp[ng..max) (a repeated unit once):
 * r->cur is then the first not taken.  Stops short of the buffer's last
 * bytes, a unit above keep or a full group, which rrd_next and the merge
 * see to.  The new ng. */
static size_t rrd_drain(struct rrd *r, struct post *grp, size_t ng, size_t max,
			int64_t bound)
{
	const unsigned char *b = r->buf + r->bi, *end = r->buf + r->bn;
	int64_t lim = bound <= r->keep ? bound - 1 : r->keep;
	struct post p = r->cur;

	while (b < end && *b < 0x80 && p.unit + *b <= lim) {
		if (p.unit != grp[ng - 1].unit) {
			if (ng == max)
				break;
			grp[ng++] = p;
		}
		p.unit += *b;
		b++;
	}
	r->bi = (size_t)(b - r->buf);
	r->cur = p;
	return ng;
}

static int post_less(const struct post *a, const struct post *b)
{
	if (a->tok != b->tok)
		return a->tok < b->tok;
	if (a->len != b->len)
		return a->len < b->len;
	return a->unit < b->unit;
}

/* The min-heap of run readers h[0..n) on their current posting: h[i]
 * sifted down.  A run's postings of a common key come in a row, so h[i]
 * is most often still the least: checked first.  Otherwise the hole goes
 * down to a leaf along the smaller child (one comparison a level rather
 * than two), then h[i] back up to where it belongs, seldom far. */
static void heap_down(struct rrd **h, size_t n, size_t i)
{
	struct rrd *x = h[i];
	size_t j = i, l = 2 * i + 1;

	if (l >= n)
		return;
	if (l + 1 < n && post_less(&h[l + 1]->cur, &h[l]->cur))
		l++;
	if (!post_less(&h[l]->cur, &x->cur))
		return;
	do {
		h[j] = h[l];
		j = l;
		if ((l = 2 * j + 1) < n && l + 1 < n &&
		    post_less(&h[l + 1]->cur, &h[l]->cur))
			l++;
	} while (l < n);
	while (j > i) {
		size_t up = (j - 1) / 2;

		if (!post_less(&x->cur, &h[up]->cur))
			break;
		h[j] = h[up];
		j = up;
	}
	h[j] = x;
}

/* ---- keys' rows ---------------------------------------------------------
 * Most keys have few postings (at 200,000 units, 63% of the blocks held
 * one unit): a key whose blocks come to INLINE_MAX bytes or less keeps
 * them in its match_tok row, as records (len, first, the gaps' byte
 * count: varints; the gaps), sorted by len and first; a bigger key's row
 * has post NULL and its blocks in match_blk.  A key is one or the other,
 * never both.  A key that outgrows the limit moves to match_blk; one that
 * shrinks below it stays there (a rebuild would move it back: the
 * lookups find the same units either way).  On a server every key's
 * blocks are in match_blk: it pays only in SQLite's row writes. */
#define REC_HEAD 30 /* a record's three varints at most */

/* One inline record. */
struct rec {
	int len;
	int64_t first;
	const unsigned char *g;
	size_t nb;
};

/* The record at b[0..n) into r: its size, 0 when malformed. */
static size_t rec_next(const unsigned char *b, size_t n, struct rec *r)
{
	uint64_t v[3];
	size_t at = 0, k;
	int i;

	for (i = 0; i < 3; i++) {
		if (!(k = get_varint(b + at, n - at, &v[i])))
			return 0;
		at += k;
	}
	if (v[0] > INT_MAX || v[1] > INT64_MAX || v[2] > n - at)
		return 0;
	r->len = (int)v[0];
	r->first = (int64_t)v[1];
	r->g = b + at;
	r->nb = (size_t)v[2];
	return at + r->nb;
}

/* units[0..n) of len as records into b (room for n * 10 bytes and
 * REC_HEAD a block): their bytes. */
static size_t rec_encode(unsigned char *b, int len, const int64_t *units,
			 size_t n)
{
	size_t i, k, w = 0, nb;

	for (i = 0; i < n; i += k) {
		unsigned char head[REC_HEAD];
		size_t h;

		k = n - i < BLK_MAX ? n - i : BLK_MAX;
		if (k == 1) {
			/* no gaps (most records: 63% of the blocks at
			 * 200,000 units hold one unit) */
			w += put_varint(b + w, (uint64_t)len);
			w += put_varint(b + w, (uint64_t)units[i]);
			b[w++] = 0;
			continue;
		}
		/* the gaps after the widest head, then the head before them */
		nb = blk_encode(units + i, k, b + w + REC_HEAD);
		h = put_varint(head, (uint64_t)len);
		h += put_varint(head + h, (uint64_t)units[i]);
		h += put_varint(head + h, nb);
		memmove(b + w + h, b + w + REC_HEAD, nb);
		memcpy(b + w, head, h);
		w += h + nb;
	}
	return w;
}

static int corrupt(struct tolk_err *err)
{
	return tolk_err_set(err, TOLK_EDB,
			    "match index: a key's row is corrupt (run 'tolk "
			    "reindex')");
}

/* ---- one-posting keys ---------------------------------------------------
 * Most keys have one unit (a rare word, a unit's first three words, its
 * numbers): at 200,000 units of gentmx.py text 180,707 of 219,365.  A row
 * each in match_tok cost an import a search of that table from its root
 * per key, about a tenth of its time.  They are kept in match_one
 * instead, as entries of their bucket's row: the key's high ONE_BITS
 * bits (as a signed number, so that buckets come in the keys' order) are
 * the row's b, and its blob holds the bucket's entries sorted by key,
 * each three varints: the key's low bits as the gap from the entry
 * before's (the first's from 0), the len and the unit.  A key is in
 * match_tok or in match_one, never both; a reader that finds no row
 * reads the bucket.  A key that gets a second unit moves to match_tok,
 * and one that a delete leaves with one inline unit moves back (one
 * whose blocks are in match_blk stays, as such keys do: a rebuild would
 * move it, the lookups find the same units either way).  An index
 * written before schema 11 keeps its keys' rows until it is rebuilt.  On
 * a server every key has its row: it has no bulk row writes to save. */

static int64_t one_bucket(int64_t tok)
{
	const int64_t half = INT64_C(1) << (ONE_BITS - 1);

	return (int64_t)(((uint64_t)tok >> ONE_SHIFT) ^ (uint64_t)half) - half;
}

/* Reads a bucket's entries in order. */
struct one_it {
	const unsigned char *p, *end;
	uint64_t hi, low;
	int any;
};

static void one_it_init(struct one_it *it, int64_t b, const void *blob,
			size_t n)
{
	it->p = blob;
	it->end = it->p ? it->p + n : NULL;
	it->hi = (uint64_t)b << ONE_SHIFT;
	it->low = 0;
	it->any = 0;
}

/* The next entry: 1, 0 at the end, -1 when the blob is malformed. */
static int one_next(struct one_it *it, int64_t *tok, int *len, int64_t *unit)
{
	uint64_t v[3];
	size_t k;
	int i;

	if (it->p == it->end)
		return 0;
	for (i = 0; i < 3; i++) {
		if (!(k = get_varint(it->p, (size_t)(it->end - it->p), &v[i])))
			return -1;
		it->p += k;
	}
	/* keys strictly ascending, within the bucket */
	if ((it->any && v[0] == 0) || v[0] > ONE_LOW - it->low ||
	    v[1] > INT_MAX || v[2] > INT64_MAX)
		return -1;
	it->low += v[0];
	it->any = 1;
	*tok = (int64_t)(it->hi | it->low);
	*len = (int)v[1];
	*unit = (int64_t)v[2];
	return 1;
}

/* The entry of tok after one of low prev (0 for a bucket's first) into
 * out (ONE_ENTRY_MAX bytes of room): its length. */
static size_t one_enc(unsigned char *out, uint64_t prev, int64_t tok, int len,
		      int64_t unit)
{
	size_t n = put_varint(out, ((uint64_t)tok & ONE_LOW) - prev);

	n += put_varint(out + n, (uint64_t)len);
	return n + put_varint(out + n, (uint64_t)unit);
}

/* Key tok's entry in match_one: 1 with its len and unit, 0 when it has
 * none. */
static int one_find(struct tm_match_ctx *c, int64_t tok, int *len,
		    int64_t *unit, struct tolk_err *err)
{
	struct tm_db_stmt *st = stmt(c, S_ONE_GET, err);
	struct one_it it;
	const void *b;
	size_t bn;
	int64_t t, b0 = one_bucket(tok);
	int rc;

	if (!st)
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, b0);
	if ((rc = tm_db_step(st, "match index", err)) == 1) {
		b = tm_db_col_blob(st, 0, &bn);
		one_it_init(&it, b0, b, bn);
		while ((rc = one_next(&it, &t, len, unit)) == 1 && t < tok)
			;
		if (rc < 0)
			rc = corrupt(err);
		else if (rc == 1 && t != tok)
			rc = 0;
	}
	tm_db_reset(st);
	return rc;
}

/* Rewrites the buckets of the waiting changes (in key order, each key
 * once): each bucket read and written once. */
static int one_apply(struct tm_match_ctx *c, struct tolk_err *err)
{
	const struct oneop *op = c->ops;
	size_t i = 0, j, n = c->nops, nold, w;
	int rc = 0;

	c->nops = 0;
	while (i < n) {
		struct tm_db_stmt *st;
		struct one_it it;
		int64_t b = one_bucket(op[i].tok), t = 0, unit = 0;
		uint64_t prev = 0;
		const void *blob;
		size_t bn;
		int len = 0, more, had;

		for (j = i + 1; j < n && one_bucket(op[j].tok) == b; j++)
			;
		if (!(st = stmt(c, S_ONE_GET, err)))
			return err ? err->code : TOLK_EDB;
		tm_db_bind_int64(st, 1, b);
		nold = 0;
		if ((had = tm_db_step(st, "match index", err)) == 1 &&
		    (blob = tm_db_col_blob(st, 0, &bn)) && bn) {
			if (TOLK_GROW(c->one_old, c->one_oldcap, bn, 1024))
				had = tolk_err_set(err, TOLK_ENOMEM,
						   "out of memory");
			else
				memcpy(c->one_old, blob, nold = bn);
		}
		tm_db_reset(st);
		if (had < 0)
			return had;
		if (TOLK_GROW(c->one_new, c->one_newcap,
			      nold + (j - i) * ONE_ENTRY_MAX, 1024))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		/* the old entries and the changes merged by key */
		one_it_init(&it, b, c->one_old, nold);
		if ((more = one_next(&it, &t, &len, &unit)) < 0)
			return corrupt(err);
		for (w = 0; more || i < j;) {
			if (more && (i == j || t < op[i].tok)) {
				w +=
				    one_enc(c->one_new + w, prev, t, len, unit);
				prev = (uint64_t)t & ONE_LOW;
			} else {
				if (!op[i].del) {
					w += one_enc(c->one_new + w, prev,
						     op[i].tok, op[i].len,
						     op[i].unit);
					prev = (uint64_t)op[i].tok & ONE_LOW;
				}
				/* the change stands for the old entry */
				if (more && t == op[i].tok &&
				    (more = one_next(&it, &t, &len, &unit)) < 0)
					return corrupt(err);
				i++;
				continue;
			}
			if ((more = one_next(&it, &t, &len, &unit)) < 0)
				return corrupt(err);
		}
		if (!w && !had)
			continue;
		if (!(st = stmt(c, w ? S_ONE_PUT : S_ONE_DEL, err)))
			return err ? err->code : TOLK_EDB;
		tm_db_bind_int64(st, 1, b);
		if (w)
			tm_db_bind_blob(st, 2, c->one_new, w);
		if ((rc = step_done(c, st, err)))
			return rc;
	}
	return rc;
}

/* A change of key tok's entry; the buckets are rewritten ONE_OPS changes
 * at a time (between two keys: every change is of a key done with).
 * Keys come in order; one that does not (none known) has those before
 * it written first, as one_apply takes them in order. */
static int one_op(struct tm_match_ctx *c, int64_t tok, int len, int64_t unit,
		  int del, struct tolk_err *err)
{
	int rc;

	if (c->nops && c->ops[c->nops - 1].tok >= tok &&
	    (rc = one_apply(c, err)))
		return rc;
	if (TOLK_GROW(c->ops, c->opscap, c->nops + 1, 256))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	c->ops[c->nops++] = (struct oneop){tok, unit, len, del};
	return c->nops >= c->one_ops ? one_apply(c, err) : 0;
}

/* Hands the gathered bucket over as a row of c->qone. */
static int one_emit(struct tm_match_ctx *c, struct tolk_err *err)
{
	struct qbuf *b = c->qone;
	struct qblk *q;
	size_t off;
	int rc;

	if (!c->nob)
		return 0;
	off = b->n ? b->qk[b->n - 1].off + b->qk[b->n - 1].n : 0;
	if (off + c->nob > sizeof(b->qb)) {
		if ((rc = q_full(c, &c->qone, err)))
			return rc;
		b = c->qone;
		off = 0;
	}
	q = &b->qk[b->n];
	q->tok = c->ob_b;
	q->len = 0;
	q->first = 0;
	q->off = off;
	q->n = c->nob;
	memcpy(b->qb + off, c->ob, c->nob);
	c->nob = 0;
	return ++b->n == QROWS ? q_full(c, &c->qone, err) : 0;
}

/* Into an empty index (batching): key tok's entry into the bucket being
 * gathered, which is handed over when the keys reach the next.  1 when
 * taken, 0 when the bucket is full (the key keeps a row of its own). */
static int one_gather(struct tm_match_ctx *c, int64_t tok, int len,
		      int64_t unit, struct tolk_err *err)
{
	int64_t b = one_bucket(tok);
	int rc;

	if (c->nob && b != c->ob_b && (rc = one_emit(c, err)))
		return rc;
	if (!c->nob) {
		c->ob_b = b;
		c->ob_low = 0;
	}
	if (c->nob + ONE_ENTRY_MAX > c->one_cap)
		return 0;
	if (TOLK_GROW(c->ob, c->obcap, c->nob + ONE_ENTRY_MAX, 4096))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	c->nob += one_enc(c->ob + c->nob, c->ob_low, tok, len, unit);
	c->ob_low = (uint64_t)tok & ONE_LOW;
	return 1;
}

/* The key's only unit, from its inline records (c->kin): 1, 0 when they
 * hold more (or none), -1 when malformed. */
static int kin_single(struct tm_match_ctx *c, int *len, int64_t *unit)
{
	struct rec r;
	size_t k;

	if (!c->nkin)
		return 0;
	if (!(k = rec_next(c->kin, c->nkin, &r)))
		return -1;
	if (k != c->nkin || r.nb)
		return 0;
	*len = r.len;
	*unit = r.first;
	return 1;
}

/* Starts writing key tok: its row read, unless the index was empty when
 * the flush began (fresh) or is a server's. */
static int key_begin(struct tm_match_ctx *c, int64_t tok, int fresh,
		     struct tolk_err *err)
{
	struct tm_db_stmt *st;
	const void *post;
	size_t bn;
	int rc;

	c->kon = 1;
	c->ktok = tok;
	c->kbig = c->remote;
	c->kone = 0;
	c->kn = 0;
	c->nkin = 0;
	c->klen = -1;
	if (fresh || c->remote)
		return 0;
	if (!(st = stmt(c, S_TOK_GET, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, tok);
	if ((rc = tm_db_step(st, "match index", err)) == 1) {
		c->kn = tm_db_col_int64(st, 0);
		c->kbig = tm_db_col_is_null(st, 1);
		post = tm_db_col_blob(st, 1, &bn);
		if (post && bn && TOLK_GROW(c->kin, c->kincap, bn, 1024))
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		else if (post && bn) {
			memcpy(c->kin, post, bn);
			c->nkin = bn;
			c->klen = INT_MAX; /* not known */
		}
	}
	tm_db_reset(st);
	if (rc == 0) {
		int len;
		int64_t unit;

		if ((rc = one_find(c, tok, &len, &unit, err)) == 1) {
			if (TOLK_GROW(c->kin, c->kincap, 10 + REC_HEAD, 1024))
				return tolk_err_set(err, TOLK_ENOMEM,
						    "out of memory");
			c->nkin = rec_encode(c->kin, len, &unit, 1);
			c->klen = len;
			c->kn = 1;
			c->kone = 1;
		}
	}
	return rc < 0 ? rc : 0;
}

/* kin_update's add of a len after every record's (klen): an append, as
 * every one into an empty index is. */
static int kin_append(struct tm_match_ctx *c, const struct post *p, size_t n,
		      int64_t *count, struct tolk_err *err)
{
	size_t i, w;

	if (TOLK_GROW(c->mrg, c->mrgcap, n, 1024) ||
	    TOLK_GROW(c->kin, c->kincap,
		      c->nkin + 10 * n + REC_HEAD * (n / BLK_MAX + 1), 1024))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = w = 0; i < n; i++)
		if (w == 0 || c->mrg[w - 1] != p[i].unit)
			c->mrg[w++] = p[i].unit;
	c->nkin += rec_encode(c->kin + c->nkin, p[0].len, c->mrg, w);
	c->klen = p[0].len;
	*count += (int64_t)w;
	return 0;
}

/* Adds the sorted units p[0..n) of one len to the key's inline records
 * (drop 0), adding those new to *count, or takes them out (drop 1),
 * adding those that were there. */
static int kin_update(struct tm_match_ctx *c, const struct post *p, size_t n,
		      int drop, int64_t *count, struct tolk_err *err)
{
	int len = p[0].len;
	size_t s, e, k, nold = 0, w, a, j, nout;
	struct rec r;
	int64_t *u;

	if (!drop && len > c->klen)
		return kin_append(c, p, n, count, err);
	if (len > c->klen)
		c->klen = len;
	for (s = 0; s < c->nkin; s += k) {
		if (!(k = rec_next(c->kin + s, c->nkin - s, &r)))
			return corrupt(err);
		if (r.len >= len)
			break;
	}
	for (e = s; e < c->nkin; e += k) {
		if (!(k = rec_next(c->kin + e, c->nkin - e, &r)))
			return corrupt(err);
		if (r.len != len)
			break;
		if (TOLK_GROW(c->mrg, c->mrgcap, nold + BLK_MAX, 1024))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		nold += blk_decode(r.first, r.g, r.nb, c->mrg + nold, BLK_MAX);
	}
	if (TOLK_GROW(c->mrg, c->mrgcap, 2 * nold + n + 1, 1024))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	/* old c->mrg[0..nold) and p merged (or filtered) into u */
	u = c->mrg + nold;
	for (w = 0, a = 0, j = 0; a < nold || (!drop && j < n);) {
		while (j < n && (a == nold || p[j].unit < c->mrg[a])) {
			if (!drop && (w == 0 || u[w - 1] != p[j].unit)) {
				u[w++] = p[j].unit;
				(*count)++;
			}
			j++;
		}
		if (a == nold)
			break;
		if (j < n && p[j].unit == c->mrg[a]) {
			if (drop)
				(*count)++;
			else
				u[w++] = c->mrg[a];
			j++;
		} else
			u[w++] = c->mrg[a];
		a++;
	}
	if (TOLK_GROW(c->kout, c->koutcap,
		      10 * w + REC_HEAD * (w / BLK_MAX + 1), 1024) ||
	    TOLK_GROW(c->kin, c->kincap,
		      c->nkin + 10 * w + REC_HEAD * (w / BLK_MAX + 1), 1024))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	nout = rec_encode(c->kout, len, u, w);
	memmove(c->kin + s + nout, c->kin + e, c->nkin - e);
	memcpy(c->kin + s, c->kout, nout);
	c->nkin = c->nkin - (e - s) + nout;
	return 0;
}

/* Moves the key's inline records to match_blk: it has outgrown its
 * row. */
static int key_promote(struct tm_match_ctx *c, struct tolk_err *err)
{
	size_t at, k;
	struct rec r;
	int rc;

	for (at = 0; at < c->nkin; at += k) {
		if (!(k = rec_next(c->kin + at, c->nkin - at, &r)))
			return corrupt(err);
		if ((rc = blk_row(c, c->ktok, r.len, r.first, r.g, r.nb, err)))
			return rc;
	}
	c->nkin = 0;
	c->kbig = 1;
	return 0;
}

/* Writes the units p[0..n) of one (tok, len), adding those new to
 * *added.  fresh: the index had no postings when this flush began, so the
 * key has no block yet (or only those this flush wrote, full ones: n
 * and every earlier part of the group are multiples of BLK_MAX). */
static int write_group(struct tm_match_ctx *c, const struct post *p, size_t n,
		       int fresh, int64_t *added, struct tolk_err *err)
{
	size_t i, d;
	int rc;

	if (!c->kon && (rc = key_begin(c, p[0].tok, fresh, err)))
		return rc;
	if (!c->kbig) {
		/* each distinct unit takes a byte at least: more than
		 * INLINE_MAX cannot fit (and are not decoded for nothing) */
		for (i = d = 0; i < n && d <= c->inline_max; i++)
			d += !i || p[i].unit != p[i - 1].unit;
		if (d <= c->inline_max) {
			if ((rc = kin_update(c, p, n, 0, added, err)))
				return rc;
			return c->nkin > c->inline_max ? key_promote(c, err)
						       : 0;
		}
		if ((rc = key_promote(c, err)))
			return rc;
	}
	if (!fresh)
		return blk_add(c, p, n, added, err);
	if (TOLK_GROW(c->mrg, c->mrgcap, n, 1024))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		c->mrg[i] = p[i].unit;
	*added += (int64_t)n;
	return blk_write(c, p[0].tok, p[0].len, c->mrg, n, err);
}

/* Ends the key that write_group began: its row, with the count grown by
 * added (a server's by an upsert, its row unread). */
static int key_end(struct tm_match_ctx *c, int64_t tok, int64_t added,
		   struct tolk_err *err)
{
	struct tm_db_stmt *st;
	struct qblk q;
	int rc;

	c->kon = 0;
	if (c->remote) {
		if (!(st = stmt(c, S_DF_INC, err)))
			return err ? err->code : TOLK_EDB;
		tm_db_bind_int64(st, 1, tok);
		tm_db_bind_int64(st, 2, added);
		return step_done(c, st, err);
	}
	q.tok = tok;
	q.first = c->kn + added;
	q.off = 0;
	q.n = c->kbig ? 0 : c->nkin;
	/* a new key with one unit, or one that stays so, in its bucket */
	if (q.n && q.first == 1 && (c->kn == 0 || c->kone)) {
		int len;
		int64_t unit;

		if ((rc = kin_single(c, &len, &unit)) < 0)
			return corrupt(err);
		if (rc && c->batch) {
			if ((rc = one_gather(c, tok, len, unit, err)))
				return rc < 0 ? rc : 0;
		} else if (rc)
			return c->kone && !added
				   ? 0
				   : one_op(c, tok, len, unit, 0, err);
	}
	/* a key that has outgrown its bucket */
	if (c->kone && (rc = one_op(c, tok, 0, 0, 1, err)))
		return rc;
	if (c->batch) {
		struct qbuf *b = c->qdf;
		struct qblk *t = &b->qk[b->n];

		*t = q;
		t->off = b->n ? t[-1].off + t[-1].n : 0;
		if (q.n)
			memcpy(b->qb + t->off, c->kin, q.n);
		return ++b->n == QROWS ? q_full(c, &c->qdf, err) : 0;
	}
	if (!(st = stmt(c, S_TOK_PUT, err)))
		return err ? err->code : TOLK_EDB;
	tok_bind(st, 0, &q, c->kin);
	return step_done(c, st, err);
}

/* Postings of one (tok, len) gathered from the runs are written GRP_MAX
 * at a time (a multiple of BLK_MAX: the blocks come out as one write of
 * them all would cut them), so that memory does not grow with a key. */
#define GRP_MAX (512 * BLK_MAX)

/* The runs being merged: a reader on each live one, n of them in the
 * min-heap h. */
struct merge {
	struct rrd *rd, **h;
	size_t n;
};

static void merge_close(struct tm_match_ctx *c, struct merge *m)
{
	size_t i;

	for (i = 0; m->rd && i < c->nruns; i++)
		free(m->rd[i].buf);
	free(m->rd);
	free(m->h);
	memset(m, 0, sizeof(*m));
}

/* Spills the buffer as the last run and opens a reader on each run.
 * Its memory is taken here, on the thread that freed the buffer's:
 * glibc gives another thread an arena of its own, which would not reuse
 * it. */
static int merge_open(struct tm_match_ctx *c, struct merge *m,
		      struct tolk_err *err)
{
	size_t i, cap;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = spill(c, err)))
		return rc;
	/* the buffer is empty now: its memory goes to the readers' */
	free(c->pend);
	c->pend = NULL;
	c->pendcap = 0;
	sort_release(c);
	/* 16 MB of read buffers in all */
	cap = c->nruns ? (16u << 20) / c->nruns : 0;
	if (cap < 4096)
		cap = 4096;
	if (cap > (256u << 10))
		cap = 256u << 10;
	if (!(m->rd = calloc(c->nruns, sizeof(*m->rd))) ||
	    !(m->h = calloc(c->nruns, sizeof(*m->h))) ||
	    TOLK_GROW(c->grp, c->grpcap, GRP_MAX, 1024) ||
	    TOLK_GROW(c->mrg, c->mrgcap, GRP_MAX, 1024))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < c->nruns; i++) {
		struct rrd *r = &m->rd[i];

		if (c->runs[i].dead)
			continue;
		r->pos = c->runs[i].off;
		r->end = c->runs[i].off + c->runs[i].bytes;
		r->keep = c->runs[i].keep;
		r->base = c->runs[i].base;
		r->cap = cap;
		if (!(r->buf = malloc(cap)))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		if ((rc = rrd_next(c, r, err)) < 0)
			return rc;
		if (rc == 1)
			m->h[m->n++] = r;
	}
	for (i = m->n; i-- > 0;)
		heap_down(m->h, m->n, i);
	return 0;
}

/* Merges the opened runs into the index. */
static int merge_loop(struct tm_match_ctx *c, struct merge *m, int fresh,
		      struct tolk_err *err)
{
	struct rrd **h = m->h, *next = NULL;
	size_t n = m->n, ng = 0;
	int64_t added = 0;
	int rc;

	/* next: the least run after h[0] (one of its children), which
	 * stays so while postings come from h[0]: a run's postings of a
	 * common key come in a row, each then one comparison rather than
	 * a sift */
	if (n > 1)
		next = n > 2 && post_less(&h[2]->cur, &h[1]->cur) ? h[2] : h[1];
	while (n > 0) {
		struct post p = h[0]->cur;

		if ((rc = rrd_next(c, h[0], err)) < 0)
			return rc;
		if (rc == 0 || (next && !post_less(&h[0]->cur, &next->cur))) {
			if (rc == 0)
				h[0] = h[--n];
			heap_down(h, n, 0);
			next = n < 2 ? NULL
			       : n > 2 && post_less(&h[2]->cur, &h[1]->cur)
				   ? h[2]
				   : h[1];
		}
		if (ng && c->grp[ng - 1].tok == p.tok &&
		    c->grp[ng - 1].len == p.len) {
			if (c->grp[ng - 1].unit == p.unit)
				goto more;
			if (ng < GRP_MAX) {
				c->grp[ng++] = p;
				goto more;
			}
		}
		if (ng && (rc = write_group(c, c->grp, ng, fresh, &added, err)))
			return rc;
		if (ng && c->grp[0].tok != p.tok) {
			if ((rc = key_end(c, c->grp[0].tok, added, err)))
				return rc;
			added = 0;
		}
		c->grp[0] = p;
		ng = 1;
	more:
		/* p is the group's last and h[0]->cur the least posting
		 * not taken.  While that one and those after it in its run
		 * continue p's key and len with units below the next run's
		 * least (of a later key or len: any unit), they come before
		 * any other run's: taken as they are read, with a
		 * comparison of their units only.  Into an empty index, a
		 * run's units of a key and len all come before the next
		 * run's: most postings are taken so. */
		if (n && h[0]->cur.tok == p.tok && h[0]->cur.len == p.len)
			ng = rrd_drain(h[0], c->grp, ng, GRP_MAX,
				       next && next->cur.tok == p.tok &&
					       next->cur.len == p.len
					   ? next->cur.unit
					   : INT64_MAX);
	}
	if (ng && ((rc = write_group(c, c->grp, ng, fresh, &added, err)) ||
		   (rc = key_end(c, c->grp[0].tok, added, err))))
		return rc;
	return 0;
}

/* Merges the runs (the buffer spilled as the last) into the index. */
static int merge_runs(struct tm_match_ctx *c, int fresh, struct tolk_err *err)
{
	struct merge m;
	int rc = merge_open(c, &m, err);

	if (!rc)
		rc = merge_loop(c, &m, fresh, err);
	merge_close(c, &m);
	return rc;
}

/* ---- the merge on a thread of its own ---------------------------------
 * At the end of an import the flush merges the spilled runs (reading them
 * back, the heap, encoding blocks: about a third of it) on the thread
 * that owns the connection, while the other core idles.  Into an empty
 * index on SQLite the merge needs nothing from the database, so a thread
 * of its own merges and encodes, and hands the batches of rows over as
 * they fill; the writer binds and steps them meanwhile.  The rows and
 * their order are those of the merge done in line.
 *
 * An import that has handed over all its texts may start the merge
 * sooner (tm_match_index_premerge): the indexing thread, once it has
 * indexed the last batch, spills the rest and merges into a deeper pipe
 * while the writer writes the key tables and whatever else comes before
 * the commit; the commit's flush then writes the batches already made.
 * Anything else that touches the index before that first stops the
 * merge (premerge_cancel): the runs are still in their file, and the
 * flush merges them as it would have. */
#define MP_BUFS 32 /* batches: 2.6 MB */
/* Batches of a merge started early: it runs ahead of the writer while
 * the writer is busy elsewhere.  A batch's buffer is mostly untouched
 * (its rows take a few kB of its 80), so that these cost about 10 MB of
 * memory, not 80. */
#define MP_EARLY 1024
/* Each side sleeps until the other has done a stretch of work, not a
 * batch: a hand-over per batch cost more in wake-ups than it saved. */
#define MP_READY 4 /* full batches the writer waits for */
/* batches written between two starts of the pages' write-back */
#define MP_WRITEBACK 512

struct mpipe {
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* any change of nfull, nidle, started, done, stop */
	size_t cap;	   /* batches: MP_BUFS, or MP_EARLY */
	struct qbuf *mem;  /* all of them */
	/* full batches in the order they filled, from full[head]; those
	 * the writer is done with */
	struct qbuf **full, **idle;
	size_t head, nfull, nidle;
	int early;	    /* merged by the indexing thread (premerge) */
	int started;	    /* early: the indexing thread took the merge */
	int done, stop, rc; /* rc, err: the merge's, once done */
	int pwait, cwait;   /* the merge, the writer asleep */
	struct tolk_err err;
	struct qbuf *own_blk, *own_df, *own_one; /* the ctx's, given back */
	struct merge m;
};

/* Hands the full *b to the writer. */
static void mp_hand(struct mpipe *mp, struct qbuf *b)
{
	pthread_mutex_lock(&mp->mu);
	mp->full[(mp->head + mp->nfull++) % mp->cap] = b;
	if (mp->cwait && mp->nfull >= MP_READY)
		pthread_cond_broadcast(&mp->cv);
	pthread_mutex_unlock(&mp->mu);
}

/* Hands the full *b over and puts an empty one in its place; fails
 * (the writer's error is the one reported) when the writer gave up. */
static int mp_push(struct tm_match_ctx *c, struct qbuf **b,
		   struct tolk_err *err)
{
	struct mpipe *mp = c->mp;
	int df = (*b)->df;

	(void)err;
	mp_hand(mp, *b);
	*b = NULL;
	pthread_mutex_lock(&mp->mu);
	if (mp->nidle == 0) {
		mp->pwait = 1;
		while (!mp->stop && mp->nidle < mp->cap / 2)
			pthread_cond_wait(&mp->cv, &mp->mu);
		mp->pwait = 0;
	}
	if (!mp->stop) {
		*b = mp->idle[--mp->nidle];
		(*b)->n = 0;
		(*b)->df = df;
	}
	pthread_mutex_unlock(&mp->mu);
	return *b ? 0 : TOLK_EINTERNAL;
}

/* The merge's side: merges the opened runs into the pipe, then says it
 * is done. */
static void mp_merge(struct tm_match_ctx *c, int rc)
{
	struct mpipe *mp = c->mp;

	if (!rc)
		rc = merge_loop(c, &mp->m, 1, &mp->err);
	/* the last few, in the order q_end writes them */
	if (!rc)
		rc = one_emit(c, &mp->err);
	if (!rc && c->qblk->n)
		mp_hand(mp, c->qblk);
	if (!rc && c->qdf->n)
		mp_hand(mp, c->qdf);
	if (!rc && c->qone->n)
		mp_hand(mp, c->qone);
	c->qblk = c->qdf = c->qone = NULL;
	c->nob = 0;
	pthread_mutex_lock(&mp->mu);
	mp->rc = rc;
	mp->done = 1;
	pthread_cond_broadcast(&mp->cv);
	pthread_mutex_unlock(&mp->mu);
}

static void *mp_main(void *p)
{
	mp_merge(p, 0);
	return NULL;
}

static void mp_free(struct tm_match_ctx *c, struct mpipe *mp)
{
	c->mp = NULL;
	c->qblk = mp->own_blk;
	c->qdf = mp->own_df;
	c->qone = mp->own_one;
	pthread_mutex_destroy(&mp->mu);
	pthread_cond_destroy(&mp->cv);
	free(mp->mem);
	free(mp->full);
	free(mp->idle);
	free(mp);
}

/* A pipe of cap batches, its first three the ones the merge fills
 * (c->qblk, c->qdf and c->qone, the ctx's own kept aside); NULL out of
 * memory. */
static struct mpipe *mp_new(struct tm_match_ctx *c, size_t cap)
{
	struct mpipe *mp = calloc(1, sizeof(*mp));
	size_t i;

	if (!mp)
		return NULL;
	mp->cap = cap;
	/* calloc: untouched, the buffers' pages are never made */
	if (!(mp->mem = calloc(cap, sizeof(*mp->mem))) ||
	    !(mp->full = calloc(cap, sizeof(*mp->full))) ||
	    !(mp->idle = calloc(cap, sizeof(*mp->idle)))) {
		free(mp->mem);
		free(mp->full);
		free(mp);
		return NULL;
	}
	for (i = 3; i < cap; i++)
		mp->idle[mp->nidle++] = &mp->mem[i];
	mp->mem[0].df = Q_BLK;
	mp->mem[1].df = Q_TOK;
	mp->mem[2].df = Q_ONE;
	mp->own_blk = c->qblk;
	mp->own_df = c->qdf;
	mp->own_one = c->qone;
	c->qblk = &mp->mem[0];
	c->qdf = &mp->mem[1];
	c->qone = &mp->mem[2];
	pthread_mutex_init(&mp->mu, NULL);
	pthread_cond_init(&mp->cv, NULL);
	c->mp = mp;
	return mp;
}

/* The writer's side: writes the batches as they come until the merge is
 * done (or a write fails, which stops it), then waits for the merge's
 * end and its result. */
static int mp_write(struct tm_match_ctx *c, struct mpipe *mp,
		    struct tolk_err *err)
{
	size_t nwritten = 0;
	int rc = 0;

	/* what was written before (the key tables, the vocabulary) goes
	 * to the disk while the merge fills its first batches */
	tolk_writeback(tm_db_path(c->db));
	for (;;) {
		struct qbuf *b;

		pthread_mutex_lock(&mp->mu);
		if (!mp->nfull && !mp->done) {
			mp->cwait = 1;
			while (mp->nfull < MP_READY && !mp->done)
				pthread_cond_wait(&mp->cv, &mp->mu);
			mp->cwait = 0;
		}
		if (!mp->nfull) {
			pthread_mutex_unlock(&mp->mu);
			break;
		}
		b = mp->full[mp->head];
		mp->head = (mp->head + 1) % mp->cap;
		mp->nfull--;
		pthread_mutex_unlock(&mp->mu);
		rc = q_write(c, b, err);
		if (++nwritten % MP_WRITEBACK == 0)
			tolk_writeback(tm_db_path(c->db));
		pthread_mutex_lock(&mp->mu);
		mp->idle[mp->nidle++] = b;
		if (rc)
			mp->stop = 1;
		if (rc || (mp->pwait && mp->nidle >= mp->cap / 2))
			pthread_cond_broadcast(&mp->cv);
		pthread_mutex_unlock(&mp->mu);
		if (rc)
			break;
	}
	pthread_mutex_lock(&mp->mu);
	while (!mp->done)
		pthread_cond_wait(&mp->cv, &mp->mu);
	pthread_mutex_unlock(&mp->mu);
	if (!rc && mp->rc) {
		rc = mp->rc;
		if (err)
			*err = mp->err;
	}
	return rc;
}

/* merge_runs into an empty index, batching (q_start): the merge on a
 * thread of its own, this one writing; in line when no thread can be
 * had. */
static int merge_piped(struct tm_match_ctx *c, struct tolk_err *err)
{
	struct mpipe *mp = mp_new(c, MP_BUFS);
	int rc;

	if (!mp)
		return merge_runs(c, 1, err);
	if ((rc = merge_open(c, &mp->m, err)))
		goto done;
	if (pthread_create(&mp->thr, NULL, mp_main, c) != 0) {
		/* in line then, into the ctx's own batches (q_end writes
		 * the last) */
		c->mp = NULL;
		c->qblk = mp->own_blk;
		c->qdf = mp->own_df;
		c->qone = mp->own_one;
		rc = merge_loop(c, &mp->m, 1, err);
		goto done;
	}
	rc = mp_write(c, mp, err);
	pthread_join(mp->thr, NULL);
done:
	merge_close(c, &mp->m);
	mp_free(c, mp);
	return rc;
}

/* Takes the sorted units p[0..n) (one tok and len) out of their blocks:
 * each block read and written once, however many of its units go; adds
 * the number that were there to *removed. */
static int blk_drop(struct tm_match_ctx *c, const struct post *p, size_t n,
		    int64_t *removed, struct tolk_err *err)
{
	int64_t tok = p[0].tok, next = INT64_MAX, first;
	int len = p[0].len, rc;
	size_t i = 0, j, nold, a, k, w;

	while (i < n) {
		nold = 0;
		if ((rc = blk_pair(c, tok, len, p[i].unit, &nold, &next, err)))
			return rc;
		for (j = i; j < n && p[j].unit < next; j++)
			;
		/* none: the units before the first block are in no block */
		first = nold ? c->mrg[0] : 0;
		for (a = 0, k = i, w = 0; a < nold; a++) {
			while (k < j && p[k].unit < c->mrg[a])
				k++;
			if (k < j && p[k].unit == c->mrg[a])
				(*removed)++;
			else
				c->mrg[w++] = c->mrg[a];
		}
		/* a block is keyed by its first unit: a new first is a new
		 * row */
		if (w < nold && (w == 0 || c->mrg[0] != first) &&
		    (rc = blk_delete(c, tok, len, first, err)))
			return rc;
		if (w < nold && w &&
		    (rc = blk_write(c, tok, len, c->mrg, w, err)))
			return rc;
		i = j;
	}
	return 0;
}

/* Takes removed postings off tok's count, and the count's row when none
 * is left. */
static int df_sub(struct tm_match_ctx *c, int64_t tok, int64_t removed,
		  struct tolk_err *err)
{
	struct tm_db_stmt *st = stmt(c, S_DF_DEC, err);
	int64_t left = 1;
	int rc;

	if (!st)
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, tok);
	tm_db_bind_int64(st, 2, removed);
	if ((rc = tm_db_step(st, "match index", err)) == 1)
		left = tm_db_col_int64(st, 0);
	tm_db_reset(st);
	if (rc < 0)
		return rc;
	if (left > 0)
		return 0;
	if (!(st = stmt(c, S_DF_DROP, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, tok);
	return step_done(c, st, err);
}

/* Writes what is left of an inline key once removed units are out: no
 * row when none is, as a rebuild would leave it. */
static int kin_left(struct tm_match_ctx *c, int64_t removed,
		    struct tolk_err *err)
{
	struct tm_db_stmt *st;
	struct qblk q;

	q.tok = c->ktok;
	q.first = c->kn - removed;
	q.off = 0;
	q.n = c->nkin;
	if (c->kone)
		return q.first > 0 ? 0 : one_op(c, q.tok, 0, 0, 1, err);
	/* left with one unit: into its bucket, as a rebuild would put it */
	if (q.n && q.first == 1) {
		int len, rc;
		int64_t unit;

		if ((rc = kin_single(c, &len, &unit)) < 0)
			return corrupt(err);
		if (rc) {
			if ((rc = one_op(c, q.tok, len, unit, 0, err)))
				return rc;
			q.first = 0; /* its row goes */
		}
	}
	if (!(st = stmt(c, q.n && q.first > 0 ? S_TOK_PUT : S_TOK_DEL, err)))
		return err ? err->code : TOLK_EDB;
	if (q.n && q.first > 0)
		tok_bind(st, 0, &q, c->kin);
	else
		tm_db_bind_int64(st, 1, q.tok);
	return step_done(c, st, err);
}

/* Applies the buffered removals, sorted: one rewrite per block and one
 * count update per key rather than one of each per posting. */
static int flush_rem(struct tm_match_ctx *c, struct tolk_err *err)
{
	size_t i, g;
	int64_t removed = 0;
	int rc = 0, remote = strcmp(tm_db_backend(c->db), "sqlite") != 0;

	qsort(c->rem, c->nrem, sizeof(*c->rem), cmp_post);
	c->npre = c->ipre = 0;
	c->remote = remote;
	c->kon = 0;
	for (i = 0; i < c->nrem; i = g) {
		const struct post *p = &c->rem[i];

		if (remote && c->ipre == c->npre &&
		    (rc = blk_prefetch(c, p, c->nrem - i, err)))
			break;
		for (g = i + 1; g < c->nrem && c->rem[g].tok == p->tok &&
				c->rem[g].len == p->len;
		     g++)
			;
		if (!c->kon && (rc = key_begin(c, p->tok, 0, err)))
			break;
		if ((rc = c->kbig ? blk_drop(c, p, g - i, &removed, err)
				  : kin_update(c, p, g - i, 1, &removed, err)))
			break;
		if (g < c->nrem && c->rem[g].tok == p->tok)
			continue;
		c->kon = 0;
		if (removed && (rc = c->kbig ? df_sub(c, p->tok, removed, err)
					     : kin_left(c, removed, err)))
			break;
		removed = 0;
	}
	c->kon = 0;
	c->nrem = 0;
	c->npre = c->ipre = 0;
	/* before any add reads a bucket */
	if (!rc && c->nops)
		rc = one_apply(c, err);
	c->nops = 0;
	return rc;
}

/* Writes the buffered removals, then postings (and runs), to the
 * index. */
static int flush(struct tm_match_ctx *c, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	size_t i, g;
	int64_t added = 0;
	int rc = 0, rc2, remote, fresh;

	c->nsync = 0;
	if (c->mp && c->mp->early) {
		rc = premerge_flush(c, err);
		goto done;
	}
	if ((rc = drain(c, err)))
		return rc;
	if ((rc = flush_sim(c, err)))
		return rc;
	if (c->nrem && (rc = flush_rem(c, err)))
		goto done;
	if (c->npend == 0 && c->nruns == 0)
		goto done;
	if (!(st = tm_db_stmt(c->db, SQL_ANY_POSTING, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	fresh = tm_db_step(st, "match index", err);
	tm_db_reset(st);
	if (fresh < 0) {
		rc = fresh;
		goto done;
	}
	fresh = !fresh;
	remote = strcmp(tm_db_backend(c->db), "sqlite") != 0;
	c->remote = remote;
	c->kon = 0;
	if (fresh && !remote)
		q_start(c);
	if (c->nruns) {
		rc = fresh && c->batch ? merge_piped(c, err)
				       : merge_runs(c, fresh, err);
		goto done;
	}
	sort_posts(c);
	sort_release(c);
	/* the writes take postings with their units: grp holds them all
	 * (fewer than a spill's) */
	if (TOLK_GROW(c->grp, c->grpcap, c->npend, 1024)) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < c->npend; i++) {
		c->grp[i].tok = c->pend[i].tok;
		c->grp[i].len = c->pend[i].len;
		c->grp[i].unit = c->ubase + (int64_t)c->pend[i].u;
	}
	c->npre = c->ipre = 0;
	for (i = 0; i < c->npend; i = g) {
		const struct post *p = &c->grp[i];

		if (remote && !fresh && c->ipre == c->npre &&
		    (rc = blk_prefetch(c, p, c->npend - i, err)))
			goto done;

		for (g = i + 1; g < c->npend && c->grp[g].tok == p->tok &&
				c->grp[g].len == p->len;
		     g++)
			;
		if ((rc = write_group(c, p, g - i, fresh, &added, err)))
			goto done;
		if (g < c->npend && c->grp[g].tok == p->tok)
			continue;
		if ((rc = key_end(c, p->tok, added, err)))
			goto done;
		added = 0;
	}
	if (c->grpcap > GRP_MAX) {
		free(c->grp);
		c->grp = NULL;
		c->grpcap = 0;
	}
done:
	c->kon = 0;
	c->bulk_tx = 0;
	if (!rc && c->nops)
		rc = one_apply(c, err);
	c->nops = 0;
	if ((rc2 = q_end(c, rc == 0, err)) && !rc)
		rc = rc2;
	/* Written or not, they are gone: on failure the caller rolls the
	 * transaction back.  What the open levels had buffered is in their
	 * rows now, which their rollbacks undo. */
	c->npend = 0;
	c->nrem = 0;
	c->add_lo = INT64_MAX;
	c->npre = c->ipre = 0;
	runs_drop(c);
	for (i = 0; i < (size_t)c->nmarks; i++)
		c->marks[i].seq = c->marks[i].nrem = 0;
	return rc;
}

/* Posting keys and len of one variant's text, tokenised by tk into mt. */
/* The len of a tokenised text's postings. */
static int posting_len(const struct mt_text *mt)
{
	return (int)(mt_content(mt) << LEN_SHIFT) |
	       (int)(mt->nnums < NUM_MASK ? mt->nnums : NUM_MASK);
}

static int variant_keys(struct mt_tokenizer *tk, struct mt_text *mt,
			const char *lkey, const char *text, int64_t **keys,
			size_t *nkeys, int *len, struct tolk_err *err)
{
	int rc;

	if ((rc = mt_tokenize(tk, text, strlen(text), mt, err)))
		return rc;
	if (posting_keys(mt, lang_hash(lkey), NULL, keys, NULL, nkeys))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	*len = posting_len(mt);
	return 0;
}

/* Adds word key k to the words seen; 1 when it was there, -1 out of
 * memory.  Past SEEN_MAX words it starts afresh rather than grow without
 * bound (a word seen again is then written again, a conflict check). */
#define SEEN_MAX (1u << 21)

static int seen_put(struct tm_match_ctx *c, uint64_t k)
{
	size_t mask, i;

	if ((c->nseen + 1) * 2 > c->seencap) {
		uint64_t *old = c->seen, *n;
		size_t oc = c->seencap, cap = oc ? 2 * oc : 4096, j;

		if (oc >= 2 * SEEN_MAX) {
			seen_clear(c);
		} else {
			if (!(n = tolk_calloc_touched(cap, sizeof(*n))))
				return -1;
			c->seen = n;
			c->seencap = cap;
			c->nseen = 0;
			for (j = 0; j < oc; j++)
				if (old[j])
					seen_put(c, old[j]);
			free(old);
		}
	}
	mask = c->seencap - 1;
	for (i = (size_t)mix(k) & mask; c->seen[i]; i = (i + 1) & mask)
		if (c->seen[i] == k)
			return 1;
	c->seen[i] = k;
	c->nseen++;
	return 0;
}

/* Most words of a text are common ones, seen many times: a small table
 * of the words met last answers them from the processor's cache rather
 * than from the large one.  It holds only words the large one has.
 * RECENT words (256 KB): with 4,096 the large table's misses were a
 * twelfth of the indexing thread's time at 200,000 units (a vocabulary
 * of 30,000 words a language, Zipf weights), with 32,768 a thirtieth. */
static int seen_add(struct tm_match_ctx *c, uint64_t k)
{
	uint64_t *r;
	int rc;

	k |= 1; /* never the empty slot */
	if (!c->recent &&
	    !(c->recent = tolk_calloc_touched(RECENT, sizeof(*c->recent))))
		return seen_put(c, k);
	r = &c->recent[(k >> 1) & (RECENT - 1)];
	if (*r == k)
		return 1;
	if ((rc = seen_put(c, k)) >= 0)
		*r = k;
	return rc;
}

/* Buffers the vocabulary rows of the words of mt not yet seen; wk[i] is
 * word token i's word key (posting_keys').  Only those words need their
 * bytes and stem, which tk (a bulk tokenizer) may have left out. */
static int index_words(struct tm_match_ctx *c, struct mt_tokenizer *tk,
		       struct mt_text *mt, uint64_t lh, const int64_t *wk)
{
	size_t i, j, nk;
	int64_t k[3];
	int r;

	/* The table of recent words (256 KB) is out of the caches the
	 * tokenizer's memo shares: posting_keys asked for its line of each
	 * word of the text as it made the word's key, so that the misses
	 * overlap (one a word was three quarters of index_one's samples;
	 * asked for here, just before they were read, still two fifths).
	 * Here the large table's slot of each word not there, so that those
	 * misses overlap too. */
	if (c->recent && c->seen)
		for (i = 0; i < mt->n; i++) {
			uint64_t w = (uint64_t)wk[i] | 1;

			if (mt->t[i].kind == MT_WORD &&
			    c->recent[(w >> 1) & (RECENT - 1)] != w)
				__builtin_prefetch(
				    &c->seen[mix(w) & (c->seencap - 1)]);
		}
	for (i = 0; i < mt->n; i++) {
		struct mt_tok *t = &mt->t[i];

		if (t->kind != MT_WORD || !t->wlen)
			continue;
		if ((r = seen_add(c, (uint64_t)wk[i])) < 0)
			return -1;
		if (r)
			continue;
		if (mt_word_fill(tk, mt, t))
			return -1;
		nk = similar_keys(mt, t, lh, k);
		if (TOLK_GROW(c->sim, c->simcap, c->nsim + nk, 1024) ||
		    TOLK_GROW(c->wpool, c->wpoolcap, c->nwpool + t->wlen,
			      16384))
			return -1;
		for (j = 0; j < nk; j++) {
			c->sim[c->nsim].tok = k[j];
			c->sim[c->nsim].off = (uint32_t)c->nwpool;
			c->sim[c->nsim].len = t->wlen;
			c->nsim++;
		}
		memcpy(c->wpool + c->nwpool, mt->pool + t->woff, t->wlen);
		c->nwpool += t->wlen;
	}
	return 0;
}

/* Buffers the postings of one variant of unit id; its keys go through
 * *keys, a buffer of *keycap kept from text to text (keycap NULL: one
 * of its own, freed). */
static int index_one(struct tm_match_ctx *c, struct mt_tokenizer *tk,
		     struct mt_text *mt, int64_t id, const char *lkey,
		     const char *text, int64_t **keys, size_t *keycap,
		     struct tolk_err *err)
{
	uint64_t lh = lang_hash(lkey);
	int64_t *own = NULL, *k;
	size_t nk, i;
	int rc, len;

	if (!keycap)
		keys = &own;
	if ((rc = mt_tokenize(tk, text, strlen(text), mt, err)))
		return rc;
	if (posting_keys(mt, lh, c->recent, keys, keycap, &nk))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	k = *keys;
	len = posting_len(mt);
	/* u is 32 bits from ubase: a unit beyond that range (never in an
	 * import, whose units come in order) begins a buffer of its own */
	if (c->npend && (uint64_t)id - (uint64_t)c->ubase > UINT32_MAX &&
	    (rc = spill(c, err))) {
		free(own);
		return rc;
	}
	if (c->npend == 0) {
		c->ubase = id > INT64_MIN + INT32_MAX ? id - INT32_MAX : id;
		c->ulo = id;
	} else if (id < c->ulo)
		c->ulo = id;
	if (TOLK_GROW(c->pend, c->pendcap, c->npend + nk, 4096) ||
	    index_words(c, tk, mt, lh, k + 2 * mt->n + 2)) {
		free(own);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	for (i = 0; i < nk; i++) {
		c->pend[c->npend].tok = k[i];
		c->pend[c->npend].len = len;
		c->pend[c->npend].u =
		    (uint32_t)((uint64_t)id - (uint64_t)c->ubase);
		c->npend++;
	}
	free(own);
	c->last_unit = id;
	return c->npend >= c->spill_at ? spill(c, err) : 0;
}

/* ---- the indexing thread ----------------------------------------------
 * Tokenising is a third of an import's work and needs nothing of the
 * database: once a transaction has indexed WORKER_AFTER texts, a second
 * thread tokenises them, buffers their postings and spills the runs,
 * while this one parses and writes rows.  Texts go over in batches (a
 * copy of each); the thread owns the buffers (pend, runs, vocabulary,
 * words seen) while it works, and every other use of them first waits
 * for it to finish what it was given (drain).  Vocabulary rows and the
 * index are written here, never there: one connection, one thread.  The
 * postings come out as the same rows either way.
 *
 * The batches form a ring: with three threads on two cores, one of them
 * is always waiting for a core, for a few milliseconds at a time, and
 * the ring must ride over that.  Four batches (about a millisecond of
 * the row writer's work) did not: the writer slept for room while the
 * reader slept for it, the indexing thread running alone.  Nor did
 * sixteen over a spill (10-15 ms of the indexing thread's at 200,000
 * units, a dozen times): sixty-four batches are about 2 MB of gentmx
 * texts, 30-40 ms of the writer's work, and the writer goes on once a
 * quarter of them is free. */
#define BATCH_TEXTS 512
#define BATCH_BYTES (256u << 10)
#define BATCHES	    64
/* batches still queued when a writer waiting for room goes on */
#define RING_RESUME (BATCHES * 3 / 4)
#define WORK_WAKE   2 /* batches handed over before the worker is woken */
/* A cut's rows are written this many at each hand-over from the one a
 * ring after it: all 65,536 at once were 20-30 ms of the row writer
 * alone, the reader's queue and the ring running dry meanwhile. */
#define CUT_SLICE 4096

struct wjob {
	int64_t id;
	size_t off; /* of its language key and text in the batch's bytes */
};

struct batch {
	struct wjob *j;
	size_t nj, jcap;
	char *b;
	size_t nb, bcap;
};

struct worker {
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t work; /* for the worker: batches handed over, stop */
	pthread_cond_t room; /* for this thread: batches indexed */
	struct batch bt[BATCHES];
	size_t head; /* the oldest batch handed over */
	size_t nq;   /* batches handed over, not yet indexed */
	size_t fill; /* the batch this thread fills (head + nq) */
	int idle;    /* the worker waits for work */
	int waiting; /* this thread waits on room */
	size_t want; /* ... until nq is down to this */
	int stop;    /* it leaves when nothing is queued */
	/* Vocabulary rows past PENDING_MAX / 8 at the end of a batch are
	 * moved to csim and cpool, cut their batch's number, and this
	 * thread writes them, CUT_SLICE at each hand-over, from just before
	 * it hands over the batch a ring after, which it cannot do before
	 * the worker has moved them: at the same rows whatever the
	 * threads' timing, so that the file's pages come out the same from
	 * run to run, and without waiting for the ring to empty (a drain
	 * left the worker idle and the reader blocked while this thread
	 * wrote the rows alone).  The next cut comes a ring, the slices'
	 * hand-overs and a batch after the last, when these are all written
	 * for sure. */
	size_t nsub;  /* batches handed over */
	size_t ndone; /* batches indexed */
	size_t cut, last_cut;
	struct simrow *csim;
	size_t ncsim, csimcap;
	size_t cpos;   /* rows of the cut written (sorted once begun) */
	size_t slices; /* hand-overs the last cut's rows take */
	char *cpool;
	size_t ncpool, cpoolcap;
	int failed;   /* err holds the first failure */
	int premerge; /* merge once the ring is empty (premerge_run) */
	struct tolk_err err;
	struct mt_tokenizer *tk;
	struct mt_text mt;
	int64_t *keys; /* index_one's, kept from text to text */
	size_t keycap;
};

static void sim_cut(struct tm_match_ctx *c, struct worker *w);

/* The indexing thread's side of tm_match_index_premerge, once it has
 * indexed every batch: the rest spilled, the runs merged into the pipe
 * (not when the indexing failed or the merge was cancelled). */
static void premerge_run(struct tm_match_ctx *c, int failed)
{
	struct mpipe *mp = c->mp;
	int rc = failed ? TOLK_EINTERNAL : 0;

	pthread_mutex_lock(&mp->mu);
	mp->started = 1;
	if (mp->stop)
		rc = TOLK_EINTERNAL;
	pthread_cond_broadcast(&mp->cv);
	pthread_mutex_unlock(&mp->mu);
	if (!rc)
		rc = merge_open(c, &mp->m, &mp->err);
	mp_merge(c, rc);
}

static void *worker_main(void *p)
{
	struct tm_match_ctx *c = p;
	struct worker *w = c->w;

	pthread_setname_np(pthread_self(), "tolk-index");
	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct batch *b;
		size_t i;
		int failed;

		while (w->nq == 0 && !w->stop && !w->premerge) {
			w->idle = 1;
			pthread_cond_wait(&w->work, &w->mu);
		}
		w->idle = 0;
		if (w->nq == 0 && w->premerge) {
			w->premerge = 0;
			failed = w->failed;
			pthread_mutex_unlock(&w->mu);
			premerge_run(c, failed);
			pthread_mutex_lock(&w->mu);
			continue;
		}
		if (w->nq == 0)
			break;
		failed = w->failed;
		b = &w->bt[w->head];
		pthread_mutex_unlock(&w->mu);
		for (i = 0; i < b->nj && !failed; i++) {
			const char *lk = b->b + b->j[i].off;

			/* The batch's texts were written by the other core:
			 * the next one is asked for while this one is
			 * tokenised, not met a line at a time by strlen. */
			if (i + 1 < b->nj) {
				const char *nx = b->b + b->j[i + 1].off;
				const char *ne = i + 2 < b->nj
						     ? b->b + b->j[i + 2].off
						     : b->b + b->nb;
				const char *q;

				for (q = nx; q < ne && q < nx + 512; q += 64)
					__builtin_prefetch(q);
			}
			if (index_one(c, w->tk, &w->mt, b->j[i].id, lk,
				      lk + strlen(lk) + 1, &w->keys, &w->keycap,
				      &w->err))
				failed = 1;
		}
		b->nj = b->nb = 0;
		pthread_mutex_lock(&w->mu);
		w->failed = failed;
		w->ndone++;
		if (!failed && !w->cut && c->nsim >= PENDING_MAX / 8 &&
		    (!w->last_cut ||
		     w->ndone > w->last_cut + BATCHES + w->slices + 1))
			sim_cut(c, w);
		w->head = (w->head + 1) % BATCHES;
		w->nq--;
		/* one wake-up per stretch of batches, not per batch; a
		 * writer waiting for room also wants to know when the
		 * worker failed */
		if (w->waiting && (w->nq <= w->want || (w->want && w->failed)))
			pthread_cond_signal(&w->room);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int worker_start(struct tm_match_ctx *c, struct tolk_err *err)
{
	struct worker *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if ((rc = mt_tokenizer_new(&w->tk, err))) {
		free(w);
		return rc;
	}
	mt_tokenizer_set_bulk(w->tk); /* thousands of texts to come */
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->room, NULL);
	c->w = w;
	if (pthread_create(&w->thr, NULL, worker_main, c) != 0) {
		/* index here then */
		c->w = NULL;
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->room);
		mt_tokenizer_free(w->tk);
		free(w);
	}
	return 0;
}

/* Moves the worker's vocabulary rows to csim (the lock held). */
static void sim_cut(struct tm_match_ctx *c, struct worker *w)
{
	struct simrow *t = w->csim;
	char *p = w->cpool;
	size_t tc = w->csimcap, pc = w->cpoolcap;

	w->slices = (c->nsim + CUT_SLICE - 1) / CUT_SLICE;
	w->csim = c->sim;
	w->csimcap = c->simcap;
	w->ncsim = c->nsim;
	w->cpool = c->wpool;
	w->cpoolcap = c->wpoolcap;
	w->ncpool = c->nwpool;
	c->sim = t;
	c->simcap = tc;
	c->wpool = p;
	c->wpoolcap = pc;
	c->nsim = c->nwpool = 0;
	w->cut = w->last_cut = w->ndone;
}

/* Writes most rows of those the worker cut, if any, the first time
 * sorted; the worker does not touch them until the next cut, which waits
 * for cut to be 0, once all are written. */
static int cut_rows(struct tm_match_ctx *c, size_t most, struct tolk_err *err)
{
	struct worker *w = c->w;
	size_t n;
	int rc;

	if (!w || !w->cut)
		return 0;
	if (!w->cpos && w->ncsim)
		sim_sort(w->csim, w->ncsim, w->cpool);
	n = w->ncsim - w->cpos < most ? w->ncsim - w->cpos : most;
	rc = sim_rows(c, w->csim + w->cpos, n, w->cpool, err);
	w->cpos += n;
	if (!rc && w->cpos < w->ncsim)
		return 0;
	pthread_mutex_lock(&w->mu);
	w->cut = 0;
	w->ncsim = w->ncpool = w->cpos = 0;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

static int cut_write(struct tm_match_ctx *c, struct tolk_err *err)
{
	return cut_rows(c, SIZE_MAX, err);
}

/* Forgets the rows the worker cut (the worker idle): rolled back. */
static void cut_drop(struct tm_match_ctx *c)
{
	if (c->w)
		c->w->cut = c->w->ncsim = c->w->ncpool = c->w->cpos = 0;
}

/* Hands the batch being filled to the worker (the lock held); when the
 * ring is full, waits until a quarter of it is free again.  1 when the
 * worker failed (then drain), 2 when the rows it cut are due (cut). */
static int submit(struct worker *w)
{
	/* checked before the hand-over: the worker ends batch cut + BATCHES
	 * (and may cut again) only after it */
	int due = w->cut && w->cut + BATCHES <= w->nsub + 1;

	w->nq++;
	w->nsub++;
	w->fill = (w->fill + 1) % BATCHES;
	if (w->idle && w->nq >= WORK_WAKE)
		pthread_cond_signal(&w->work);
	while (w->nq == BATCHES && !w->failed) {
		w->waiting = 1;
		w->want = RING_RESUME;
		pthread_cond_wait(&w->room, &w->mu);
	}
	w->waiting = 0;
	return w->failed ? 1 : due ? 2 : 0;
}

/* Stops a merge tm_match_index_premerge started, and forgets what it
 * made: its runs stay, for the flush to merge. */
static void premerge_cancel(struct tm_match_ctx *c)
{
	struct mpipe *mp = c->mp;
	struct worker *w = c->w;
	int taken;

	if (!mp || !mp->early)
		return;
	pthread_mutex_lock(&w->mu);
	taken = !w->premerge;
	w->premerge = 0;
	pthread_mutex_unlock(&w->mu);
	if (taken) {
		pthread_mutex_lock(&mp->mu);
		mp->stop = 1;
		pthread_cond_broadcast(&mp->cv);
		while (!mp->done)
			pthread_cond_wait(&mp->cv, &mp->mu);
		pthread_mutex_unlock(&mp->mu);
	}
	merge_close(c, &mp->m);
	mp_free(c, mp);
	c->kon = 0;
	c->batch = 0;
	c->nob = 0;
}

void tm_match_index_premerge(struct tm_store *s)
{
	struct tm_db *db = tm_store_db(s);
	struct tm_match_ctx *c = tm_db_hooks_ctx(db, &index_hooks);
	struct tm_db_stmt *st;
	struct tolk_err err;
	struct worker *w;
	struct mpipe *mp;
	int any;

	/* only a large import into an empty index on SQLite merges in a
	 * thread (see flush), the texts handed over to the worker */
	if (!c || !(w = c->w) || c->mp || c->nrem || w->failed ||
	    strcmp(tm_db_backend(db), "sqlite") != 0 ||
	    !(st = tm_db_stmt(db, SQL_ANY_POSTING, &err)))
		return;
	any = tm_db_step(st, "match index", &err);
	tm_db_reset(st);
	if (any != 0)
		return;
	c->remote = 0;
	c->kon = 0;
	q_start(c);
	if (!c->batch)
		return;
	if (!(mp = mp_new(c, MP_EARLY))) {
		c->batch = 0;
		return;
	}
	mp->early = 1;
	pthread_mutex_lock(&w->mu);
	/* the batch being filled, as wait_idle hands it over */
	if (w->nq < BATCHES && w->bt[w->fill].nj) {
		w->nq++;
		w->nsub++;
		w->fill = (w->fill + 1) % BATCHES;
	}
	w->premerge = 1;
	if (w->idle)
		pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
}

/* flush after tm_match_index_premerge: the vocabulary, then the
 * batches the merge has made and makes. */
static int premerge_flush(struct tm_match_ctx *c, struct tolk_err *err)
{
	struct mpipe *mp = c->mp;
	struct worker *w = c->w;
	int rc, failed;

	/* taken once the worker has indexed every text */
	pthread_mutex_lock(&mp->mu);
	while (!mp->started)
		pthread_cond_wait(&mp->cv, &mp->mu);
	pthread_mutex_unlock(&mp->mu);
	pthread_mutex_lock(&w->mu);
	failed = w->failed;
	pthread_mutex_unlock(&w->mu);
	if (failed || (rc = flush_sim(c, err))) {
		premerge_cancel(c);
		return failed ? drain(c, err) : rc;
	}
	rc = mp_write(c, mp, err);
	merge_close(c, &mp->m);
	mp_free(c, mp);
	return rc;
}

/* Waits until the worker has indexed everything it was given: the
 * buffers are this thread's again. */
static void wait_idle(struct tm_match_ctx *c)
{
	struct worker *w = c->w;

	if (!w)
		return;
	premerge_cancel(c);
	pthread_mutex_lock(&w->mu);
	/* with the ring full, the batch at fill is the worker's */
	if (w->nq < BATCHES && w->bt[w->fill].nj) {
		w->nq++;
		w->nsub++;
		w->fill = (w->fill + 1) % BATCHES;
	}
	if (w->nq && w->idle)
		pthread_cond_signal(&w->work);
	while (w->nq) {
		w->waiting = 1;
		w->want = 0;
		pthread_cond_wait(&w->room, &w->mu);
	}
	w->waiting = 0;
	pthread_mutex_unlock(&w->mu);
}

/* The worker idle (wait_idle): its failure goes with the transaction. */
static void forget_failure(struct tm_match_ctx *c)
{
	if (c->w)
		c->w->failed = 0;
}

/* wait_idle, then the worker's failure, if any (once). */
static int drain(struct tm_match_ctx *c, struct tolk_err *err)
{
	struct worker *w = c->w;

	wait_idle(c);
	if (!w || !w->failed)
		return 0;
	w->failed = 0;
	if (err)
		*err = w->err;
	return w->err.code ? w->err.code : TOLK_EINTERNAL;
}

static void worker_stop(struct tm_match_ctx *c)
{
	struct worker *w = c->w;
	int i;

	if (!w)
		return;
	drain(c, NULL);
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thr, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->room);
	mt_tokenizer_free(w->tk);
	mt_text_release(&w->mt);
	free(w->keys);
	free(w->csim);
	free(w->cpool);
	for (i = 0; i < BATCHES; i++) {
		free(w->bt[i].j);
		free(w->bt[i].b);
	}
	free(w);
	c->w = NULL;
}

/* Buffers the postings of one variant of unit id: here, or queued for
 * the worker once the transaction has indexed enough to be worth it. */
static int index_text(struct tm_match_ctx *c, int64_t id, const char *lkey,
		      const char *text, struct tolk_err *err)
{
	struct worker *w;
	struct batch *b;
	size_t nl, nt;
	int rc, full, sim;

	if (!c->w && c->nsync < c->thread_after && !c->bulk_tx) {
		c->nsync++;
		if ((rc = index_one(c, c->tk, &c->mt, id, lkey, text, NULL,
				    NULL, err)))
			return rc;
		return c->nsim >= PENDING_MAX / 8 ? flush_sim(c, err) : 0;
	}
	if (!c->w && (rc = worker_start(c, err)))
		return rc;
	if (!(w = c->w)) {
		if ((rc = index_one(c, c->tk, &c->mt, id, lkey, text, NULL,
				    NULL, err)))
			return rc;
		return c->nsim >= PENDING_MAX / 8 ? flush_sim(c, err) : 0;
	}
	b = &w->bt[w->fill];
	nl = strlen(lkey) + 1;
	nt = strlen(text) + 1;
	if (TOLK_GROW(b->j, b->jcap, b->nj + 1, BATCH_TEXTS) ||
	    TOLK_GROW(b->b, b->bcap, b->nb + nl + nt, BATCH_BYTES))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	b->j[b->nj].id = id;
	b->j[b->nj].off = b->nb;
	b->nj++;
	memcpy(b->b + b->nb, lkey, nl);
	memcpy(b->b + b->nb + nl, text, nt);
	b->nb += nl + nt;
	full = b->nj >= BATCH_TEXTS || b->nb >= BATCH_BYTES;
	if (!full)
		return 0;
	pthread_mutex_lock(&w->mu);
	sim = submit(w);
	pthread_mutex_unlock(&w->mu);
	if (sim == 2)
		return cut_rows(c, CUT_SLICE, err);
	return sim ? drain(c, err) : 0;
}

int tm_match_index_tune(struct tm_store *s, size_t spill_at,
			size_t thread_after, struct tolk_err *err)
{
	struct tm_match_ctx *c;
	int rc;

	if ((rc = get_ctx(tm_store_db(s), CTX_REBUILD, &c, err)))
		return rc;
	c->spill_at = spill_at ? spill_at : PENDING_MAX;
	c->thread_after = thread_after ? thread_after : WORKER_AFTER;
	return 0;
}

void tm_match_index_bulk(struct tm_store *s)
{
	struct tm_match_ctx *c;

	/* as tuned for the tests, if they were */
	if (get_ctx(tm_store_db(s), CTX_REBUILD, &c, NULL) == 0 &&
	    c->thread_after == WORKER_AFTER)
		c->bulk_tx = 1;
}

int tm_match_index_one_limits(struct tm_store *s, size_t cap, size_t ops,
			      struct tolk_err *err)
{
	struct tm_match_ctx *c;
	int rc;

	if ((rc = get_ctx(tm_store_db(s), CTX_REBUILD, &c, err)))
		return rc;
	c->one_cap = cap && cap < ONE_CAP ? cap : ONE_CAP;
	c->one_ops = ops ? ops : ONE_OPS;
	return 0;
}

int tm_match_index_inline_max(struct tm_store *s, size_t bytes,
			      struct tolk_err *err)
{
	struct tm_match_ctx *c;
	int rc;

	if ((rc = get_ctx(tm_store_db(s), CTX_REBUILD, &c, err)))
		return rc;
	c->inline_max = bytes && bytes < INLINE_MAX ? bytes : INLINE_MAX;
	return 0;
}

/* Every language of a unit is indexed (its first variant in it): a lookup
 * may go from any of them to any other, as the exact lookup did. */
int tm_match_index_add(struct tm_db *db, int64_t unit_id,
		       const struct tm_unit *u, struct tolk_err *err)
{
	/* most units have two variants: a calloc and free per unit had
	 * cost the row writer as much as the language keys themselves */
	char stack[8][TOLK_LANG_MAX];
	char(*lks)[TOLK_LANG_MAX] = stack;
	struct tm_match_ctx *c;
	size_t i, k;
	int rc = 0;

	if ((rc = get_ctx(db, CTX_WRITE, &c, err)))
		return rc;
	if (unit_id < c->add_lo)
		c->add_lo = unit_id;
	if (u->nvariants > sizeof(stack) / sizeof(stack[0]) &&
	    !(lks = malloc(u->nvariants * sizeof(*lks))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < u->nvariants && rc == 0; i++) {
		/* a tag without a key is "" (tolk_lang_key writes only
		 * what it found) */
		lks[i][0] = '\0';
		if (tolk_lang_key(u->variants[i].lang, lks[i], sizeof(lks[i])))
			continue;
		for (k = 0; k < i; k++)
			if (strcmp(lks[k], lks[i]) == 0)
				break;
		if (k == i)
			rc = index_text(c, unit_id, lks[i], u->variants[i].text,
					err);
	}
	if (lks != stack)
		free(lks);
	return rc;
}

/* The unit's postings are those of its variants' texts, still stored
 * when this runs: computed again rather than kept (a quarter of the
 * index's size).  They are buffered (see struct tm_match_ctx's rem). */
int tm_match_index_remove(struct tm_db *db, int64_t unit_id,
			  struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct tm_match_ctx *c;
	struct tm_vars_it it;
	struct tm_var v;
	int rc;

	if ((rc = get_ctx(db, CTX_WRITE, &c, err)))
		return rc;
	/* added since the last flush: its postings may still wait */
	if (unit_id >= c->add_lo && (rc = flush(c, err)))
		return rc;
	if ((rc = tm_vars_get(&vu, db, unit_id, err)) <= 0 ||
	    (rc = tm_vars_init_id(&it, vu.blob, vu.len, vu.id, err)))
		goto done;
	while ((rc = tm_vars_next_first(&it, &v, err)) == 1) {
		int64_t *keys = NULL;
		size_t nkeys, i;
		int len = 0;

		if ((rc = variant_keys(c->tk, &c->mt, v.lkey, v.text, &keys,
				       &nkeys, &len, err)))
			goto done;
		if (TOLK_GROW(c->rem, c->remcap, c->nrem + nkeys, 4096)) {
			free(keys);
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		for (i = 0; i < nkeys; i++) {
			c->rem[c->nrem].tok = keys[i];
			c->rem[c->nrem].len = len;
			c->rem[c->nrem].unit = unit_id;
			c->nrem++;
		}
		free(keys);
	}
done:
	tm_vars_unit_done(&vu);
	tm_vars_unit_release(&vu);
	return rc < 0 ? rc : 0;
}

/* SQLite: reindex's postings of every unit, its first variant in each
 * language as index_add takes them. */
static int reindex_units(struct tm_match_ctx *c,
			 tm_reindex_progress_fn progress, void *pctx,
			 int64_t total, struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct tm_vars_it it;
	struct tm_var v;
	int64_t done = 0;
	int rc;

	if ((rc = tm_vars_scan_begin(&vu, c->db, err)))
		goto out;
	while ((rc = tm_vars_scan_next(&vu, err)) == 1) {
		if (progress && ++done % 4096 == 0)
			progress(pctx, done, total);
		if ((rc = tm_vars_init_id(&it, vu.blob, vu.len, vu.id, err)))
			goto out;
		while ((rc = tm_vars_next_first(&it, &v, err)) == 1)
			if ((rc = index_text(c, vu.id, v.lkey, v.text, err)))
				goto out;
		if (rc < 0)
			goto out;
	}
out:
	tm_vars_scan_end(&vu);
	tm_vars_unit_release(&vu);
	return rc < 0 ? rc : 0;
}

int tm_match_reindex(struct tm_store *s, tm_reindex_progress_fn progress,
		     void *pctx, struct tolk_err *err)
{
	/* a server's first variant of each language of each unit, as
	 * index_add takes them (SQLite: reindex_units) */
	static const char sql[] =
	    "SELECT unit_id, lang_key, text FROM lang_variant WHERE nth = 0 "
	    "ORDER BY unit_id, seq";
	struct tm_db *db = tm_store_db(s);
	struct tm_match_ctx *c;
	struct tm_db_stmt *st = NULL;
	int64_t total = 0, done = 0, last = -1;
	int rc, step;

	if ((rc = get_ctx(db, CTX_REBUILD, &c, err)))
		return rc;
	if ((rc = tm_db_begin(db, TM_DB_WRITE, err)))
		return rc;
	if ((rc = tm_db_exec(db,
			     "DELETE FROM match_blk; DELETE FROM match_tok; "
			     "DELETE FROM match_one; DELETE FROM match_sim;",
			     "rebuild match index", err)))
		goto fail;
	/* postings and removals buffered before are gone with their rows */
	c->npend = 0;
	c->nrem = 0;
	c->add_lo = INT64_MAX;
	runs_drop(c);
	c->nsim = c->nwpool = 0;
	cut_drop(c);
	seen_clear(c);
	if (progress) {
		if ((rc = tm_db_prepare(db, "SELECT count(*) FROM unit", &st,
					err)) ||
		    (rc = tm_db_step(st, "rebuild match index", err)) < 0)
			goto fail;
		total = tm_db_col_int64(st, 0);
		tm_db_stmt_free(st);
		st = NULL;
		progress(pctx, 0, total);
	}
	if (strcmp(tm_db_backend(db), "sqlite") == 0) {
		if ((rc = reindex_units(c, progress, pctx, total, err)))
			goto fail;
	} else {
		if ((rc = tm_db_prepare_rows(db, sql, &st, err)))
			goto fail;
		while ((step = tm_db_step(st, "rebuild match index", err)) ==
		       1) {
			int64_t id = tm_db_col_int64(st, 0);

			if (id != last) {
				last = id;
				if (progress && ++done % 4096 == 0)
					progress(pctx, done, total);
			}
			if ((rc = index_text(c, id, tm_db_col_text(st, 1),
					     tm_db_col_text(st, 2), err)))
				goto fail;
		}
		if ((rc = step) < 0)
			goto fail;
	}
	tm_db_stmt_free(st);
	st = NULL;
	if ((rc = record_format(db, err)))
		goto fail;
	if ((rc = tm_db_commit(db, err)))
		goto fail;
	c->format_ok = 1;
	if (progress)
		progress(pctx, total, total);
	return 0;
fail:
	tm_db_stmt_free(st);
	tm_db_rollback(db);
	return rc;
}

/* ---- the matcher ------------------------------------------------------- */

struct cand {
	int64_t id;
	int32_t cnt, len;
	int32_t need; /* the credit it needs to stay viable (need_of) */
	int32_t ub;   /* the best score it can reach */
	/* credit of the query word wj counted so far (the best of its keys
	 * the unit has: a word has several) */
	int32_t wj, wc;
};

struct hit {
	int64_t id;
	int score;
	int cover;     /* partial: content tokens covered */
	size_t qa, qb; /* partial: token range of the query */
	/* tie order, filled only for hits that tie: characters to edit
	 * from the query, newest change (TMX date), usage count */
	long dist;
	int64_t usage;
	char changed[24];
};

/* A posting read by a scan, gathered (gather_sort) rather than looked up
 * in a map of candidates as it comes: at a million units the common
 * words' postings made such a map megabytes large, and every posting
 * a cache miss in it.  Appended and radix-sorted, they cost a few
 * sequential passes instead. */
struct gpost {
	int64_t id;
	int32_t len;
	uint32_t f; /* what the word found (m->fd), NO_FOUND for nothing */
};
#define NO_FOUND UINT32_MAX

/* gather_sort's digits.  The first two digits' histograms are counted
 * while the postings are gathered (on_gather, pc_scan), the ids already
 * in registers, which spares the sort a read of all the postings per
 * digit; ids below 2^22 (4 million units) have no third digit. */
#define RADIX_BITS 11
#define RADIX_MASK ((1u << RADIX_BITS) - 1)
#define RADIX_KEPT 2

/* live's index by unit id (open addressing, a slot empty unless of this build):
 * a few bytes a slot, so that counting a word's postings against the live
 * candidates stays in cache. */
struct lix {
	uint32_t lo; /* the id's low bits: most misses end here */
	int32_t li;
	uint32_t gen; /* the slot is empty unless it is lixgen */
};

/* A bit per id (its low bits: ids are dense, the live ones spread) in
 * front of lix: 32 KB stay in the first-level cache, and most postings a
 * word's scan reads are of units that are not live, which then cost no
 * hash. */
#define LBITS (1u << 18)
/* The words of lbits a small live set sets, cleared one by one rather
 * than all 32 KB: live shrinks to a few units as the query's words are
 * counted, and is indexed again after each. */
#define LBSET_MAX 1024

#define NM_SLOTS 64

struct tm_matcher {
	struct tm_store *s;
	struct tm_match_ctx *c;
	struct mt_text q, x;
	struct mt_scratch sc;
	struct gpost *gp, *gtmp; /* gathered postings, the sort's buffer */
	size_t ngp, gpcap, gtmpcap;
	uint64_t gmax; /* the largest id gathered */
	/* the gathered ids' first digits, counted (zero when none) */
	uint32_t ghist[RADIX_KEPT][1u << RADIX_BITS];
	struct found *fd;
	size_t nfd, fdcap;
	struct lix *lix;
	size_t lixcap, lixalloc;
	uint32_t lixgen;	    /* lix_build's count: no slots to clear */
	uint64_t lbits[LBITS / 64]; /* live's ids hashed to one bit each */
	uint32_t lbset[LBSET_MAX];  /* the words of lbits set (nlbset) */
	size_t nlbset;		    /* LBSET_MAX + 1: too many to list */
	struct cand *live;
	size_t nlive, livecap;
	struct cand *ltmp; /* sort_ub's buffer */
	size_t ltmpcap;
	/* need_of of this count's threshold by posting length (need_memo):
	 * a query's candidates have a few dozen lengths at most */
	int32_t nm_len[NM_SLOTS], nm_need[NM_SLOTS];
	struct hit *hits;
	size_t nhits, hitcap;
	char lk_src[TOLK_LANG_MAX], lk_tgt[TOLK_LANG_MAX];
	uint64_t lh;
	size_t scored;
	int counted;	 /* live's cnt bound every query word's credit */
	int brief;	 /* TM_MATCH_BRIEF: fill leaves out the metadata */
	struct qkey *qk; /* keys of the query words */
	size_t nqk, qkcap;
	struct qword *qw; /* the query's words (qw_ok: of this lookup) */
	size_t nqw, qwcap;
	int qw_ok;
	/* a key's inline blocks (tok_inline): kp_key's, while kp_ok */
	unsigned char *kp;
	size_t nkp, kpcap;
	int64_t kp_key;
	int kp_ok;
	/* a server's pairs read in one go (prefetch), sorted by id */
	int remote;
	struct pair *cache;
	size_t ncache, cachecap;
	size_t nsorted; /* the cache's first, sorted: what fetch_pair finds */
	/* the texts fetch_pair lent (pair_lent: not from the cache) */
	struct tolk_buf pbuf;
	struct tm_vars_unit vu; /* fetch_pair's reader */
	int pair_lent;
	/* a server's vocabulary rows of one lookup (sim_prefetch) */
	struct vocab_row *simrow;
	size_t nsimrow, simcap;
	/* SQLite: each query word's keys, credits and counts, kept across
	 * lookups (query_keys) while the database stays as it was read:
	 * wc_stamp[] is PRAGMA data_version (commits by other connections)
	 * and total_changes() (this connection's writes), wc_use whether
	 * this lookup may use the cache */
	struct wcent *wc;
	size_t wccap, nwc;
	struct qkey *wck; /* the entries' keys */
	size_t nwck, wckcap;
	int64_t wc_stamp[2];
	int wc_use;
	int alone;    /* the lookup's read is the connection's only level */
	int snapshot; /* tm_matcher_snapshot: the caller's level only reads */
	/* posting lists kept across lookups (pc_fill), under the word
	 * cache's conditions: pc_use whether this lookup may use them */
	struct pent *pe;
	size_t pecap, npe, pc_ids;
	unsigned pc_gen; /* pc_clear's count: kept entries freed */
	struct msrc *ms; /* merge_prefix's lists */
	size_t nms, mscap;
	struct msrc **mact; /* those with postings of one length */
	size_t mactcap;
	uint64_t *mheap; /* their next units (merge_prefix) */
	size_t mheapcap;
	struct mcur *mcur; /* where merge_len stands in each of mact */
	size_t mcurcap;
	struct vkent *vk; /* words under vocabulary keys (similar_words) */
	struct dfent *df; /* keys' counts (df_of), DF_SLOTS */
	/* merge_prefix's later words: those after the prefix whose keys
	 * all have their lists kept, the keys' lists (pieces) in ml by
	 * word then credit, what each finds in lfd, the words in lw */
	struct msrc *ml;
	size_t nml, mlcap;
	struct found *lfd;
	size_t lfdcap;
	struct mword *lw;
	size_t nlw, lwcap;
	struct lcur *lact; /* ml's lists with postings of one length */
	size_t lactcap;
	int64_t lrest; /* the credit of the words from the first later one */
	int pc_use, pc_off;
	struct pseg *pc_tseg; /* what pc_read reads, before it is kept */
	size_t pc_ntseg, pc_tsegcap;
	uint32_t *pc_tids;
	size_t pc_ntids, pc_tidscap;
	/* tm_matcher_share: the pass's kept lists, read in place of pe
	 * while this connection's read stays at sh_stamp */
	struct tm_match_share *sh;
	int64_t sh_stamp[2];
};

/* A length's units in a kept list: ids[at .. at + n). */
struct pseg {
	int32_t len;
	uint32_t at, n;
};

/* A key's kept postings: those of lengths (content tokens) lo to hi,
 * by length then unit, as a scan reads them. */
struct pent {
	int64_t key;
	int lo, hi, used;
	struct pseg *seg;
	size_t nseg;
	uint32_t *ids;
	size_t nids;
	/* shared (tm_match_share): a key's lists are pieces of lengths
	 * lo to hi each, in order, read as the bands widened; the entry it
	 * replaced, which has fewer of them, in old */
	struct pent **part;
	size_t npart;
	struct pent *old;
};

struct vocab_row {
	int64_t tok;
	char *word;
};

/* A unit's pair; texts borrowed until the next fetch_pair (or, from the
 * cache, until the next lookup). */
struct pair {
	int64_t id;
	const char *src, *tgt, *slang, *tlang;
};

int tm_matcher_new(struct tm_matcher **out, struct tm_store *store,
		   struct tolk_err *err)
{
	struct tm_matcher *m = calloc(1, sizeof(*m));
	int rc;

	*out = NULL;
	if (!m)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	m->s = store;
	m->remote = strcmp(tm_db_backend(tm_store_db(store)), "sqlite") != 0;
	if ((rc = get_ctx(tm_store_db(store), CTX_READ, &m->c, err))) {
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void tm_matcher_snapshot(struct tm_matcher *m, int on)
{
	m->snapshot = on;
	if (!on)
		m->sh = NULL;
}

static void cache_clear(struct tm_matcher *m)
{
	size_t i;

	for (i = 0; i < m->ncache; i++)
		free((char *)m->cache[i].src);
	m->ncache = m->nsorted = 0;
}

static void sim_clear(struct tm_matcher *m)
{
	while (m->nsimrow)
		free(m->simrow[--m->nsimrow].word);
}

static void pc_clear(struct tm_matcher *m)
{
	size_t i;

	m->pc_gen++;
	for (i = 0; i < m->pecap; i++)
		if (m->pe[i].used) {
			free(m->pe[i].seg);
			free(m->pe[i].ids);
		}
	if (m->pe)
		memset(m->pe, 0, m->pecap * sizeof(*m->pe));
	m->npe = m->pc_ids = 0;
}

static void vk_clear(struct tm_matcher *m);

void tm_matcher_free(struct tm_matcher *m)
{
	if (!m)
		return;
	pc_clear(m);
	free(m->pe);
	free(m->pc_tseg);
	free(m->pc_tids);
	free(m->kp);
	sim_clear(m);
	free(m->simrow);
	free(m->wc);
	free(m->wck);
	tolk_buf_free(&m->pbuf);
	tm_vars_unit_release(&m->vu);
	cache_clear(m);
	free(m->cache);
	mt_text_release(&m->q);
	mt_text_release(&m->x);
	mt_scratch_release(&m->sc);
	free(m->gp);
	free(m->gtmp);
	free(m->fd);
	free(m->lix);
	free(m->live);
	free(m->ltmp);
	free(m->ms);
	free(m->mact);
	free(m->mheap);
	free(m->mcur);
	vk_clear(m);
	free(m->vk);
	free(m->df);
	free(m->ml);
	free(m->lfd);
	free(m->lw);
	free(m->lact);
	free(m->hits);
	free(m->qk);
	free(m->qw);
	free(m);
}

int tm_match_score(struct tm_matcher *m, const char *a, const char *b,
		   int *score, struct tolk_err *err)
{
	int rc;

	if ((rc = mt_tokenize(m->c->tk, a, strlen(a), &m->q, err)) ||
	    (rc = mt_tokenize(m->c->tk, b, strlen(b), &m->x, err)))
		return rc;
	*score = mt_score(&m->q, &m->x, &m->sc);
	if (*score < 0)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return 0;
}

static void release_match(struct tm_match *x)
{
	free(x->source);
	free(x->target);
	free(x->source_lang);
	free(x->target_lang);
	free(x->adapted);
	free(x->diff);
	while (x->nnotes)
		free(x->notes[--x->nnotes]);
	free(x->notes);
	free(x->created);
	free(x->changed);
	free(x->author);
	free(x->origin);
}

void tm_match_result_release(struct tm_match_result *res)
{
	size_t i;

	for (i = 0; i < res->nmatches; i++)
		release_match(&res->matches[i]);
	for (i = 0; i < res->npartial; i++)
		release_match(&res->partial[i]);
	free(res->matches);
	free(res->partial);
	memset(res, 0, sizeof(*res));
}

/* What query word j found in a unit: credit, counted once per word. */
struct found {
	int j, credit;
};

/* Zeroes ghist, by the digits of the postings counted in it when they
 * are fewer than its slots. */
static void ghist_clear(struct tm_matcher *m)
{
	size_t i;

	if (m->ngp >= (1u << RADIX_BITS) / 4) {
		memset(m->ghist, 0, sizeof(m->ghist));
		return;
	}
	for (i = 0; i < m->ngp; i++) {
		uint64_t id = (uint64_t)m->gp[i].id;

		m->ghist[0][id & RADIX_MASK] = 0;
		m->ghist[1][(id >> RADIX_BITS) & RADIX_MASK] = 0;
	}
}

static void gather_reset(struct tm_matcher *m)
{
	ghist_clear(m);
	m->ngp = 0;
	m->gmax = 0;
	m->nfd = 0;
}

/* Appends a block's n units (ascending) to the gathered postings. */
static int on_gather(struct tm_matcher *m, const int64_t *ids, size_t n,
		     int len, void *arg)
{
	uint32_t f =
	    arg ? (uint32_t)((const struct found *)arg - m->fd) : NO_FOUND;
	struct gpost *g;
	size_t i;

	if (n == 0)
		return 0;
	if (TOLK_GROW(m->gp, m->gpcap, m->ngp + n, 1024))
		return -1;
	g = m->gp + m->ngp;
	for (i = 0; i < n; i++) {
		g[i].id = ids[i];
		g[i].len = len;
		g[i].f = f;
		m->ghist[0][(uint64_t)ids[i] & RADIX_MASK]++;
		m->ghist[1][((uint64_t)ids[i] >> RADIX_BITS) & RADIX_MASK]++;
	}
	m->ngp += n;
	if ((uint64_t)ids[n - 1] > m->gmax)
		m->gmax = (uint64_t)ids[n - 1];
	return 0;
}

/* Sorts the gathered postings by unit, stably (LSD radix on the id):
 * a unit's postings stay in the order they were read. */
static int gather_sort(struct tm_matcher *m)
{
	size_t cnt[1u << RADIX_BITS], i, d, n = m->ngp, sum, cap;
	const uint64_t mask = RADIX_MASK;
	struct gpost *src, *dst;
	unsigned shift, k;

	if (n < 2)
		return 0;
	if (m->gtmpcap < n) {
		free(m->gtmp);
		if (!(m->gtmp = malloc(m->gpcap * sizeof(*m->gtmp)))) {
			m->gtmpcap = 0;
			return -1;
		}
		m->gtmpcap = m->gpcap;
	}
	src = m->gp;
	dst = m->gtmp;
	for (shift = 0, k = 0; shift < 64 && (m->gmax >> shift);
	     shift += RADIX_BITS, k++) {
		const uint32_t *h = k < RADIX_KEPT ? m->ghist[k] : NULL;
		size_t d0 = ((uint64_t)src[0].id >> shift) & mask;

		if (!h) {
			memset(cnt, 0, sizeof(cnt));
			for (i = 0; i < n; i++)
				cnt[((uint64_t)src[i].id >> shift) & mask]++;
		}
		if ((h ? h[d0] : cnt[d0]) == n)
			continue; /* one digit: already in order */
		for (sum = 0, d = 0; d <= mask; d++) {
			size_t c = h ? h[d] : cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[((uint64_t)src[i].id >> shift) & mask]++] =
			    src[i];
		dst = src;
		src = src == m->gp ? m->gtmp : m->gp;
	}
	if (src != m->gp) {
		m->gtmp = m->gp;
		m->gp = src;
		cap = m->gtmpcap;
		m->gtmpcap = m->gpcap;
		m->gpcap = cap;
	}
	return 0;
}

/* The gathered units, each once, into live (sorted by id). */
static int gather_units(struct tm_matcher *m)
{
	size_t i;

	m->nlive = 0;
	if (gather_sort(m))
		return -1;
	for (i = 0; i < m->ngp; i++) {
		if (m->nlive && m->live[m->nlive - 1].id == m->gp[i].id)
			continue;
		if (TOLK_GROW(m->live, m->livecap, m->nlive + 1, 256))
			return -1;
		memset(&m->live[m->nlive], 0, sizeof(*m->live));
		m->live[m->nlive].id = m->gp[i].id;
		m->live[m->nlive++].len = m->gp[i].len;
	}
	return 0;
}

/* Indexes live by id (lix_find). */
static int lix_build(struct tm_matcher *m)
{
	size_t cap = 64, i, h;

	while (cap < m->nlive * 2)
		cap *= 2;
	if (cap > m->lixalloc) {
		free(m->lix);
		m->lixalloc = 0;
		if (!(m->lix = calloc(cap, sizeof(*m->lix))))
			return -1;
		m->lixalloc = cap;
		m->lixgen = 0;
	}
	m->lixcap = cap;
	/* the slots of earlier builds are empty by their generation; all
	 * cleared only when it wraps */
	if (++m->lixgen == 0) {
		memset(m->lix, 0, m->lixalloc * sizeof(*m->lix));
		m->lixgen = 1;
	}
	if (m->nlbset > LBSET_MAX)
		memset(m->lbits, 0, sizeof(m->lbits));
	else
		for (i = 0; i < m->nlbset; i++)
			m->lbits[m->lbset[i]] = 0;
	m->nlbset = 0;
	for (i = 0; i < m->nlive; i++) {
		uint64_t x = mix((uint64_t)m->live[i].id),
			 b = (uint64_t)m->live[i].id % LBITS;
		uint32_t wd = (uint32_t)(b / 64);

		m->lbits[wd] |= 1ull << (b % 64);
		if (m->nlbset < LBSET_MAX)
			m->lbset[m->nlbset] = wd;
		if (m->nlbset <= LBSET_MAX)
			m->nlbset++;
		h = (size_t)x & (cap - 1);
		while (m->lix[h].gen == m->lixgen)
			h = (h + 1) & (cap - 1);
		m->lix[h].lo = (uint32_t)m->live[i].id;
		m->lix[h].li = (int32_t)i;
		m->lix[h].gen = m->lixgen;
	}
	return 0;
}

/* Whether id may be live (lbits): inlined where postings are counted,
 * since most of them are of units that are not, and a call for each
 * cost a third of the counting. */
static inline int lix_maybe(const struct tm_matcher *m, int64_t id)
{
	uint64_t b = (uint64_t)id % LBITS;

	return (m->lbits[b / 64] >> (b % 64)) & 1;
}

/* lix_find for an id that passed lix_maybe */
static struct cand *lix_find(struct tm_matcher *m, int64_t id)
{
	uint64_t x;
	size_t mask = m->lixcap - 1, h;

	x = mix((uint64_t)id);
	for (h = (size_t)x & mask; m->lix[h].gen == m->lixgen;
	     h = (h + 1) & mask)
		if (m->lix[h].lo == (uint32_t)id &&
		    m->live[m->lix[h].li].id == id)
			return &m->live[m->lix[h].li];
	return NULL;
}

static int add_hit(struct tm_matcher *m, const struct hit *h)
{
	if (TOLK_GROW(m->hits, m->hitcap, m->nhits + 1, 64))
		return -1;
	m->hits[m->nhits++] = *h;
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->cover != y->cover)
		return y->cover - x->cover;
	if (x->score != y->score)
		return y->score - x->score;
	return (x->id > y->id) - (x->id < y->id);
}

/* A query word's keys, best credit first: its own (MT_WHOLE), then the
 * word keys of the similar words the vocabulary has (MT_WHOLE less what
 * mt_word_cost charges for the pair). */
struct qkey {
	int64_t key, df;
	int credit;
};

struct qword {
	uint64_t loose;
	int64_t df; /* of all its keys: what a scan of them reads */
	int q;	    /* occurrences in the query */
	int occ;    /* the first of them it stands for (split_repeats) */
	int nk;
	size_t k0;	/* its keys: m->qk[k0 .. k0 + nk) */
	struct qkey *k; /* set once every word's keys are in */
};

static void credit(struct cand *c, const struct found *f)
{
	if (c->wj != f->j) {
		c->wj = f->j;
		c->wc = 0;
	}
	if (f->credit > c->wc) {
		c->cnt += f->credit - c->wc;
		c->wc = f->credit;
	}
}

static int cmp_qword(const void *a, const void *b)
{
	const struct qword *x = a, *y = b;

	if (x->df != y->df)
		return (x->df > y->df) - (x->df < y->df);
	if (x->loose != y->loose)
		return (x->loose > y->loose) - (x->loose < y->loose);
	return x->occ - y->occ;
}

/* A key's count as df_of read it (n + 1: 0 is an empty slot), kept
 * under the word cache's conditions (memo: for a lookup's query words,
 * after wcache_begin): the similar words' keys of a pass's query words
 * recur from word to word, as their vocabulary keys do
 * (similar_words). */
/* A key's count (n1 - 1; 0: not read) and where its blocks are (at:
 * AT_BLK in match_blk, AT_ROW in its row or none, 0 not known). */
struct dfent {
	int64_t key, n1;
	int at;
};
enum { AT_BLK = 1, AT_ROW };
#define DF_SLOTS (1u << 14)

static int64_t df_of(struct tm_matcher *m, int64_t key, int memo,
		     struct tolk_err *err)
{
	struct tm_db_stmt *st;
	struct dfent *e = NULL;
	int64_t n = 0;
	int rc, at = AT_ROW;

	if (memo && m->wc_use &&
	    (m->df || (m->df = calloc(DF_SLOTS, sizeof(*m->df)))))
		e = &m->df[mix((uint64_t)key) & (DF_SLOTS - 1)];
	if (e && e->n1 && e->key == key)
		return e->n1 - 1;
	if (!(st = stmt(m->c, S_DF_GET, err)))
		return -1;
	tm_db_bind_int64(st, 1, key);
	rc = tm_db_step(st, "match index", err);
	if (rc == 1) {
		n = tm_db_col_int64(st, 0);
		at = tm_db_col_int(st, 1) ? AT_BLK : AT_ROW;
	}
	tm_db_reset(st);
	if (rc == 0 && !m->remote) {
		int len;
		int64_t unit;

		/* no row: one unit in its bucket, or none */
		n = rc = one_find(m->c, key, &len, &unit, err);
	}
	if (rc < 0)
		return -1;
	n = n < 0 ? 0 : n; /* only ever an ordering hint */
	if (e)
		*e = (struct dfent){key, n + 1, at};
	return n;
}

/* df_of for all n words in one statement (a server). */
static int dfs_of(struct tm_matcher *m, struct qword *w, size_t n,
		  struct tolk_err *err)
{
	struct tolk_buf keys = TOLK_BUF_INIT;
	struct tm_db_stmt *st = NULL;
	size_t i;
	int rc, step, j;

	if (n == 0)
		return 0;
	tolk_buf_putc(&keys, '{');
	for (i = 0; i < n; i++)
		for (j = 0; j < w[i].nk; j++)
			tolk_buf_printf(&keys, "%s%lld", i || j ? "," : "",
					(long long)w[i].k[j].key);
	tolk_buf_putc(&keys, '}');
	if (!(st = tm_db_stmt(m->c->db, SQL_DFS_PG, err))) {
		tolk_buf_free(&keys);
		return err ? err->code : TOLK_EDB;
	}
	tm_db_bind_text(st, 1, tolk_buf_str(&keys), -1);
	while ((step = tm_db_step(st, "match index", err)) == 1) {
		int64_t key = tm_db_col_int64(st, 0),
			df = tm_db_col_int64(st, 1);

		for (i = 0; i < n; i++)
			for (j = 0; j < w[i].nk; j++)
				if (w[i].k[j].key == key)
					w[i].k[j].df = df < 0 ? 0 : df;
	}
	tm_db_reset(st);
	tolk_buf_free(&keys);
	for (i = 0; i < n; i++)
		for (w[i].df = 0, j = 0; j < w[i].nk; j++)
			w[i].df += w[i].k[j].df;
	rc = step < 0 ? step : 0;
	return rc;
}

/* What a scan does with each block of postings: its units, ascending,
 * and their posting length. */
typedef int (*scan_fn)(struct tm_matcher *m, const int64_t *ids, size_t n,
		       int len, void *arg);

static int on_count(struct tm_matcher *m, const int64_t *ids, size_t n, int len,
		    void *arg);

/* ---- posting lists kept across lookups ---------------------------------
 * A pre-translation's lookups read the same common words' postings again
 * and again, each time through SQLite a block of BLK_MAX at a time, and
 * decode them: kept decoded, by key and length, a scan is a loop over an
 * array and a probe a binary search.  A key's lengths are read as lookups
 * ask for them (the bands differ from query to query), and kept while
 * the database stays as it was read: under the word cache's conditions
 * (wcache_begin), and emptied with it.  At most PC_IDS units in all
 * (4 bytes each) and PC_KEYS keys: then they are all forgotten. */
#define PC_IDS	(1u << 23)
#define PC_KEYS (1u << 14)

static struct pent *pc_slot(struct tm_matcher *m, int64_t key)
{
	size_t mask = m->pecap - 1, h = (size_t)mix((uint64_t)key) & mask;

	while (m->pe[h].used && m->pe[h].key != key)
		h = (h + 1) & mask;
	return &m->pe[h];
}

/* A key's blocks inline in its row, on SQLite (a server's are all in
 * match_blk): 1 with them in m->kp[0..nkp) (none when the key has no
 * row), 0 when they are in match_blk, else an error. */
static int tok_inline(struct tm_matcher *m, int64_t key, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	struct dfent *e = NULL;
	const void *b;
	size_t bn;
	int rc;

	if (m->remote)
		return 0;
	/* while the database stays as read (wc_use), where a key's blocks
	 * are is kept with its count, and the last row read: a common
	 * key's probes and scans then read no more than they did before
	 * keys had rows */
	if (m->wc_use &&
	    (m->df || (m->df = calloc(DF_SLOTS, sizeof(*m->df))))) {
		e = &m->df[mix((uint64_t)key) & (DF_SLOTS - 1)];
		if (e->key == key && e->at == AT_BLK)
			return 0;
		if (m->kp_ok && m->kp_key == key)
			return 1;
	}
	m->nkp = 0;
	m->kp_ok = 0;
	if (!(st = stmt(m->c, S_TOK_GET, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, key);
	if ((rc = tm_db_step(st, "match index", err)) == 1 &&
	    tm_db_col_is_null(st, 1))
		rc = 0;
	else if (rc == 1 && (b = tm_db_col_blob(st, 1, &bn)) && bn) {
		if (TOLK_GROW(m->kp, m->kpcap, bn, 1024))
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		else {
			memcpy(m->kp, b, bn);
			m->nkp = bn;
		}
	} else if (rc == 0)
		rc = 2;
	tm_db_reset(st);
	if (rc == 2) {
		int len;
		int64_t unit;

		/* no row: one unit in its bucket, or none */
		if ((rc = one_find(m->c, key, &len, &unit, err)) == 1) {
			if (TOLK_GROW(m->kp, m->kpcap, 10 + REC_HEAD, 1024))
				rc = tolk_err_set(err, TOLK_ENOMEM,
						  "out of memory");
			else
				m->nkp = rec_encode(m->kp, len, &unit, 1);
		}
		if (rc >= 0)
			rc = 1;
	}
	if (e && rc >= 0) {
		if (e->key != key)
			*e = (struct dfent){key, 0, 0};
		e->at = rc ? AT_ROW : AT_BLK;
		m->kp_ok = rc == 1;
		m->kp_key = key;
	}
	return rc;
}

/* Calls fn for each inline block (m->kp) of lengths lo to hi (content
 * tokens): 0, else fn's answer or an error. */
static int rec_scan(struct tm_matcher *m, int lo, int hi, scan_fn fn, void *arg,
		    struct tolk_err *err)
{
	int64_t ids[BLK_MAX];
	size_t at, k, n;
	struct rec r;
	int rc;

	for (at = 0; at < m->nkp; at += k) {
		if (!(k = rec_next(m->kp + at, m->nkp - at, &r)))
			return corrupt(err);
		if (r.len < lo << LEN_SHIFT)
			continue;
		if (r.len > ((hi << LEN_SHIFT) | NUM_MASK))
			break;
		n = blk_decode(r.first, r.g, r.nb, ids, BLK_MAX);
		if ((rc = fn(m, ids, n, r.len, arg)))
			return rc;
	}
	return 0;
}

/* Calls fn for every block of key with lo to hi content tokens, from
 * its row when they are inline, else from match_blk: 0, fn's first
 * non-zero answer, or an error (negative). */
static int blk_scan(struct tm_matcher *m, int64_t key, int lo, int hi,
		    scan_fn fn, void *arg, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc;

	if ((rc = tok_inline(m, key, err)) < 0)
		return rc;
	if (rc == 1)
		return rec_scan(m, lo, hi, fn, arg, err);
	if (!(st = stmt(m->c, S_SCAN, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, key);
	tm_db_bind_int64(st, 2, lo << LEN_SHIFT);
	tm_db_bind_int64(st, 3, (hi << LEN_SHIFT) | NUM_MASK);
	while ((rc = tm_db_step(st, "match index", err)) == 1) {
		int64_t ids[BLK_MAX];
		size_t bn, n;
		const unsigned char *b = tm_db_col_blob(st, 2, &bn);

		n = blk_decode(tm_db_col_int64(st, 1), b, bn, ids, BLK_MAX);
		if ((rc = fn(m, ids, n, tm_db_col_int(st, 0), arg)))
			break;
	}
	tm_db_reset(st);
	return rc;
}

/* Whether unit id is in the inline blocks (m->kp) of len: *found. */
static int rec_find(struct tm_matcher *m, int len, int64_t id, int *found,
		    struct tolk_err *err)
{
	int64_t ids[BLK_MAX];
	size_t at, k, n, i;
	struct rec r;

	*found = 0;
	for (at = 0; at < m->nkp && !*found; at += k) {
		if (!(k = rec_next(m->kp + at, m->nkp - at, &r)))
			return corrupt(err);
		if (r.len > len || (r.len == len && r.first > id))
			break;
		if (r.len < len)
			continue;
		n = blk_decode(r.first, r.g, r.nb, ids, BLK_MAX);
		for (i = 0; i < n && ids[i] <= id; i++)
			if (ids[i] == id)
				*found = 1;
	}
	return 0;
}

/* A block of the postings read for keeping (pc_read), appended to
 * pc_tseg/pc_tids: 0, 1 out of memory, 2 an id over 32 bits. */
static int pc_take(struct tm_matcher *m, const int64_t *ids, size_t n, int len,
		   void *arg)
{
	struct pseg *g;
	size_t i;

	(void)arg;
	if (n == 0)
		return 0;
	if (ids[0] < 0 || (uint64_t)ids[n - 1] > UINT32_MAX)
		return 2;
	if (TOLK_GROW(m->pc_tids, m->pc_tidscap, m->pc_ntids + n, 1024) ||
	    TOLK_GROW(m->pc_tseg, m->pc_tsegcap, m->pc_ntseg + 1, 64))
		return 1;
	g = m->pc_ntseg ? &m->pc_tseg[m->pc_ntseg - 1] : NULL;
	if (!g || g->len != len) {
		g = &m->pc_tseg[m->pc_ntseg++];
		g->len = len;
		g->at = (uint32_t)m->pc_ntids;
		g->n = 0;
	}
	for (i = 0; i < n; i++)
		m->pc_tids[m->pc_ntids + i] = (uint32_t)ids[i];
	m->pc_ntids += n;
	g->n += (uint32_t)n;
	return 0;
}

/* Reads key's blocks of lengths lo to hi (content tokens) into
 * pc_tseg/pc_tids: 0, 1 when they cannot be kept (a unit id over 32
 * bits), else an error. */
static int pc_read(struct tm_matcher *m, int64_t key, int lo, int hi,
		   struct tolk_err *err)
{
	int rc;

	m->pc_ntseg = m->pc_ntids = 0;
	if (lo > hi)
		return 0;
	rc = blk_scan(m, key, lo, hi, pc_take, NULL, err);
	if (rc == 1)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return rc == 2 ? 1 : rc;
}

/* Appends the segments from[0..nfrom) (their ids in fids) to the lists
 * being built. */
static int pc_append(struct pseg **seg, size_t *nseg, uint32_t **ids,
		     size_t *nids, const struct pseg *from, size_t nfrom,
		     const uint32_t *fids)
{
	size_t i, total = 0;
	struct pseg *g;
	uint32_t *d;

	for (i = 0; i < nfrom; i++)
		total += from[i].n;
	if (!(g = realloc(*seg, (*nseg + nfrom + 1) * sizeof(*g))))
		return -1;
	*seg = g;
	if (!(d = realloc(*ids, (*nids + total + 1) * sizeof(*d))))
		return -1;
	*ids = d;
	for (i = 0; i < nfrom; i++) {
		g[*nseg + i] = from[i];
		g[*nseg + i].at = (uint32_t)*nids;
		memcpy(d + *nids, fids + from[i].at, from[i].n * sizeof(*d));
		*nids += from[i].n;
	}
	*nseg += nfrom;
	return 0;
}

/* The kept lists of key, extended to lengths lo to hi: *out NULL when
 * they cannot be kept (the caller scans the database itself). */
static int pc_fill(struct tm_matcher *m, int64_t key, int lo, int hi,
		   struct pent **out, struct tolk_err *err)
{
	struct pseg *seg = NULL;
	uint32_t *ids = NULL;
	size_t nseg = 0, nids = 0;
	struct pent *e;
	int rc, a, b;

	*out = NULL;
	if (!m->pe) {
		if (!(m->pe = calloc(2 * PC_KEYS, sizeof(*m->pe))))
			return 0; /* only slower */
		m->pecap = 2 * PC_KEYS;
	}
	e = pc_slot(m, key);
	if (e->used && e->lo <= lo && hi <= e->hi) {
		*out = e;
		return 0;
	}
	if (!e->used && m->npe >= PC_KEYS) {
		pc_clear(m);
		e = pc_slot(m, key);
	}
	a = e->used && e->lo < lo ? e->lo : lo;
	b = e->used && e->hi > hi ? e->hi : hi;
	/* the lengths below those kept, those kept, those above */
	if ((rc = pc_read(m, key, a, e->used ? e->lo - 1 : b, err)))
		goto fail;
	if (pc_append(&seg, &nseg, &ids, &nids, m->pc_tseg, m->pc_ntseg,
		      m->pc_tids) ||
	    (e->used &&
	     pc_append(&seg, &nseg, &ids, &nids, e->seg, e->nseg, e->ids)))
		goto nomem;
	if (e->used && e->hi < b) {
		if ((rc = pc_read(m, key, e->hi + 1, b, err)))
			goto fail;
		if (pc_append(&seg, &nseg, &ids, &nids, m->pc_tseg, m->pc_ntseg,
			      m->pc_tids))
			goto nomem;
	}
	if (m->pc_ids - (e->used ? e->nids : 0) + nids > PC_IDS) {
		/* too many: all forgotten, this key read again next time */
		free(seg);
		free(ids);
		pc_clear(m);
		return 0;
	}
	if (e->used) {
		m->pc_ids -= e->nids;
		free(e->seg);
		free(e->ids);
	} else {
		m->npe++;
	}
	e->used = 1;
	e->key = key;
	e->lo = a;
	e->hi = b;
	e->seg = seg;
	e->nseg = nseg;
	e->ids = ids;
	e->nids = nids;
	m->pc_ids += nids;
	*out = e;
	return 0;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
fail:
	free(seg);
	free(ids);
	if (rc == 1) {
		m->pc_off = 1; /* ids too large to keep: not again */
		return 0;
	}
	return rc;
}

static const char SQL_WC_STAMP[] =
    "SELECT data_version, total_changes() FROM pragma_data_version";

/* Kept lists shared by the matchers of one pass (tm_matcher_share):
 * published entries never change nor go until the pass ends (a wider
 * one replaces an entry, the old kept on its list), so a lookup reads
 * them without a lock; the lock is for filling. */
#define SH_SLOTS  (2 * PC_KEYS)
#define SH_WSLOTS (1u << 15)
struct wshent;
struct tm_match_share {
	pthread_mutex_t mu;
	_Atomic(struct pent *) slot[SH_SLOTS];
	size_t npe, ids; /* under mu: keys, and units of all pieces */
	/* the query words' keys (wcache_get), as their lists: entries
	 * never change once published */
	_Atomic(struct wshent *) wslot[SH_WSLOTS];
	size_t nw; /* under mu */
};

int tm_match_share_new(struct tm_match_share **out, struct tolk_err *err)
{
	struct tm_match_share *sh = calloc(1, sizeof(*sh));
	size_t i;

	*out = NULL;
	if (!sh)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	pthread_mutex_init(&sh->mu, NULL);
	for (i = 0; i < SH_SLOTS; i++)
		atomic_init(&sh->slot[i], NULL);
	for (i = 0; i < SH_WSLOTS; i++)
		atomic_init(&sh->wslot[i], NULL);
	*out = sh;
	return 0;
}

void tm_match_share_free(struct tm_match_share *sh)
{
	size_t i, k;

	if (!sh)
		return;
	for (i = 0; i < SH_SLOTS; i++) {
		struct pent *e = atomic_load(&sh->slot[i]), *o;

		/* the pieces are the last entry's; the older ones hold some */
		for (k = 0; e && k < e->npart; k++) {
			free(e->part[k]->seg);
			free(e->part[k]->ids);
			free(e->part[k]);
		}
		for (; e; e = o) {
			o = e->old;
			free(e->part);
			free(e);
		}
	}
	for (i = 0; i < SH_WSLOTS; i++)
		free(atomic_load(&sh->wslot[i]));
	pthread_mutex_destroy(&sh->mu);
	free(sh);
}

/* The state this lookup's read sees, as wcache_begin compares it. */
static int read_stamp(struct tm_matcher *m, int64_t now[2],
		      struct tolk_err *err)
{
	struct tm_db_stmt *st = tm_db_stmt(m->c->db, SQL_WC_STAMP, err);
	int rc;

	if (!st)
		return err ? err->code : TOLK_EDB;
	if ((rc = tm_db_step(st, "match index", err)) == 1) {
		now[0] = tm_db_col_int64(st, 0);
		now[1] = tm_db_col_int64(st, 1);
	}
	tm_db_reset(st);
	return rc == 1 ? 0 : rc < 0 ? rc : TOLK_EDB;
}

int tm_matcher_share(struct tm_matcher *m, struct tm_match_share *sh,
		     struct tolk_err *err)
{
	int rc;

	m->sh = NULL;
	if (!sh || m->remote || !m->snapshot)
		return 0;
	/* the read that fixes what this transaction sees */
	if ((rc = read_stamp(m, m->sh_stamp, err)))
		return rc;
	m->sh = sh;
	return 0;
}

/* Slot of key in sh: its entry, or the empty slot where it would go. */
static size_t sh_find(struct tm_match_share *sh, int64_t key, struct pent **e)
{
	size_t mask = SH_SLOTS - 1, h = (size_t)mix((uint64_t)key) & mask;

	while (
	    (*e = atomic_load_explicit(&sh->slot[h], memory_order_acquire)) &&
	    (*e)->key != key)
		h = (h + 1) & mask;
	return h;
}

/* A piece of key's lists: lengths lo to hi, read now. */
static int sh_piece(struct tm_matcher *m, int64_t key, int lo, int hi,
		    struct pent **out, struct tolk_err *err)
{
	struct pent *p;
	int rc;

	*out = NULL;
	if ((rc = pc_read(m, key, lo, hi, err)))
		return rc;
	if (!(p = calloc(1, sizeof(*p))) ||
	    pc_append(&p->seg, &p->nseg, &p->ids, &p->nids, m->pc_tseg,
		      m->pc_ntseg, m->pc_tids)) {
		if (p) {
			free(p->seg);
			free(p->ids);
			free(p);
		}
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	p->key = key;
	p->lo = lo;
	p->hi = hi;
	p->used = 1;
	*out = p;
	return 0;
}

static void sh_piece_free(struct pent *p)
{
	if (p) {
		free(p->seg);
		free(p->ids);
		free(p);
	}
}

/* pc_fill on the shared lists: one filler at a time, under sh->mu.  A
 * wider band reads only the lengths it adds, as pieces of their own (a
 * copy of the rest would have to stay until the end: others may be
 * reading it).  A full table keeps nothing more. */
static int sh_fill(struct tm_matcher *m, int64_t key, int lo, int hi,
		   struct pent **out, struct tolk_err *err)
{
	struct tm_match_share *sh = m->sh;
	struct pent *e, *n = NULL, *below = NULL, *above = NULL;
	size_t h, k, np, add = 0;
	int rc = 0;

	*out = NULL;
	sh_find(sh, key, &e);
	if (e && e->lo <= lo && hi <= e->hi) {
		*out = e;
		return 0;
	}
	pthread_mutex_lock(&sh->mu);
	h = sh_find(sh, key, &e);
	if (e && e->lo <= lo && hi <= e->hi) {
		*out = e;
		goto unlock;
	}
	if (!e && sh->npe >= PC_KEYS)
		goto unlock;
	if (!e) {
		rc = sh_piece(m, key, lo, hi, &below, err);
	} else {
		if (lo < e->lo)
			rc = sh_piece(m, key, lo, e->lo - 1, &below, err);
		if (!rc && hi > e->hi)
			rc = sh_piece(m, key, e->hi + 1, hi, &above, err);
	}
	if (rc)
		goto fail;
	add = (below ? below->nids : 0) + (above ? above->nids : 0);
	/* as many units as two matchers of their own would keep */
	if (sh->ids + add > 2 * PC_IDS)
		goto fail;
	np = (e ? e->npart : 0) + 2;
	if (!(n = calloc(1, sizeof(*n))) ||
	    !(n->part = malloc(np * sizeof(*n->part)))) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	if (below)
		n->part[n->npart++] = below;
	for (k = 0; e && k < e->npart; k++)
		n->part[n->npart++] = e->part[k];
	if (above)
		n->part[n->npart++] = above;
	n->key = key;
	n->lo = e && e->lo < lo ? e->lo : lo;
	n->hi = e && e->hi > hi ? e->hi : hi;
	n->used = 1;
	n->old = e;
	sh->npe += !e;
	sh->ids += add;
	atomic_store_explicit(&sh->slot[h], n, memory_order_release);
	*out = n;
	goto unlock;
fail:
	if (n)
		free(n->part);
	free(n);
	sh_piece_free(below);
	sh_piece_free(above);
	if (rc == 1) {
		m->pc_off = 1;
		rc = 0;
	}
unlock:
	pthread_mutex_unlock(&sh->mu);
	return rc;
}

/* The kept lists of key (shared or the matcher's own), NULL when none. */
static const struct pent *pc_get(struct tm_matcher *m, int64_t key)
{
	const struct pent *e;

	if (m->sh) {
		struct pent *x;

		sh_find(m->sh, key, &x);
		return x;
	}
	if (!m->pe)
		return NULL;
	e = pc_slot(m, key);
	return e->used ? e : NULL;
}

static struct cand *lix_find(struct tm_matcher *m, int64_t id);
static void credit(struct cand *c, const struct found *f);

/* scan() from the kept lists of e.  Gathering and counting, nearly all
 * the scans, read the lists in place. */
static int pc_scan(struct tm_matcher *m, const struct pent *e, int lo, int hi,
		   scan_fn fn, void *arg, struct tolk_err *err)
{
	int64_t ids[BLK_MAX];
	size_t g, i, k, n;
	uint32_t f =
	    arg ? (uint32_t)((const struct found *)arg - m->fd) : NO_FOUND;

	for (g = 0; fn == on_gather && g < e->nseg; g++) {
		const struct pseg *s = &e->seg[g];
		const uint32_t *p = e->ids + s->at;
		struct gpost *d;

		if ((s->len >> LEN_SHIFT) < lo || s->n == 0)
			continue;
		if ((s->len >> LEN_SHIFT) > hi)
			break;
		if (TOLK_GROW(m->gp, m->gpcap, m->ngp + s->n, 1024))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		d = m->gp + m->ngp;
		for (i = 0; i < s->n; i++) {
			d[i].id = p[i];
			d[i].len = s->len;
			d[i].f = f;
			m->ghist[0][p[i] & RADIX_MASK]++;
			m->ghist[1][(p[i] >> RADIX_BITS) & RADIX_MASK]++;
		}
		m->ngp += s->n;
		if (p[s->n - 1] > m->gmax)
			m->gmax = p[s->n - 1];
	}
	for (g = 0; fn == on_count && g < e->nseg; g++) {
		const struct pseg *s = &e->seg[g];
		const uint32_t *p = e->ids + s->at;
		struct cand *c;

		if ((s->len >> LEN_SHIFT) < lo)
			continue;
		if ((s->len >> LEN_SHIFT) > hi)
			break;
		for (i = 0; i < s->n; i++)
			if (lix_maybe(m, p[i]) && (c = lix_find(m, p[i])))
				credit(c, arg);
	}
	if (fn == on_gather || fn == on_count)
		return 0;
	for (g = 0; g < e->nseg; g++) {
		const struct pseg *s = &e->seg[g];
		const uint32_t *p = e->ids + s->at;

		if ((s->len >> LEN_SHIFT) < lo)
			continue;
		if ((s->len >> LEN_SHIFT) > hi)
			break;
		for (i = 0; i < s->n; i += n) {
			n = s->n - i < BLK_MAX ? s->n - i : BLK_MAX;
			for (k = 0; k < n; k++)
				ids[k] = p[i + k];
			if (fn(m, ids, n, s->len, arg))
				return tolk_err_set(err, TOLK_ENOMEM,
						    "out of memory");
		}
	}
	return 0;
}

/* Whether the kept lists of key hold unit id at posting length len: 1
 * or 0; -1 when they do not cover len. */
static int pc_has(struct tm_matcher *m, int64_t key, int len, int64_t id)
{
	const struct pent *e;
	size_t g, lo, hi, mid;

	if (!m->pc_use || !(e = pc_get(m, key)))
		return -1;
	for (g = 0; g < e->npart; g++)
		if ((len >> LEN_SHIFT) <= e->part[g]->hi) {
			e = e->part[g];
			break;
		}
	if ((len >> LEN_SHIFT) < e->lo || (len >> LEN_SHIFT) > e->hi)
		return -1;
	for (lo = 0, hi = e->nseg; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (e->seg[mid].len < len)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == e->nseg || e->seg[lo].len != len)
		return 0;
	g = lo;
	for (lo = 0, hi = e->seg[g].n; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if ((int64_t)e->ids[e->seg[g].at + mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->seg[g].n && (int64_t)e->ids[e->seg[g].at + lo] == id;
}

/* Whether every key of query word w has its lists kept for lengths lo
 * to hi: its probes are then binary searches. */
static int pc_covers(struct tm_matcher *m, const struct qword *w, int lo,
		     int hi)
{
	const struct pent *e;
	int kk;

	if (!m->pc_use || m->pc_off)
		return 0;
	if (hi > INT_MAX >> LEN_SHIFT)
		hi = INT_MAX >> LEN_SHIFT;
	for (kk = 0; kk < w->nk; kk++) {
		e = pc_get(m, w->k[kk].key);
		if (!e || e->lo > lo || e->hi < hi)
			return 0;
	}
	return 1;
}

/* Calls fn for every block of postings of key with lo to hi content
 * tokens. */
static int scan(struct tm_matcher *m, int64_t key, int lo, int hi, scan_fn fn,
		void *arg, struct tolk_err *err)
{
	struct pent *e;
	size_t k;
	int rc;

	if (hi > INT_MAX >> LEN_SHIFT)
		hi = INT_MAX >> LEN_SHIFT;
	if (m->pc_use && !m->pc_off) {
		if ((rc = m->sh ? sh_fill(m, key, lo, hi, &e, err)
				: pc_fill(m, key, lo, hi, &e, err)))
			return rc;
		if (e && !e->npart)
			return pc_scan(m, e, lo, hi, fn, arg, err);
		for (k = 0; e && k < e->npart; k++)
			if (e->part[k]->hi >= lo && e->part[k]->lo <= hi &&
			    (rc = pc_scan(m, e->part[k], lo, hi, fn, arg, err)))
				return rc;
		if (e)
			return 0;
	}
	if ((rc = blk_scan(m, key, lo, hi, fn, arg, err)) > 0)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return rc;
}

static int on_count(struct tm_matcher *m, const int64_t *ids, size_t n, int len,
		    void *arg)
{
	struct cand *c;
	size_t i;

	(void)len;
	for (i = 0; i < n; i++)
		if (lix_maybe(m, ids[i]) && (c = lix_find(m, ids[i])))
			credit(c, arg);
	return 0;
}

/* scan() of every key of query word w (index j), each with its credit
 * (a struct found in m->fd, for on_gather to refer to); a server's in
 * one statement. */
static int scan_word(struct tm_matcher *m, const struct qword *w, int j, int lo,
		     int hi, scan_fn fn, struct tolk_err *err)
{
	struct tolk_buf keys = TOLK_BUF_INIT;
	struct tm_db_stmt *st = NULL;
	size_t f0 = m->nfd;
	int rc = 0, kk;

	if (TOLK_GROW(m->fd, m->fdcap, m->nfd + (size_t)w->nk, 64))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (kk = 0; kk < w->nk; kk++) {
		m->fd[m->nfd].j = j;
		m->fd[m->nfd++].credit = w->k[kk].credit * w->q;
	}
	if (!m->remote) {
		for (kk = 0; kk < w->nk && rc == 0; kk++)
			rc = scan(m, w->k[kk].key, lo, hi, fn, &m->fd[f0 + kk],
				  err);
		return rc;
	}
	if (hi > INT_MAX >> LEN_SHIFT)
		hi = INT_MAX >> LEN_SHIFT;
	tolk_buf_putc(&keys, '{');
	for (kk = 0; kk < w->nk; kk++)
		tolk_buf_printf(&keys, "%s%lld", kk ? "," : "",
				(long long)w->k[kk].key);
	tolk_buf_putc(&keys, '}');
	if ((rc = tm_db_prepare(m->c->db, SQL_SCAN_PG, &st, err)))
		goto done;
	tm_db_bind_text(st, 1, tolk_buf_str(&keys), -1);
	tm_db_bind_int64(st, 2, lo << LEN_SHIFT);
	tm_db_bind_int64(st, 3, (hi << LEN_SHIFT) | NUM_MASK);
	while ((rc = tm_db_step(st, "match index", err)) == 1) {
		int64_t ids[BLK_MAX], tok = tm_db_col_int64(st, 3);
		size_t bn, n;
		const unsigned char *b = tm_db_col_blob(st, 2, &bn);
		int len = tm_db_col_int(st, 0);

		for (kk = 0; kk < w->nk; kk++)
			if (w->k[kk].key == tok)
				break;
		if (kk == w->nk)
			continue;
		n = blk_decode(tm_db_col_int64(st, 1), b, bn, ids, BLK_MAX);
		if (fn(m, ids, n, len, &m->fd[f0 + kk])) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
	}
done:
	tm_db_stmt_free(st);
	tolk_buf_free(&keys);
	return rc;
}

static int probe(struct tm_matcher *m, int64_t key, const struct cand *c,
		 int *found, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc = pc_has(m, key, c->len, c->id);

	if (rc >= 0) {
		*found = rc;
		return 0;
	}
	if ((rc = tok_inline(m, key, err)) < 0)
		return rc;
	if (rc == 1)
		return rec_find(m, c->len, c->id, found, err);
	if (!(st = stmt(m->c, S_BLK_AT, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, key);
	tm_db_bind_int64(st, 2, c->len);
	tm_db_bind_int64(st, 3, c->id);
	*found = 0;
	if ((rc = tm_db_step(st, "match index", err)) == 1) {
		int64_t ids[BLK_MAX];
		size_t bn, n, i;
		const unsigned char *b = tm_db_col_blob(st, 1, &bn);

		n = blk_decode(tm_db_col_int64(st, 0), b, bn, ids, BLK_MAX);
		for (i = 0; i < n && ids[i] <= c->id; i++)
			if (ids[i] == c->id)
				*found = 1;
	}
	tm_db_reset(st);
	return rc < 0 ? rc : 0;
}

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* A copy of p at the end of the cache (unsorted until cache_sort). */
static struct pair *cache_put(struct tm_matcher *m, const struct pair *p)
{
	const char *f[4] = {p->src, p->tgt, p->slang, p->tlang};
	size_t len[4], k, total = 0;
	struct pair *c;
	char *mem;

	if (TOLK_GROW(m->cache, m->cachecap, m->ncache + 1, 64))
		return NULL;
	for (k = 0; k < 4; k++) {
		len[k] = strlen(f[k] ? f[k] : "") + 1;
		total += len[k];
	}
	/* one block per pair, freed through src */
	if (!(mem = malloc(total)))
		return NULL;
	c = &m->cache[m->ncache++];
	c->id = p->id;
	for (k = 0; k < 4; k++) {
		memcpy(mem, f[k] ? f[k] : "", len[k]);
		*(k == 0   ? &c->src
		  : k == 1 ? &c->tgt
		  : k == 2 ? &c->slang
			   : &c->tlang) = mem;
		mem += len[k];
	}
	return c;
}

static void cache_sort(struct tm_matcher *m)
{
	if (m->ncache > m->nsorted)
		qsort(m->cache, m->ncache, sizeof(*m->cache), cmp_pair);
	m->nsorted = m->ncache;
}

/* Reads the pairs of the n candidates into the cache in one statement
 * (a server only; SQLite reads them one by one, in process). */
static int prefetch(struct tm_matcher *m, const struct cand *c, size_t n,
		    struct tolk_err *err)
{
	struct tolk_buf ids = TOLK_BUF_INIT;
	struct tm_db_stmt *st = NULL;
	size_t i;
	int rc = 0, step;

	if (!m->remote || n == 0)
		return 0;
	tolk_buf_putc(&ids, '{');
	for (i = 0; i < n; i++)
		tolk_buf_printf(&ids, "%s%lld", i ? "," : "",
				(long long)c[i].id);
	tolk_buf_putc(&ids, '}');
	if ((rc = tm_db_prepare(m->c->db, SQL_PAIRS_PG, &st, err)))
		goto done;
	tm_db_bind_text(st, 1, m->lk_src, -1);
	tm_db_bind_text(st, 2, m->lk_tgt, -1);
	tm_db_bind_text(st, 3, tolk_buf_str(&ids), -1);
	while ((step = tm_db_step(st, "read units", err)) == 1) {
		struct pair p = {tm_db_col_int64(st, 0), tm_db_col_text(st, 1),
				 tm_db_col_text(st, 2), tm_db_col_text(st, 3),
				 tm_db_col_text(st, 4)};

		if (!cache_put(m, &p))
			goto nomem;
	}
	if (step < 0)
		rc = step;
	cache_sort(m);
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	tm_db_stmt_free(st);
	tolk_buf_free(&ids);
	return rc;
}

/* The pair of unit id; 0 when the unit has no such pair.  The source is
 * the unit's first variant in the source language, the target its first
 * in the target language (its second when both are one language):
 * tm_vars_pair, lang_variant's nth.  A server's come from the cache
 * prefetch filled, else as SQLite's, one unit's variants at a time. */
static int fetch_pair(struct tm_matcher *m, int64_t id, struct pair *p,
		      struct tolk_err *err)
{
	struct pair key = {.id = id}, *hit;
	struct tm_vars_unit *vu = &m->vu;
	struct tm_var sv, tv;
	size_t off[4] = {0, 0, 0, 0};
	int rc, k;

	m->pair_lent = 0;
	if (m->nsorted && (hit = bsearch(&key, m->cache, m->nsorted,
					 sizeof(key), cmp_pair))) {
		*p = *hit;
		return 1;
	}
	if ((rc = tm_vars_get(vu, m->c->db, id, err)) <= 0 ||
	    (rc = tm_vars_pair(vu->blob, vu->len, vu->id, m->lk_src, m->lk_tgt,
			       &sv, &tv, err)) <= 0)
		goto done;
	/* copied: the unit's bytes go with the reader */
	tolk_buf_reset(&m->pbuf);
	for (k = 0; k < 4; k++) {
		const char *t = k == 0	 ? sv.text
				: k == 1 ? sv.lang
				: k == 2 ? tv.text
					 : tv.lang;

		off[k] = m->pbuf.len;
		if (tolk_buf_append(&m->pbuf, t, strlen(t) + 1)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
	}
	m->pair_lent = 1;
	p->id = id;
	p->src = m->pbuf.data + off[0];
	p->slang = m->pbuf.data + off[1];
	p->tgt = m->pbuf.data + off[2];
	p->tlang = m->pbuf.data + off[3];
	rc = 1;
done:
	tm_vars_unit_done(vu);
	return rc;
}

/* The word-level score a unit needs for a score of min when the longer
 * text has c content tokens: the characters may add mt_char_lift(c)
 * (tm/match_text.c, step 5). */
static int word_min(int min, size_t c)
{
	int lift = mt_char_lift(c);

	return min > lift ? min - lift : 0;
}

/* The least credit of query words (MT_WHOLE for an equal word, less for
 * a similar one) with which a unit of posting length len (content tokens
 * << LEN_SHIFT | numbers, capped) can reach score min; NEED_NONE when no
 * credit is enough.  From tm/match_text.c's formula: 100 * (credit +
 * MT_WHOLE * numbers) >= word_min(min) * MT_WHOLE * max(Cq, Cs), where a
 * word earns credit once, and never more words than either side has.
 * Computed once per candidate: the count filter then compares the
 * candidate's credit with it once per query word. */
#define NEED_NONE INT32_MAX
static int32_t need_of(int min, size_t cq, size_t nq, int len)
{
	int64_t cc = len >> LEN_SHIFT, nc = len & NUM_MASK;
	int64_t c = cc > (int64_t)cq ? cc : (int64_t)cq;
	int64_t nums = nc == NUM_MASK || (int64_t)nq < nc ? (int64_t)nq : nc;
	int64_t cap = MT_WHOLE * (int64_t)(cq - nq), r, t;

	if (cap > MT_WHOLE * (cc - nc))
		cap = MT_WHOLE * (cc - nc);
	r = (int64_t)word_min(min, (size_t)c) * MT_WHOLE * c -
	    100 * MT_WHOLE * nums;
	t = r <= 0 ? 0 : (r + 99) / 100;
	return t > cap ? NEED_NONE : (int32_t)t;
}

/* need_of(min, cq, nq, len) through m's memo (direct mapped by length,
 * emptied by each count): the candidates of a count are thousands, their
 * lengths a few dozen, and need_of's divisions were a twentieth of a
 * pre-translation's instructions. */
static int32_t need_memo(struct tm_matcher *m, int min, size_t cq, size_t nq,
			 int len)
{
	unsigned h = ((unsigned)len ^ ((unsigned)len >> LEN_SHIFT)) % NM_SLOTS;

	if (m->nm_len[h] != len) {
		m->nm_len[h] = len;
		m->nm_need[h] = need_of(min, cq, nq, len);
	}
	return m->nm_need[h];
}

/* Is candidate c viable with rest more credit than it has counted? */
static int cand_viable(const struct cand *c, int64_t rest)
{
	return (int64_t)c->cnt + rest >= c->need;
}

/* The best score a unit of posting length len can reach with at most
 * words of credit (need_of's formula solved for the score). */
static int bound(size_t cq, size_t nq, int len, int64_t words)
{
	int64_t cc = len >> LEN_SHIFT, nc = len & NUM_MASK;
	int64_t c = cc > (int64_t)cq ? cc : (int64_t)cq;
	int64_t nums = nc == NUM_MASK || (int64_t)nq < nc ? (int64_t)nq : nc;

	if (c == 0)
		return 100;
	if (words > MT_WHOLE * (int64_t)(cq - nq))
		words = MT_WHOLE * (int64_t)(cq - nq);
	if (words > MT_WHOLE * (cc - nc))
		words = MT_WHOLE * (cc - nc);
	words = 100 * (words + MT_WHOLE * nums) / (MT_WHOLE * c) +
		mt_char_lift((size_t)c);
	return words > 100 ? 100 : (int)words;
}

/* Orders live by bound, best first, and by id among equal bounds: live
 * is in id order (as gathered), so a stable counting sort on the bound
 * (0-100) gives that order in two passes.  A query of common words has
 * tens of thousands of candidates, which a comparison sort took longer
 * to order than the count filter to find. */
static int sort_ub(struct tm_matcher *m)
{
	size_t cnt[102] = {0}, i, sum;
	int u;

	if (m->nlive < 2)
		return 0;
	if (TOLK_GROW(m->ltmp, m->ltmpcap, m->nlive, 256))
		return -1;
	for (i = 0; i < m->nlive; i++)
		cnt[100 - m->live[i].ub]++;
	for (sum = 0, u = 0; u <= 100; u++) {
		size_t c = cnt[u];

		cnt[u] = sum;
		sum += c;
	}
	for (i = 0; i < m->nlive; i++)
		m->ltmp[cnt[100 - m->live[i].ub]++] = m->live[i];
	memcpy(m->live, m->ltmp, m->nlive * sizeof(*m->live));
	return 0;
}

static int cmp_qkey(const void *a, const void *b)
{
	const struct qkey *x = a, *y = b;

	return y->credit - x->credit;
}

/* Adds key with credit to query word w (the last whose keys are being
 * added), keeping the best credit of a key found twice. */
static int add_qkey(struct tm_matcher *m, struct qword *w, int64_t key,
		    int credit)
{
	size_t i;

	for (i = w->k0; i < m->nqk; i++) {
		if (m->qk[i].key == key) {
			if (credit > m->qk[i].credit)
				m->qk[i].credit = credit;
			return 0;
		}
	}
	if (TOLK_GROW(m->qk, m->qkcap, m->nqk + 1, 64))
		return -1;
	m->qk[m->nqk].key = key;
	m->qk[m->nqk].credit = credit;
	m->qk[m->nqk].df = 0;
	m->nqk++;
	w->nk++;
	return 0;
}

/* Vocabulary word w, if similar to query word t: its word key into qw
 * with what it earns.  Under a typo key (stem 0) only a typo is looked
 * for: a word that also shares the stem is under the stem key too, with
 * its better credit. */
static int similar_word(struct tm_matcher *m, const struct mt_tok *t,
			const char *word, int stem, struct qword *w,
			struct tolk_err *err)
{
	int r, cost;

	if ((r = mt_word_text(m->c->tk, word, strlen(word), stem, &m->x)) < 0)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (r > 0 || m->x.t[0].loose == t->loose)
		return 0;
	cost = mt_word_cost(&m->q, t, &m->x, &m->x.t[0]);
	if (cost < MT_WHOLE &&
	    add_qkey(m, w, key_word(m->lh, m->x.t[0].loose), MT_WHOLE - cost))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return 0;
}

static int cmp_vocab_row(const void *a, const void *b)
{
	const struct vocab_row *x = a, *y = b;

	return (x->tok > y->tok) - (x->tok < y->tok);
}

/* The vocabulary words under a vocabulary key, as S_SIM_GET reads them
 * (each NUL-terminated, one after the other, len bytes in all), kept
 * while the database stays as read (the word cache's conditions): a
 * pass's query words share their stem and typo keys (the bench
 * document at 1M: 35,600 keys read, 15,400 distinct). */
struct vkent {
	int64_t vk;
	int used;
	size_t len;
	char *words;
};
#define VK_SLOTS (1u << 14)

static void vk_clear(struct tm_matcher *m)
{
	size_t i;

	for (i = 0; m->vk && i < VK_SLOTS; i++) {
		free(m->vk[i].words);
		m->vk[i] = (struct vkent){0};
	}
}

/* The words under vocabulary key vk that are similar to query word t
 * (similar_word).  A server's come from the rows sim_prefetch read. */
static int similar_words(struct tm_matcher *m, const struct mt_tok *t,
			 int64_t vk, int stem, struct qword *w,
			 struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	struct vkent *e = NULL;
	struct tm_db_stmt *st;
	size_t lo, hi, mid;
	const char *p, *end;
	int rc;

	if (m->remote) {
		for (lo = 0, hi = m->nsimrow; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (m->simrow[mid].tok < vk)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < m->nsimrow && m->simrow[lo].tok == vk; lo++)
			if ((rc = similar_word(m, t, m->simrow[lo].word, stem,
					       w, err)))
				return rc;
		return 0;
	}
	if (m->wc_use && (m->vk || (m->vk = calloc(VK_SLOTS, sizeof(*m->vk)))))
		e = &m->vk[mix((uint64_t)vk) & (VK_SLOTS - 1)];
	if (e && e->used && e->vk == vk) {
		p = e->words;
		end = p ? p + e->len : p;
		goto words;
	}
	if (!(st = stmt(m->c, S_SIM_GET, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, vk);
	while ((rc = tm_db_step(st, "match index", err)) == 1)
		if (tolk_buf_append(&b, tm_db_col_text(st, 0),
				    strlen(tm_db_col_text(st, 0)) + 1)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
	tm_db_reset(st);
	if (rc < 0) {
		tolk_buf_free(&b);
		return rc;
	}
	p = b.data;
	end = p ? p + b.len : p;
	if (e) {
		free(e->words);
		*e = (struct vkent){vk, 1, b.len, b.data};
		b = (struct tolk_buf)TOLK_BUF_INIT;
	}
words:
	for (rc = 0; p < end && rc == 0; p += strlen(p) + 1)
		rc = similar_word(m, t, p, stem, w, err);
	tolk_buf_free(&b);
	return rc;
}

/* The vocabulary keys a word similar to query word t is under: the stem
 * key of t (stem[i] 1), or a typo key of some length a word one edit
 * away may have.  Returns how many, at most VOCAB_KEYS. */
#define VOCAB_KEYS 7
static size_t vocab_keys(const struct tm_matcher *m, const struct mt_tok *t,
			 int64_t *vk, int *stem)
{
	const char *s = m->q.pool + t->woff;
	size_t n = t->wlen, n2, p, nk = 0;

	if (!n)
		return 0;
	vk[nk] = key_stem(m->lh, t->stem);
	stem[nk++] = 1;
	for (n2 = n - 1; n >= MT_TYPO_MIN && n2 <= n + 1; n2++) {
		if (n2 < MT_TYPO_MIN)
			continue;
		p = n2 / 2;
		vk[nk] = key_half(m->lh, s, 0, p, n2, 0);
		stem[nk++] = 0;
		vk[nk] = key_half(m->lh, s, n - (n2 - p), n2 - p, n2, 1);
		stem[nk++] = 0;
	}
	return nk;
}

/* A server: the vocabulary rows under every query word's keys, in one
 * statement, sorted by key for similar_words. */
static int sim_prefetch(struct tm_matcher *m, struct tolk_err *err)
{
	struct tolk_buf keys = TOLK_BUF_INIT;
	struct tm_db_stmt *st = NULL;
	int64_t vk[VOCAB_KEYS];
	int stem[VOCAB_KEYS], rc = 0, step, any = 0;
	size_t i, k, nk;

	sim_clear(m);
	tolk_buf_putc(&keys, '{');
	for (i = 0; i < m->q.n; i++) {
		if (m->q.t[i].kind != MT_WORD)
			continue;
		nk = vocab_keys(m, &m->q.t[i], vk, stem);
		for (k = 0; k < nk; k++, any = 1)
			tolk_buf_printf(&keys, "%s%lld", any ? "," : "",
					(long long)vk[k]);
	}
	tolk_buf_putc(&keys, '}');
	if (!any)
		goto done;
	if ((rc = tm_db_prepare(m->c->db, SQL_SIM_PG, &st, err)))
		goto done;
	tm_db_bind_text(st, 1, tolk_buf_str(&keys), -1);
	while ((step = tm_db_step(st, "match index", err)) == 1) {
		const char *word = tm_db_col_text(st, 1);

		if (TOLK_GROW(m->simrow, m->simcap, m->nsimrow + 1, 64) ||
		    !(m->simrow[m->nsimrow].word = strdup(word ? word : ""))) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		m->simrow[m->nsimrow++].tok = tm_db_col_int64(st, 0);
	}
	if (step < 0)
		rc = step;
	if (m->nsimrow)
		qsort(m->simrow, m->nsimrow, sizeof(*m->simrow), cmp_vocab_row);
done:
	tm_db_stmt_free(st);
	tolk_buf_free(&keys);
	return rc;
}

/* ---- the query words' keys, kept across lookups ------------------------
 * A word's keys cost a lookup a read of its count per key and of the
 * vocabulary under each of its stem and typo keys, each vocabulary word
 * tokenised and measured: about a seventh of a common lookup at a million
 * units, and text repeats its words.  They depend on the word's loose form
 * (its stem, halves and similar words all derive from it), the source
 * language and the database's contents.  Used only when the lookup's own
 * read is the connection's only transaction (or the caller's only reads:
 * tm_matcher_snapshot): inside the caller's, its uncommitted writes may
 * be rolled back without a trace in total_changes().  A server reads them all
 * in one round trip anyway (dfs_of, sim_prefetch): not kept. */
struct wcent {
	uint64_t lh, loose;
	size_t k0; /* its keys: m->wck[k0 .. k0 + nk) */
	int nk, used;
	unsigned char wlen;
	char w[MT_WORD_MAX]; /* the loose form, against hash collisions */
};

#define WC_MAX (1u << 14) /* entries kept at most (then forgotten) */

static void wcache_clear(struct tm_matcher *m)
{
	if (m->wc)
		memset(m->wc, 0, m->wccap * sizeof(*m->wc));
	m->nwc = m->nwck = 0;
}

/* Whether this lookup may use the cache (m->wc_use), emptied first when
 * the database changed since it was filled. */
static int wcache_begin(struct tm_matcher *m, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int64_t now[2];
	int rc;

	m->wc_use = m->pc_use = 0;
	if (m->remote || !m->alone)
		return 0;
	if (!(st = tm_db_stmt(m->c->db, SQL_WC_STAMP, err)))
		return err ? err->code : TOLK_EDB;
	if ((rc = tm_db_step(st, "match index", err)) != 1) {
		tm_db_reset(st);
		return rc < 0 ? rc : 0;
	}
	now[0] = tm_db_col_int64(st, 0);
	now[1] = tm_db_col_int64(st, 1);
	tm_db_reset(st);
	/* the shared lists are of the read this matcher began with */
	if (m->sh && (now[0] != m->sh_stamp[0] || now[1] != m->sh_stamp[1]))
		m->sh = NULL;
	if (now[0] != m->wc_stamp[0] || now[1] != m->wc_stamp[1]) {
		wcache_clear(m);
		pc_clear(m);
		vk_clear(m);
		if (m->df)
			memset(m->df, 0, DF_SLOTS * sizeof(*m->df));
		m->kp_ok = 0;
		m->wc_stamp[0] = now[0];
		m->wc_stamp[1] = now[1];
	}
	m->wc_use = 1;
	m->pc_use = 1;
	return 0;
}

static int wcent_is(const struct tm_matcher *m, const struct wcent *e,
		    const struct mt_tok *t)
{
	return e->used && e->lh == m->lh && e->loose == t->loose &&
	       e->wlen == t->wlen &&
	       memcmp(e->w, m->q.pool + t->woff, t->wlen) == 0;
}

/* The entry of query word t, or the empty slot it would take. */
static struct wcent *wcache_slot(struct tm_matcher *m, const struct mt_tok *t)
{
	size_t mask = m->wccap - 1, h = (size_t)mix(t->loose ^ m->lh) & mask;

	while (m->wc[h].used && !wcent_is(m, &m->wc[h], t))
		h = (h + 1) & mask;
	return &m->wc[h];
}

/* A query word's keys in the shared cache. */
struct wshent {
	uint64_t lh, loose;
	int nk;
	unsigned char wlen;
	char w[MT_WORD_MAX];
	struct qkey k[];
};

/* Slot of query word t in sh: its entry, or the empty slot. */
static size_t wsh_find(const struct tm_matcher *m, const struct mt_tok *t,
		       struct wshent **e)
{
	size_t mask = SH_WSLOTS - 1, h = (size_t)mix(t->loose ^ m->lh) & mask;
	struct wshent *x;

	while ((x = atomic_load_explicit(&m->sh->wslot[h],
					 memory_order_acquire)) &&
	       !(x->lh == m->lh && x->loose == t->loose && x->wlen == t->wlen &&
		 memcmp(x->w, m->q.pool + t->woff, t->wlen) == 0))
		h = (h + 1) & mask;
	*e = x;
	return h;
}

/* Keeps w's keys for t in the shared cache: 0 when they are there,
 * -1 when it is full (the matcher's own keeps them then). */
static int wsh_put(struct tm_matcher *m, const struct mt_tok *t,
		   const struct qword *w)
{
	struct tm_match_share *sh = m->sh;
	struct wshent *e;
	size_t h;
	int rc = 0;

	pthread_mutex_lock(&sh->mu);
	h = wsh_find(m, t, &e);
	if (!e) {
		if (sh->nw >= SH_WSLOTS / 2 ||
		    !(e = malloc(sizeof(*e) +
				 (size_t)w->nk * sizeof(e->k[0])))) {
			rc = -1;
			goto unlock;
		}
		e->lh = m->lh;
		e->loose = t->loose;
		e->wlen = t->wlen;
		memcpy(e->w, m->q.pool + t->woff, t->wlen);
		e->nk = w->nk;
		memcpy(e->k, m->qk + w->k0, (size_t)w->nk * sizeof(e->k[0]));
		sh->nw++;
		atomic_store_explicit(&sh->wslot[h], e, memory_order_release);
	}
unlock:
	pthread_mutex_unlock(&sh->mu);
	return rc;
}

/* w's keys (m->qk from w->k0) kept for query word t; failing to keep
 * them only costs the next lookup a read. */
static void wcache_put(struct tm_matcher *m, const struct mt_tok *t,
		       const struct qword *w)
{
	struct wcent *e;

	if (m->sh && wsh_put(m, t, w) == 0)
		return;
	if (m->nwc >= WC_MAX / 2)
		wcache_clear(m);
	if (!m->wc) {
		if (!(m->wc = calloc(WC_MAX, sizeof(*m->wc))))
			return;
		m->wccap = WC_MAX;
	}
	if (TOLK_GROW(m->wck, m->wckcap, m->nwck + (size_t)w->nk, 256))
		return;
	e = wcache_slot(m, t);
	if (e->used)
		return;
	e->used = 1;
	e->lh = m->lh;
	e->loose = t->loose;
	e->wlen = t->wlen;
	memcpy(e->w, m->q.pool + t->woff, t->wlen);
	e->k0 = m->nwck;
	e->nk = w->nk;
	memcpy(m->wck + m->nwck, m->qk + w->k0,
	       (size_t)w->nk * sizeof(*m->wck));
	m->nwck += (size_t)w->nk;
	m->nwc++;
}

/* w's keys from the cache: 1 when they were there, -1 out of memory. */
static int wcache_get(struct tm_matcher *m, const struct mt_tok *t,
		      struct qword *w)
{
	struct wcent *e;
	struct wshent *x;
	int i;

	if (!m->wc_use || t->wlen > MT_WORD_MAX)
		return 0;
	if (m->sh && (wsh_find(m, t, &x), x)) {
		if (TOLK_GROW(m->qk, m->qkcap, m->nqk + (size_t)x->nk, 64))
			return -1;
		memcpy(m->qk + m->nqk, x->k, (size_t)x->nk * sizeof(*m->qk));
		m->nqk += (size_t)x->nk;
		w->nk = x->nk;
		for (i = 0; i < x->nk; i++)
			w->df += x->k[i].df;
		return 1;
	}
	if (!m->wc)
		return 0;
	e = wcache_slot(m, t);
	if (!e->used)
		return 0;
	if (TOLK_GROW(m->qk, m->qkcap, m->nqk + (size_t)e->nk, 64))
		return -1;
	memcpy(m->qk + m->nqk, m->wck + e->k0, (size_t)e->nk * sizeof(*m->qk));
	m->nqk += (size_t)e->nk;
	w->nk = e->nk;
	for (i = 0; i < e->nk; i++)
		w->df += m->qk[w->k0 + (size_t)i].df;
	return 1;
}

/* The keys of query word t into w (its own, then its similar words'),
 * with their counts (a server's: all in one statement, dfs_of). */
static int query_keys(struct tm_matcher *m, const struct mt_tok *t,
		      struct qword *w, struct tolk_err *err)
{
	int64_t vk[VOCAB_KEYS];
	int stem[VOCAB_KEYS], rc;
	size_t nk, i;

	w->nk = 0;
	w->df = 0;
	w->k0 = m->nqk;
	if ((rc = wcache_get(m, t, w)))
		return rc < 0 ? tolk_err_set(err, TOLK_ENOMEM, "out of memory")
			      : 0;
	if (add_qkey(m, w, key_word(m->lh, t->loose), MT_WHOLE))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	nk = vocab_keys(m, t, vk, stem);
	for (i = 0; i < nk; i++)
		if ((rc = similar_words(m, t, vk[i], stem[i], w, err)))
			return rc;
	qsort(m->qk + w->k0, (size_t)w->nk, sizeof(m->qk[0]), cmp_qkey);
	for (i = w->k0; !m->remote && i < w->k0 + (size_t)w->nk; i++) {
		if ((m->qk[i].df = df_of(m, m->qk[i].key, 1, err)) < 0)
			return err ? err->code : TOLK_EDB;
		w->df += m->qk[i].df;
	}
	if (m->wc_use && t->wlen <= MT_WORD_MAX)
		wcache_put(m, t, w);
	return 0;
}

/* Splits each query word the query has q > 1 times into one word per
 * occurrence (the last, REP_MAX, standing for those after it too): the
 * first keeps the word's keys, occurrence k has the repeat key of k in
 * place of the word's own, and its similar words' keys.  With its
 * occurrences' credits sorted best first, a unit's k-th is a whole word
 * only if the unit has the word k times, else at most what its best
 * similar word earns: so each split word's credit stays an upper bound,
 * and a unit that has a common word once is no longer credited with all
 * of the query's repeats.  w has room for a word per word token. */
static int split_repeats(struct tm_matcher *m, struct qword *w, size_t *nw,
			 struct tolk_err *err)
{
	size_t n0 = *nw, i, kk;
	int occ, q;

	for (i = 0; i < n0; i++) {
		int64_t own = key_word(m->lh, w[i].loose);

		if ((q = w[i].q) < 2)
			continue;
		w[i].q = 1;
		for (occ = 2; occ <= q && occ <= REP_MAX; occ++) {
			struct qword *o = &w[(*nw)++];
			int64_t rk = key_rep(m->lh, own, occ), df = 0;

			memset(o, 0, sizeof(*o));
			o->loose = w[i].loose;
			o->occ = occ;
			o->q = occ == REP_MAX ? q - REP_MAX + 1 : 1;
			o->k0 = m->nqk;
			if (!m->remote && (df = df_of(m, rk, 1, err)) < 0)
				return err ? err->code : TOLK_EDB;
			if (add_qkey(m, o, rk, MT_WHOLE))
				goto nomem;
			m->qk[o->k0].df = df;
			o->df = df;
			for (kk = w[i].k0; kk < w[i].k0 + (size_t)w[i].nk;
			     kk++) {
				struct qkey c = m->qk[kk];

				if (c.key == own)
					continue;
				if (add_qkey(m, o, c.key, c.credit))
					goto nomem;
				m->qk[m->nqk - 1].df = c.df;
				o->df += c.df;
			}
		}
	}
	return 0;
nomem:
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

/* The probes candidate c needs for query word w, rest being the credit
 * of the words after it: none when it is viable without w, else one per
 * key whose credit would keep it viable (best first: if it lacks those,
 * a lesser key cannot save it). */
static size_t probes_of(const struct cand *c, const struct qword *w,
			int64_t rest)
{
	int kk;

	if (cand_viable(c, rest))
		return 0;
	for (kk = 0; kk < w->nk &&
		     cand_viable(c, rest + (int64_t)w->k[kk].credit * w->q);
	     kk++)
		;
	return (size_t)kk;
}

/* A probe costs about as many instructions as decoding and counting
 * PROBE_COST postings of a scan (one statement against a few bytes),
 * counted as a key's count has them, all lengths: about 10,000
 * instructions a probe (callgrind), 40 a scanned posting, of which the
 * length band holds about half.  320 rather than 160: 1,000 word-dropped
 * segments at 1M units, 7.00 G instructions against 6.81 G. */
#ifndef PROBE_COST
#define PROBE_COST 320
#endif
/* The same when the word's posting lists are kept (pc_fill) for the
 * band: a probe is then two binary searches, about 200 instructions, a
 * scanned posting still about 6 counted as the key's count has them. */
#ifndef PROBE_COST_KEPT
#define PROBE_COST_KEPT 32
#endif

/* A kept list of a prefix key (or a piece of one), with what it finds,
 * and merge_prefix's place in it: segment g, posting at. */
struct msrc {
	const struct pent *e;
	const struct found *f;
	size_t g, at;
	int side;     /* merge_len: searched, not merged */
	uint64_t nid; /* a searched list's unit at at (UINT64_MAX: none) */
};

/* A merged list of merge_len, where the merge stands in it: the
 * list's units of the length in ids[0 .. n), the next at at, and what
 * the list finds (word j, credit), all in one place for the heap's
 * every posting. */
struct mcur {
	const uint32_t *ids;
	uint32_t n, at;
	int32_t j, credit;
};

/* A min-heap of n keys: h[i] moved up to its place. */
static void heap_up(uint64_t *h, size_t i)
{
	while (i > 0 && h[(i - 1) / 2] > h[i]) {
		uint64_t t = h[i];

		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

/* The same, h[0] moved down to its place, in a heap of n keys followed
 * by at least n + 1 of UINT64_MAX: every node has two children to
 * compare, so the smaller is picked without a branch on n (the merge's
 * heap of a dozen lists took a twentieth of a pre-translation's
 * instructions, most of them that compare). */
static inline void heap_down64(uint64_t *h, size_t n)
{
	size_t i = 0, c;
	uint64_t x = h[0];

	while ((c = 2 * i + 1) < n) {
		c += h[c + 1] < h[c];
		if (h[c] >= x)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

/* Where in ids[0 .. n), from at on, the first id >= id is: ids ascend,
 * and the ids asked for too (a gallop, then a binary search). */
static size_t gallop(const uint32_t *ids, size_t n, size_t at, uint64_t id)
{
	size_t step = 1, lo = at, hi;

	if (at >= n || ids[at] >= id)
		return at;
	while (at + step < n && ids[at + step] < id) {
		lo = at + step;
		step *= 2;
	}
	hi = at + step < n ? at + step : n;
	/* ids[lo] < id; ids[hi] >= id or hi == n */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ids[mid] < id)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* gallop() for the dense lists of common words, whose next unit is
 * most often a few places on: those places are stepped over first. */
static inline size_t seek(const uint32_t *ids, size_t n, size_t at, uint64_t id)
{
	size_t end = n - at > 4 ? at + 4 : n;

	while (at < end && ids[at] < id)
		at++;
	return at < end || at == n ? at : gallop(ids, n, at, id);
}

/* A later word of merge_prefix: its top credit (its own key's), its
 * lists in m->ml[m0 .. m0 + nm), those with postings of the length being
 * merged in m->lact[a0 .. a0 + na), the least of their next units in
 * next (a unit below it is in none of them). */
struct mword {
	int32_t top;
	uint32_t next;
	size_t m0, nm, a0, na;
};

/* A later word's list of one length, where its search stands: ids[at]
 * is nid, the first not below the last unit searched for (UINT32_MAX
 * past the end: the kept lists' ids are below it). */
struct lcur {
	const uint32_t *ids;
	uint32_t n, at, nid;
	int32_t credit;
};

/* Whether unit c, found by merge_prefix, stays viable once counted
 * against the later words, which adds the credit it has of them to
 * c->cnt: a word's keys are searched best credit first, while one could
 * still keep c viable, and the first found counts.  A word c could do
 * without is searched too, not credited as found as a probe would: the
 * exact credit bounds c's score closer, and fewer units are scored
 * (crediting them scored ten times as many).  The units of
 * a length come in id order, so each list is searched from where the
 * last search ended; most searches end at once, the list already past
 * the unit. */
static int later_keep(struct tm_matcher *m, struct cand *c)
{
	int64_t rest = m->lrest;
	size_t t, i;

	uint32_t id = (uint32_t)c->id, next;

	for (t = 0; t < m->nlw; t++) {
		struct mword *lw = &m->lw[t];
		struct lcur *x = m->lact + lw->a0;

		rest -= lw->top;
		if (id < lw->next) {
			if (!cand_viable(c, rest))
				return 0;
			continue;
		}
		for (i = 0; i < lw->na; i++, x++) {
			if (!cand_viable(c, rest + x->credit))
				break;
			if (x->nid < id) {
				x->at = (uint32_t)seek(x->ids, x->n, x->at, id);
				x->nid =
				    x->at < x->n ? x->ids[x->at] : UINT32_MAX;
			}
			if (x->nid == id) {
				c->cnt += x->credit;
				break;
			}
		}
		for (next = UINT32_MAX, x = m->lact + lw->a0, i = 0; i < lw->na;
		     i++, x++)
			if (x->nid < next)
				next = x->nid;
		lw->next = next;
		if (!cand_viable(c, rest))
			return 0;
	}
	return 1;
}

/* merge_prefix of one length len: the na lists in m->mact (scan order,
 * a word's keys together), units that need thr credit from them.  The
 * lists of the words with most postings whose credit together is below
 * thr are not merged (a unit found only in them cannot reach thr: the
 * "max-score" argument), only searched for the units the others name
 * that could still reach it. */
static int merge_len(struct tm_matcher *m, size_t na, int len, int32_t need,
		     int64_t thr)
{
	uint64_t *hk = m->mheap, sidemin = UINT64_MAX;
	struct msrc **side = m->mact + na; /* the lists not merged */
	size_t hn = 0, ns = 0, i, k;
	int64_t sidecr = 0;
	struct cand c;

	/* words by postings, most first, while their credit is short of
	 * thr: their lists go aside */
	for (;;) {
		int64_t bestn = -1, n, wc;
		int bj = -1;

		for (i = 0; i < na; i++) {
			const struct msrc *x = m->mact[i];

			if (x->side || (i && m->mact[i - 1]->f->j == x->f->j))
				continue;
			for (n = 0, k = i;
			     k < na && m->mact[k]->f->j == x->f->j; k++)
				n += m->mact[k]->e->seg[m->mact[k]->g].n;
			if (n > bestn) {
				bestn = n;
				bj = x->f->j;
			}
		}
		if (bj < 0)
			break;
		for (wc = 0, i = 0; i < na; i++)
			if (m->mact[i]->f->j == bj &&
			    m->mact[i]->f->credit > wc)
				wc = m->mact[i]->f->credit;
		if (sidecr + wc >= thr)
			break;
		sidecr += wc;
		for (i = 0; i < na; i++)
			if (m->mact[i]->f->j == bj)
				m->mact[i]->side = 1;
	}
	for (i = 0; i < na; i++) {
		struct msrc *x = m->mact[i];

		if (x->side) {
			x->nid = x->e->ids[x->e->seg[x->g].at];
			if (x->nid < sidemin)
				sidemin = x->nid;
			side[ns++] = x;
			continue;
		}
		m->mcur[i] =
		    (struct mcur){x->e->ids + x->e->seg[x->g].at,
				  x->e->seg[x->g].n, 0, x->f->j, x->f->credit};
		hk[hn++] = (uint64_t)m->mcur[i].ids[0] << 16 | i;
		heap_up(hk, hn - 1);
	}
	/* a list that ends leaves UINT64_MAX in its place, which sinks */
	for (i = hn; i <= 2 * hn; i++)
		hk[i] = UINT64_MAX;
	/* a heap of the merged lists' next units, by unit then list: a
	 * unit's postings come out in scan order */
	while (hk[0] != UINT64_MAX) {
		uint64_t id = hk[0] >> 16;
		int32_t cnt = 0, wj = -1, wc = 0;

		do {
			size_t a = (size_t)(hk[0] & 0xffff);
			struct mcur *x = &m->mcur[a];

			/* credit(): a word's keys are adjacent lists */
			if (x->j != wj) {
				wj = x->j;
				wc = 0;
			}
			if (x->credit > wc) {
				cnt += x->credit - wc;
				wc = x->credit;
			}
			hk[0] = ++x->at < x->n
				    ? (uint64_t)x->ids[x->at] << 16 | a
				    : UINT64_MAX;
			heap_down64(hk, hn);
		} while (hk[0] >> 16 == id);
		if ((int64_t)cnt + sidecr < thr)
			continue;
		c = (struct cand){(int64_t)id, cnt, len, need, 0, wj, wc};
		/* most lists searched are short, already past id: none of
		 * them has it when the least of their next units is past it */
		if (id >= sidemin) {
			sidemin = UINT64_MAX;
			for (i = 0; i < ns; i++) {
				struct msrc *x = side[i];

				if (x->nid < id) {
					const struct pseg *sg =
					    &x->e->seg[x->g];

					x->at = seek(x->e->ids + sg->at, sg->n,
						     x->at, id);
					x->nid = x->at < sg->n
						     ? x->e->ids[sg->at + x->at]
						     : UINT64_MAX;
				}
				if (x->nid == id)
					credit(&c, x->f);
				if (x->nid < sidemin)
					sidemin = x->nid;
			}
		}
		if ((int64_t)c.cnt < thr || (m->nlw && !later_keep(m, &c)))
			continue;
		if (TOLK_GROW(m->live, m->livecap, m->nlive + 1, 256))
			return -1;
		m->live[m->nlive++] = c;
	}
	for (i = 0; i < na; i++)
		m->mact[i]->side = 0;
	return 0;
}

/* The kept lists of key for lengths lo to hi, as scan() reads them, into
 * m->ms with what they find; 1 when they are not all kept. */
static int merge_add(struct tm_matcher *m, int64_t key, int lo, int hi,
		     const struct found *f, struct tolk_err *err)
{
	struct pent *e = NULL;
	size_t k;
	int rc;

	if ((rc = m->sh ? sh_fill(m, key, lo, hi, &e, err)
			: pc_fill(m, key, lo, hi, &e, err)))
		return rc;
	if (!e)
		return 1;
	for (k = 0; k < (e->npart ? e->npart : 1); k++) {
		const struct pent *x = e->npart ? e->part[k] : e;

		if (e->npart && (x->hi < lo || x->lo > hi))
			continue;
		if (TOLK_GROW(m->ms, m->mscap, m->nms + 1, 16))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		m->ms[m->nms++] = (struct msrc){x, f, 0, 0, 0, 0};
	}
	return 0;
}

/* merge_prefix's later words: from w[pend] on, while every key of the
 * word has its lists kept for lengths lo to hi (a count would scan or
 * probe them next, the common words of the query, kept by earlier
 * lookups), none past the prefix when one is not (the count goes on
 * from there).  rest is the credit of w[pend] on.  0, or -1 when out of
 * memory. */
static int later_words(struct tm_matcher *m, const struct qword *w, size_t pend,
		       size_t nw, int lo, int hi, int rest)
{
	size_t j, nk = 0, t, k;
	int kk;

	m->nml = m->nlw = 0;
	m->lrest = rest;
	for (j = pend; j < nw && pc_covers(m, &w[j], lo, hi); j++)
		nk += (size_t)w[j].nk;
	if (j == pend)
		return 0;
	/* lfd first, whole: the lists point into it */
	if (TOLK_GROW(m->lfd, m->lfdcap, nk, 16) ||
	    TOLK_GROW(m->lw, m->lwcap, j - pend, 16))
		return -1;
	for (t = 0, nk = 0; pend + t < j; t++) {
		const struct qword *x = &w[pend + t];
		struct mword *lw = &m->lw[t];

		lw->top = MT_WHOLE * x->q;
		lw->m0 = m->nml;
		for (kk = 0; kk < x->nk; kk++, nk++) {
			const struct pent *e = pc_get(m, x->k[kk].key);

			m->lfd[nk].j = (int)t;
			m->lfd[nk].credit = x->k[kk].credit * x->q;
			for (k = 0; k < (e->npart ? e->npart : 1); k++) {
				const struct pent *p =
				    e->npart ? e->part[k] : e;

				if (e->npart && (p->hi < lo || p->lo > hi))
					continue;
				if (TOLK_GROW(m->ml, m->mlcap, m->nml + 1, 16))
					return -1;
				m->ml[m->nml++] =
				    (struct msrc){p, &m->lfd[nk], 0, 0, 0, 0};
			}
		}
		lw->nm = m->nml - lw->m0;
	}
	m->nlw = j - pend;
	if (TOLK_GROW(m->lact, m->lactcap, m->nml + 1, 16))
		return -1;
	return 0;
}

/* The later words' lists with postings of length len, each from its
 * first: merge_prefix's lengths ascend, as the lists do. */
static void later_len(struct tm_matcher *m, int len)
{
	size_t t, i, na = 0;

	for (t = 0; t < m->nlw; t++) {
		struct mword *lw = &m->lw[t];

		lw->a0 = na;
		lw->next = UINT32_MAX;
		for (i = lw->m0; i < lw->m0 + lw->nm; i++) {
			struct msrc *x = &m->ml[i];
			const struct pseg *sg;

			while (x->g < x->e->nseg && x->e->seg[x->g].len < len)
				x->g++;
			if (x->g == x->e->nseg || x->e->seg[x->g].len != len ||
			    x->e->seg[x->g].n == 0)
				continue;
			sg = &x->e->seg[x->g];
			m->lact[na++] =
			    (struct lcur){x->e->ids + sg->at, sg->n, 0,
					  x->e->ids[sg->at], x->f->credit};
			if (x->e->ids[sg->at] < lw->next)
				lw->next = x->e->ids[sg->at];
		}
		lw->na = na - lw->a0;
	}
}

/* The prefix's units viable with rest more credit, into live, when all
 * the prefix's keys have their lists kept: 0, 1 when they have not (the
 * caller gathers them), else an error.  The kept lists are sorted by
 * length, then unit, and a unit has one length: length by length, the
 * lists are merged by unit, with no postings gathered or sorted, and a
 * length whose lists cannot give a unit the credit it lacks, or that
 * only one list has, costs no merge.  live comes out by length, then
 * unit, rather than by unit: nothing after depends on that order but
 * the order in which equal bounds are scored, which is not results. */
static int merge_prefix(struct tm_matcher *m, const struct tm_match_opts *o,
			const struct qword *w, size_t pend, size_t nw, int lo,
			int hi, int rest, struct tolk_err *err)
{
	const struct mt_text *q = &m->q;
	size_t cq = mt_content(q), nq = q->nnums, j, i, na, f0;
	unsigned gen = m->pc_gen;
	int kk, rc;

	m->nlw = 0;
	if (m->remote || !m->pc_use || m->pc_off)
		return 1;
	if (hi > INT_MAX >> LEN_SHIFT)
		hi = INT_MAX >> LEN_SHIFT;
	m->nms = 0;
	m->nfd = 0;
	for (j = 0, f0 = 0; j < pend; j++)
		f0 += (size_t)w[j].nk;
	/* fd first, whole: the sources point into it */
	if (TOLK_GROW(m->fd, m->fdcap, f0, 64))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (j = 0; j < pend; j++)
		for (kk = 0; kk < w[j].nk; kk++) {
			m->fd[m->nfd].j = (int)j;
			m->fd[m->nfd++].credit = w[j].k[kk].credit * w[j].q;
		}
	for (j = 0, f0 = 0; j < pend; j++) {
		for (kk = 0; kk < w[j].nk; kk++)
			if ((rc = merge_add(m, w[j].k[kk].key, lo, hi,
					    &m->fd[f0 + (size_t)kk], err)))
				return rc;
		f0 += (size_t)w[j].nk;
	}
	/* a fill may have forgotten every list, those of earlier keys too */
	if (m->pc_gen != gen)
		return 1;
	if (m->nms >= 0xffff)
		return 1; /* a heap key's list index has 16 bits */
	if (later_words(m, w, pend, nw, lo, hi, rest))
		goto nomem;
	if (TOLK_GROW(m->mact, m->mactcap, 2 * m->nms + 1, 16) ||
	    TOLK_GROW(m->mheap, m->mheapcap, 2 * m->nms + 2, 16) ||
	    TOLK_GROW(m->mcur, m->mcurcap, m->nms + 1, 16))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (;;) {
		int len = INT_MAX;
		int64_t most = 0;
		int32_t need, lastj = -1, best = 0;

		for (i = 0; i < m->nms; i++) {
			struct msrc *x = &m->ms[i];

			while (x->g < x->e->nseg &&
			       ((x->e->seg[x->g].len >> LEN_SHIFT) < lo ||
				x->e->seg[x->g].n == 0))
				x->g++;
			if (x->g < x->e->nseg &&
			    (x->e->seg[x->g].len >> LEN_SHIFT) <= hi &&
			    x->e->seg[x->g].len < len)
				len = x->e->seg[x->g].len;
		}
		if (len == INT_MAX)
			break;
		later_len(m, len);
		/* the lists of this length, in scan order; the most credit a
		 * unit can have from them (a word's best key) */
		for (na = 0, i = 0; i < m->nms; i++) {
			struct msrc *x = &m->ms[i];

			if (x->g >= x->e->nseg || x->e->seg[x->g].len != len)
				continue;
			x->at = 0;
			m->mact[na++] = x;
			if (x->f->j != lastj) {
				most += best;
				lastj = x->f->j;
				best = 0;
			}
			if (x->f->credit > best)
				best = x->f->credit;
		}
		most += best;
		need = need_memo(m, o->min_score, cq, nq, len);
		if (most + rest >= need && na == 1) {
			const struct msrc *x = m->mact[0];
			const struct pseg *sg = &x->e->seg[x->g];
			struct cand c = {0, x->f->credit, len,	       need,
					 0, x->f->j,	  x->f->credit};

			if (TOLK_GROW(m->live, m->livecap, m->nlive + sg->n,
				      256))
				goto nomem;
			for (i = 0; i < sg->n; i++) {
				m->live[m->nlive] = c;
				m->live[m->nlive].id = x->e->ids[sg->at + i];
				if (!m->nlw ||
				    later_keep(m, &m->live[m->nlive]))
					m->nlive++;
			}
		} else if (most + rest >= need) {
			if (merge_len(m, na, len, need, need - rest))
				goto nomem;
		}
		for (i = 0; i < na; i++)
			m->mact[i]->g++;
	}
	return 0;
nomem:
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

/* Units that can reach o->min_score, into m->live. */
static int candidates(struct tm_matcher *m, const struct tm_match_opts *o,
		      struct tolk_err *err)
{
	const struct mt_text *q = &m->q;
	size_t cq = mt_content(q), nq = q->nnums, nw = 0, i, j = 0, k;
	int lo, hi, need0, rest = 0, rc = 0, kk, wmin, r;
	struct qword *w = NULL;

	m->nlive = 0;
	m->counted = 0;
	gather_reset(m);
	for (i = 0; i < NM_SLOTS; i++)
		m->nm_len[i] = -1; /* lengths are never negative */
	/* a unit of cs <= cq tokens is allowed the lift of cq; a longer one
	 * its own, MT_CHAR_LIFT up to MT_CHAR_WORD / MT_CHAR_LIFT tokens and
	 * MT_CHAR_WORD / cs beyond: 100 * cq >= (min - MT_CHAR_LIFT) * cs,
	 * or 100 * cq + MT_CHAR_WORD >= min * cs */
	wmin = word_min(o->min_score, cq);
	lo = (int)((wmin * cq + 99) / 100);
	hi = word_min(o->min_score, 1) > 0
		 ? (int)(100 * cq / (size_t)word_min(o->min_score, 1))
		 : INT_MAX;
	if (hi > MT_CHAR_WORD / MT_CHAR_LIFT && o->min_score > 0) {
		int far =
		    (int)((100 * cq + MT_CHAR_WORD) / (size_t)o->min_score);

		hi = far > MT_CHAR_WORD / MT_CHAR_LIFT
			 ? far
			 : MT_CHAR_WORD / MT_CHAR_LIFT;
	}
	/* credit needed from the words, in tenths of a word */
	need0 = (int)((wmin * MT_WHOLE * cq + 99) / 100) - MT_WHOLE * (int)nq;
	if (need0 <= 0) {
		rest = INT_MAX / 2; /* words are not counted: keep them all */
		if ((rc =
			 scan(m, key_all(m->lh), lo, hi, on_gather, NULL, err)))
			goto done;
		goto collect;
	}
	/* the query's words, their keys and counts: read once per lookup,
	 * however many thresholds it tries (indexed_best) */
	if (m->qw_ok) {
		w = m->qw;
		nw = m->nqw;
		for (k = 0; k < nw; k++)
			rest += MT_WHOLE * w[k].q;
		goto prefix;
	}
	if (TOLK_GROW(m->qw, m->qwcap, q->n + 1, 16))
		goto nomem;
	w = m->qw;
	memset(w, 0, (q->n + 1) * sizeof(*w));
	m->nqk = 0;
	if (m->remote && (rc = sim_prefetch(m, err)))
		goto done;
	if ((rc = wcache_begin(m, err)))
		goto done;
	for (i = 0; i < q->n; i++) {
		if (q->t[i].kind != MT_WORD)
			continue;
		for (k = 0; k < nw; k++)
			if (w[k].loose == q->t[i].loose)
				break;
		if (k == nw) {
			w[nw].loose = q->t[i].loose;
			if ((rc = query_keys(m, &q->t[i], &w[nw], err)))
				goto done;
			nw++;
		}
		w[k].q++;
		rest += MT_WHOLE;
	}
	if ((rc = split_repeats(m, w, &nw, err)))
		goto done;
	for (k = 0; k < nw; k++)
		w[k].k = m->qk + w[k].k0;
	if (m->remote && (rc = dfs_of(m, w, nw, err)))
		goto done;
	qsort(w, nw, sizeof(*w), cmp_qword);
	m->nqw = nw;
	m->qw_ok = 1;
prefix:
	/* prefix: scan until the words left cannot reach need0 alone */
	for (k = 0, r = rest; k < nw && r >= need0; k++)
		r -= MT_WHOLE * w[k].q;
	if ((rc = merge_prefix(m, o, w, k, nw, lo, hi, r, err)) <= 0) {
		if (rc)
			goto done;
		/* the later words were counted as the merge found units */
		for (j = k, rest = r; j < k + m->nlw; j++)
			rest -= MT_WHOLE * w[j].q;
		goto counted;
	}
	m->nfd = 0;
	for (j = 0; j < nw && rest >= need0; j++) {
		rest -= MT_WHOLE * w[j].q;
		if ((rc = scan_word(m, &w[j], (int)j, lo, hi, on_gather, err)))
			goto done;
	}
collect:
	/* a unit's postings are adjacent once sorted, and a word's among
	 * them too (scanned one word after the other), as credit wants */
	if (gather_sort(m))
		goto nomem;
	for (i = 0; i < m->ngp; i = k) {
		const struct gpost *g = &m->gp[i];
		struct cand c;

		/* most units have one posting, most of which fail: no
		 * candidate is built for those */
		if (i + 1 == m->ngp || g[1].id != g->id) {
			int32_t cnt = g->f != NO_FOUND ? m->fd[g->f].credit : 0;

			k = i + 1;
			if ((int64_t)cnt + rest <
			    need_memo(m, o->min_score, cq, nq, g->len))
				continue;
		}
		c = (struct cand){g->id, 0, g->len, 0, 0, -1, 0};
		for (k = i; k < m->ngp && m->gp[k].id == c.id; k++)
			if (m->gp[k].f != NO_FOUND)
				credit(&c, &m->fd[m->gp[k].f]);
		c.need = need_memo(m, o->min_score, cq, nq, c.len);
		if (!cand_viable(&c, rest))
			continue;
		if (TOLK_GROW(m->live, m->livecap, m->nlive + 1, 256))
			goto nomem;
		m->live[m->nlive++] = c;
	}
	if (need0 <= 0)
		goto done;
counted:
	m->counted = 1;
	if (lix_build(m))
		goto nomem;
	for (; j < nw && m->nlive > 0; j++) {
		size_t keep = 0, nprobe = 0;
		int top = MT_WHOLE * w[j].q; /* its own key's credit */

		rest -= top;
		/* A candidate viable even without word j cannot be dropped
		 * for lacking it: it is not probed, and is credited the word
		 * as if found (cnt stays an upper bound).  The units that
		 * do match, and survive every word, then cost no probes. */
		for (i = 0; i < m->nlive; i++)
			nprobe += probes_of(&m->live[i], &w[j], rest);
		/* a probe reads a few pages, a scanned posting a few bytes */
		/* a server answers a word's scan in one round trip, the
		 * probes in one each */
		if (!m->remote && (int64_t)nprobe * (pc_covers(m, &w[j], lo, hi)
							 ? PROBE_COST_KEPT
							 : PROBE_COST) <
				      w[j].df) {
			for (i = 0; i < m->nlive; i++) {
				struct cand *c = &m->live[i];
				int found = 0;

				if (cand_viable(c, rest)) {
					c->cnt += top;
					continue;
				}
				/* best credit first: the first found counts;
				 * only the keys probes_of counted */
				for (kk = 0; kk < w[j].nk && !found; kk++) {
					int got = w[j].k[kk].credit * w[j].q;

					if (!cand_viable(c, rest + got))
						break;
					if ((rc = probe(m, w[j].k[kk].key, c,
							&found, err)))
						goto done;
					if (found)
						c->cnt += got;
				}
			}
		} else if ((rc = scan_word(m, &w[j], (int)j, lo, hi, on_count,
					   err))) {
			goto done;
		}
		for (i = 0; i < m->nlive; i++)
			if (cand_viable(&m->live[i], rest))
				m->live[keep++] = m->live[i];
		if (keep < m->nlive) {
			m->nlive = keep;
			if (lix_build(m))
				goto nomem;
		}
	}
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	return rc;
}

/* Scores the source in m->x; adds a hit when it reaches min. */
static int consider(struct tm_matcher *m, int64_t id, const char *src, int min,
		    struct tolk_err *err)
{
	struct hit h = {0};
	int rc;

	if ((rc = mt_tokenize(m->c->tk, src, strlen(src), &m->x, err)))
		return rc;
	m->scored++;
	h.id = id;
	h.score = mt_score(&m->q, &m->x, &m->sc);
	if (h.score < 0)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (h.score >= min && add_hit(m, &h))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return 0;
}

static int is_content(const struct mt_tok *t)
{
	return t->kind == MT_WORD || t->kind == MT_NUM ||
	       (t->kind == MT_TAG && t->ph);
}

/* Indexes of the content tokens (words, numbers, placeholders) of mt;
 * NULL when out of memory. */
static size_t *content_idx(const struct mt_text *mt, size_t *n)
{
	size_t *ci = malloc((mt->n + 1) * sizeof(*ci)), i;

	*n = 0;
	if (!ci)
		return NULL;
	for (i = 0; i < mt->n; i++)
		if (is_content(&mt->t[i]))
			ci[(*n)++] = i;
	return ci;
}

/* Same token: of one kind, words equal up to case (with loose, in their
 * loose form), numbers of any value (with loose, of the same value),
 * placeholders of any form (with loose, the same). */
static int tok_same(const struct mt_tok *a, const struct mt_tok *b, int loose)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == MT_WORD)
		return loose ? a->loose == b->loose : a->fold == b->fold;
	return !loose || a->fold == b->fold;
}

/* The first run of hay's content tokens that are, in a row, the content
 * tokens of nee (compared by tok_same): sets its token range in hay;
 * 1, else 0, -1 when out of memory. */
static int find_run(const struct mt_text *hay, const struct mt_text *nee,
		    int loose, size_t *first, size_t *last)
{
	size_t nh, nn, i, k, *hi = NULL, *ni = NULL;
	int found = 0;

	if (!(hi = content_idx(hay, &nh)) || !(ni = content_idx(nee, &nn))) {
		found = -1;
		goto done;
	}
	for (i = 0; i + nn <= nh && !found; i++) {
		for (k = 0; k < nn; k++)
			if (!tok_same(&hay->t[hi[i + k]], &nee->t[ni[k]],
				      loose))
				break;
		if (k == nn) {
			*first = hi[i];
			*last = hi[i + nn - 1];
			found = 1;
		}
	}
done:
	free(hi);
	free(ni);
	return found;
}

/* Does the query contain the unit in m->x: its content tokens, in a row,
 * same words up to case, any number for a number?  Sets the query's
 * token range; 0 when not, -1 when out of memory. */
static int contains(const struct tm_matcher *m, size_t *first, size_t *last)
{
	const struct mt_text *q = &m->q, *x = &m->x;
	size_t cq, cx;

	cq = mt_content(q);
	cx = mt_content(x);
	if (x->nwords < PARTIAL_MIN_TOKENS || cx < PARTIAL_MIN_TOKENS ||
	    cx >= cq || cx * 100 < PARTIAL_MIN_SHARE * cq)
		return 0;
	return find_run(q, x, 0, first, last);
}

/* A partial hit for the unit in m->x, when the query contains it. */
static int consider_partial(struct tm_matcher *m, int64_t id, const char *src,
			    struct tolk_err *err)
{
	struct mt_text span;
	struct hit h = {0};
	size_t first = 0, last = 0, xa, xb;
	int rc;

	if ((rc = mt_tokenize(m->c->tk, src, strlen(src), &m->x, err)))
		return rc;
	m->scored++;
	if ((rc = contains(m, &first, &last)) <= 0)
		return rc ? tolk_err_set(err, TOLK_ENOMEM, "out of memory") : 0;
	/* The unit's marks and tags around its words, where the query has
	 * them too, are part of what it covers: a unit found verbatim in
	 * the query scores 100. */
	for (xa = 0; xa < m->x.n && !is_content(&m->x.t[xa]); xa++)
		;
	for (xb = m->x.n; xb > 0 && !is_content(&m->x.t[xb - 1]); xb--)
		;
	while (xa > 0 && first > 0 &&
	       m->q.t[first - 1].kind == m->x.t[xa - 1].kind &&
	       m->q.t[first - 1].exact == m->x.t[xa - 1].exact) {
		first--;
		xa--;
	}
	while (xb < m->x.n && last + 1 < m->q.n &&
	       m->q.t[last + 1].kind == m->x.t[xb].kind &&
	       m->q.t[last + 1].exact == m->x.t[xb].exact) {
		last++;
		xb++;
	}
	span = m->q;
	span.t = m->q.t + first;
	span.n = last - first + 1;
	mt_recount(&span);
	h.id = id;
	h.cover = (int)mt_content(&m->x);
	h.qa = first;
	h.qb = last;
	h.score = mt_score(&span, &m->x, &m->sc);
	if (h.score < 0 || add_hit(m, &h))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return 0;
}

/* Every unit's pair, in id order (see fetch_pair): a statement of its
 * own, so that its user may read units meanwhile. */
struct pair_scan {
	struct tm_db_stmt *st; /* a server's */
	struct tm_vars_unit vu;
};

static int pair_scan_begin(struct tm_matcher *m, struct pair_scan *ps,
			   struct tolk_err *err)
{
	int rc;

	memset(ps, 0, sizeof(*ps));
	if (!m->remote)
		return tm_vars_scan_begin(&ps->vu, m->c->db, err);
	if ((rc = tm_db_prepare(m->c->db, SQL_ALL_PAIRS_PG, &ps->st, err)))
		return rc;
	tm_db_bind_text(ps->st, 1, m->lk_src, -1);
	tm_db_bind_text(ps->st, 2, m->lk_tgt, -1);
	return 0;
}

/* The next pair into *p (borrowed until the next call): 1, 0 at the end,
 * or an error. */
static int pair_scan_next(struct tm_matcher *m, struct pair_scan *ps,
			  struct pair *p, struct tolk_err *err)
{
	struct tm_var sv, tv;
	int rc;

	if (ps->st) {
		if ((rc = tm_db_step(ps->st, "read units", err)) != 1)
			return rc;
		p->id = tm_db_col_int64(ps->st, 0);
		p->src = tm_db_col_text(ps->st, 1);
		p->tgt = tm_db_col_text(ps->st, 2);
		p->slang = tm_db_col_text(ps->st, 3);
		p->tlang = tm_db_col_text(ps->st, 4);
		return 1;
	}
	while ((rc = tm_vars_scan_next(&ps->vu, err)) == 1) {
		if ((rc = tm_vars_pair(ps->vu.blob, ps->vu.len, ps->vu.id,
				       m->lk_src, m->lk_tgt, &sv, &tv, err)) <
		    0)
			return rc;
		if (rc == 0)
			continue;
		p->id = ps->vu.id;
		p->src = sv.text;
		p->tgt = tv.text;
		p->slang = sv.lang;
		p->tlang = tv.lang;
		return 1;
	}
	return rc;
}

static void pair_scan_end(struct pair_scan *ps)
{
	tm_db_stmt_free(ps->st);
	tm_vars_scan_end(&ps->vu);
	tm_vars_unit_release(&ps->vu);
}

static int exhaustive(struct tm_matcher *m, const struct tm_match_opts *o,
		      int partial, struct tolk_err *err)
{
	struct pair_scan ps;
	struct pair p;
	int rc = 0, step;

	if ((rc = pair_scan_begin(m, &ps, err)))
		goto done;
	while ((step = pair_scan_next(m, &ps, &p, err)) == 1) {
		rc = partial ? consider_partial(m, p.id, p.src, err)
			     : consider(m, p.id, p.src, o->min_score, err);
		if (rc)
			break;
	}
	if (!rc && step < 0)
		rc = step;
done:
	pair_scan_end(&ps);
	return rc;
}

/* Scores the candidates of o->min_score.  With best (TM_MATCH_BEST), only
 * the best score matters: scoring stops at the first candidate that
 * cannot beat *best, which it raises. */
static int indexed(struct tm_matcher *m, const struct tm_match_opts *o,
		   int *best, struct tolk_err *err)
{
	size_t i, k, ntop = 0, nh, cq = mt_content(&m->q);
	int rc, *top = NULL, prune;

	if ((rc = candidates(m, o, err)))
		return rc;
	/* With a limit, the best-bounded candidates are scored first and
	 * the rest once they cannot reach the limit-th best score: they
	 * could not be among the first limit, even tied. */
	prune = m->counted &&
		(best ? m->nlive > 1 : o->limit && m->nlive > o->limit);
	if (prune) {
		for (i = 0; i < m->nlive; i++)
			m->live[i].ub = bound(cq, m->q.nnums, m->live[i].len,
					      m->live[i].cnt);
		if (sort_ub(m))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	/* a server reads the pairs in one go: only those that may be
	 * scored */
	for (k = m->nlive;
	     best && prune && k > 0 && m->live[k - 1].ub <= *best;)
		k--;
	if ((rc = prefetch(m, m->live, best && prune ? k : m->nlive, err)))
		return rc;
	if (prune && !best && !(top = malloc(o->limit * sizeof(*top))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < m->nlive; i++) {
		struct pair p;

		if (best && (*best >= 100 || (prune && m->live[i].ub <= *best)))
			break;
		if (!best && prune && ntop == o->limit &&
		    m->live[i].ub < top[ntop - 1])
			break;
		nh = m->nhits;
		if ((rc = fetch_pair(m, m->live[i].id, &p, err)) < 0)
			break;
		if (rc == 0)
			continue;
		if ((rc = consider(m, m->live[i].id, p.src, o->min_score, err)))
			break;
		/* a hit's pair is read again to order ties and to fill the
		 * result: kept (from the statement, still p's) */
		if (m->nhits > nh && m->pair_lent && !cache_put(m, &p)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
		if (best && m->nhits > nh && m->hits[nh].score > *best)
			*best = m->hits[nh].score;
		if (best || !prune || m->nhits == nh)
			continue;
		/* top: the best scores so far, best first */
		for (k = ntop; k > 0 && top[k - 1] < m->hits[nh].score; k--)
			if (k < o->limit)
				top[k] = top[k - 1];
		if (k < o->limit) {
			top[k] = m->hits[nh].score;
			if (ntop < o->limit)
				ntop++;
		}
	}
	cache_sort(m);
	free(top);
	return rc;
}

/* TM_MATCH_BEST: thresholds from high to min_score; the first that
 * finds a unit has found the best score, and a high threshold reads far
 * fewer postings (a query's common words join the prefix as it falls). */
#define BEST_STEP 15
static int indexed_best(struct tm_matcher *m, const struct tm_match_opts *o,
			int *best, struct tolk_err *err)
{
	struct tm_match_opts t = *o;
	int k, rc;

	*best = -1;
	for (k = 3; k >= 0; k--) {
		t.min_score = o->min_score + k * BEST_STEP;
		if (t.min_score > 100)
			continue;
		m->nhits = 0;
		if ((rc = indexed(m, &t, best, err)))
			return rc;
		if (*best >= t.min_score)
			break;
	}
	return 0;
}

static int indexed_partial(struct tm_matcher *m, struct tolk_err *err)
{
	const struct mt_text *q = &m->q;
	size_t cq = mt_content(q), i, n = 0, *ci;
	int lo, rc = 0;

	gather_reset(m);
	lo = (int)((PARTIAL_MIN_SHARE * cq + 99) / 100);
	if (lo < PARTIAL_MIN_TOKENS)
		lo = PARTIAL_MIN_TOKENS;
	if (!(ci = malloc((q->n + 1) * sizeof(*ci))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < q->n; i++)
		if (q->t[i].kind == MT_WORD || q->t[i].kind == MT_NUM)
			ci[n++] = i;
	for (i = 0; i + PARTIAL_MIN_TOKENS <= n; i++) {
		int hi = (int)(cq - i);

		if (hi > (int)cq - 1)
			hi = (int)cq - 1;
		if (hi < lo)
			break;
		if ((rc = scan(m,
			       key_start(m->lh, q->t[ci[i]].loose,
					 q->t[ci[i + 1]].loose,
					 q->t[ci[i + 2]].loose),
			       lo, hi, on_gather, NULL, err)))
			goto done;
	}
	if (gather_units(m)) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = prefetch(m, m->live, m->nlive, err)))
		goto done;
	for (i = 0; i < m->nlive; i++) {
		struct pair p;
		char *src;

		if ((rc = fetch_pair(m, m->live[i].id, &p, err)) < 0)
			goto done;
		if (rc == 0)
			continue;
		src = strdup(p.src);
		if (!src) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		rc = consider_partial(m, m->live[i].id, src, err);
		free(src);
		if (rc)
			goto done;
	}
	rc = 0;
done:
	free(ci);
	return rc;
}

static int cmp_score(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	return (x->id > y->id) - (x->id < y->id);
}

static char *dup0(const char *s)
{
	return strdup(s ? s : "");
}

/* Equal scores: the source closest to the query character by character
 * first, then the newest change, then the most used. */
static int cmp_tie(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c;

	if (x->score != y->score)
		return y->score - x->score;
	if (x->dist != y->dist)
		return (x->dist > y->dist) - (x->dist < y->dist);
	if ((c = strcmp(y->changed, x->changed)))
		return c;
	if (x->usage != y->usage)
		return (y->usage > x->usage) - (y->usage < x->usage);
	return (x->id > y->id) - (x->id < y->id);
}

/* The partial matches kept, in the order they occur in the query. */
static int cmp_pos(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->qa != y->qa)
		return (x->qa > y->qa) - (x->qa < y->qa);
	return cmp_hit(a, b);
}

/* Change date (else creation date) and usage count of hit h's unit. */
static int load_meta(struct tm_matcher *m, struct hit *h, struct tolk_err *err)
{
	struct tm_unit *u = NULL;
	const char *d, *n;
	int rc;

	if ((rc = tm_store_get(m->s, h->id, &u, err)))
		return rc;
	if (!(d = tm_unit_attr(u, "changedate")))
		d = tm_unit_attr(u, "creationdate");
	snprintf(h->changed, sizeof(h->changed), "%s", d ? d : "");
	n = tm_unit_attr(u, "usagecount");
	h->usage = n ? strtoll(n, NULL, 10) : 0;
	tm_unit_free(u);
	return 0;
}

/* Does hits[i] share its score (with dist: and its distance) with a
 * neighbour among hits[0..n)? */
static int tied(const struct hit *h, size_t n, size_t i, int dist)
{
	return (i > 0 && h[i - 1].score == h[i].score &&
		(!dist || h[i - 1].dist == h[i].dist)) ||
	       (i + 1 < n && h[i + 1].score == h[i].score &&
		(!dist || h[i + 1].dist == h[i].dist));
}

/* The units of the next TIED_PRE hits from hits[from] that load_meta
 * will read, read ahead (a server: one round trip, not three each);
 * *end is the hit after the last. */
#define TIED_PRE 512
static int prefetch_tied(struct tm_matcher *m, size_t n, size_t from,
			 size_t *end, struct tolk_err *err)
{
	int64_t ids[TIED_PRE];
	size_t k = 0, i;

	for (i = from; i < n && k < TIED_PRE; i++)
		if (tied(m->hits, n, i, 1))
			ids[k++] = m->hits[i].id;
	*end = i;
	return tm_store_prefetch(m->s, ids, k, err);
}

/* Orders the ties among the hits (sorted by score) that can be among the
 * first limit: by distance, then by date and usage where that ties too.
 * Only ties are measured: a character distance per unit would cost more
 * than the lookup. */
static int order_ties(struct tm_matcher *m, size_t limit, struct tolk_err *err)
{
	size_t n = m->nhits, i, end;
	int rc;

	if (limit && limit < n) {
		int last = m->hits[limit - 1].score;

		for (n = limit; n < m->nhits && m->hits[n].score == last; n++)
			;
	}
	for (i = 0; i < n; i++) {
		struct hit *h = &m->hits[i];
		struct pair pr;
		char *src;

		if (!tied(m->hits, n, i, 0))
			continue;
		if ((rc = fetch_pair(m, h->id, &pr, err)) < 0)
			return rc;
		if (rc == 0)
			continue;
		/* copied: the pair lives until the next fetch */
		src = dup0(pr.src);
		if (!src)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		h->dist = mt_char_distance(m->q.text, src);
		free(src);
		if (h->dist < 0)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	qsort(m->hits, n, sizeof(*m->hits), cmp_tie);
	for (i = 0, end = 0; i < n; i++)
		if (tied(m->hits, n, i, 1) &&
		    ((i >= end && (rc = prefetch_tied(m, n, i, &end, err))) ||
		     (rc = load_meta(m, &m->hits[i], err))))
			return rc;
	qsort(m->hits, n, sizeof(*m->hits), cmp_tie);
	return 0;
}

/* A copy of s, or NULL for NULL and "": an empty attribute says nothing. */
static int dup_attr(char **out, const char *s)
{
	*out = NULL;
	if (!s || !*s)
		return 0;
	return (*out = strdup(s)) ? 0 : -1;
}

/* The notes, dates, author, origin and usage count of out's unit. */
static int fill_meta(struct tm_matcher *m, struct tm_match *out,
		     struct tolk_err *err)
{
	struct tm_unit *u = NULL;
	const char *a, *usage;
	size_t i, n;
	int rc, unit_level;

	out->usage = -1;
	if ((rc = tm_store_get(m->s, out->id, &u, err)))
		return rc;
	if (!(a = tm_unit_attr(u, "changeid")) || !*a)
		a = tm_unit_attr(u, "creationid");
	if (dup_attr(&out->created, tm_unit_attr(u, "creationdate")) ||
	    dup_attr(&out->changed, tm_unit_attr(u, "changedate")) ||
	    dup_attr(&out->author, a) ||
	    dup_attr(&out->origin, tm_unit_origin(u)))
		goto nomem;
	if ((usage = tm_unit_attr(u, "usagecount")) && *usage)
		out->usage = strtoll(usage, NULL, 10);
	n = tm_unit_extra_count(u);
	if (n && !(out->notes = calloc(n, sizeof(*out->notes))))
		goto nomem;
	/* unit-level notes first: they speak of the whole unit */
	for (unit_level = 1; unit_level >= 0; unit_level--)
		for (i = 0; i < n; i++) {
			const char *v = tm_unit_extra_value(u, i);

			if (tm_unit_extra_kind(u, i) != TM_EXTRA_NOTE ||
			    (tm_unit_extra_level(u, i) == TM_UNIT_LEVEL) !=
				unit_level ||
			    !v || !*v)
				continue;
			if (!(out->notes[out->nnotes] = strdup(v)))
				goto nomem;
			out->nnotes++;
		}
	tm_unit_free(u);
	return 0;
nomem:
	tm_unit_free(u);
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

/* The units of hits[0..n), read ahead for fill_meta. */
static int prefetch_units(struct tm_matcher *m, size_t n, struct tolk_err *err)
{
	int64_t *ids = n ? malloc(n * sizeof(*ids)) : NULL;
	size_t i;
	int rc;

	if (n && !ids)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		ids[i] = m->hits[i].id;
	rc = tm_store_prefetch(m->s, ids, n, err);
	free(ids);
	return rc;
}

/* Fills out from hit h: texts and where the unit came from, and for whole
 * matches diff and adaptation. */
static int fill(struct tm_matcher *m, const struct hit *h, int partial,
		struct tm_match *out, struct tolk_err *err)
{
	struct pair p;
	int rc;

	memset(out, 0, sizeof(*out));
	out->id = h->id;
	out->score = h->score;
	if ((rc = fetch_pair(m, h->id, &p, err)) <= 0)
		return rc ? rc
			  : tolk_err_set(err, TOLK_EINTERNAL,
					 "unit %lld vanished during lookup",
					 (long long)h->id);
	out->source = dup0(p.src);
	out->target = dup0(p.tgt);
	out->source_lang = dup0(p.slang);
	out->target_lang = dup0(p.tlang);
	if (!out->source || !out->target || !out->source_lang ||
	    !out->target_lang)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (m->brief)
		out->usage = -1;
	else if ((rc = fill_meta(m, out, err)))
		return rc;
	if (partial) {
		out->q_off = m->q.t[h->qa].start;
		out->q_len = m->q.t[h->qb].end - out->q_off;
		return 0;
	}
	if ((rc = mt_tokenize(m->c->tk, out->source, strlen(out->source), &m->x,
			      err)))
		return rc;
	if (h->score < 100 && !m->brief &&
	    mt_diff(&m->q, &m->x, &out->diff, &out->ndiff))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (h->score < 100)
		return mt_adapt(m->c->tk, &m->q, &m->x, out->target,
				&out->adapted, err);
	return 0;
}

static int set_langs(struct tm_matcher *m, const struct tm_match_opts *o,
		     struct tolk_err *err)
{
	/* a new lookup: the cache is for one lookup's candidates */
	m->pair_lent = 0;
	cache_clear(m);
	if (tolk_lang_key(o->source_lang ? o->source_lang : "nb", m->lk_src,
			  sizeof(m->lk_src)))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag",
				    o->source_lang);
	if (tolk_lang_key(o->target_lang ? o->target_lang : "en", m->lk_tgt,
			  sizeof(m->lk_tgt)))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag",
				    o->target_lang);
	m->lh = lang_hash(m->lk_src);
	return 0;
}

/* Exact hits whose stored neighbours are the query's score 101 (a read
 * per exact hit: there are few). */
static int context_scores(struct tm_matcher *m, const struct tm_context *ctx,
			  struct tolk_err *err)
{
	size_t i;
	int rc, agree;

	if (!ctx || !ctx->known)
		return 0;
	for (i = 0; i < m->nhits; i++) {
		if (m->hits[i].score != 100)
			continue;
		if ((rc = tm_context_agree(m->s, m->hits[i].id, ctx, &agree,
					   err)))
			return rc;
		if (agree == 2)
			m->hits[i].score = 101;
	}
	return 0;
}

static int lookup(struct tm_matcher *m, const char *query,
		  const struct tm_context *ctx, const struct tm_match_opts *o,
		  struct tm_match_result *res, struct tolk_err *err)
{
	size_t i, n;
	int rc;

	if (o->min_score < 0 || o->min_score > 100)
		return tolk_err_set(err, TOLK_EUSAGE,
				    "minimum score %d is not within 0-100",
				    o->min_score);
	if ((rc = set_langs(m, o, err)) || (rc = flush(m->c, err)))
		return rc;
	if ((rc = mt_tokenize(m->c->tk, query, strlen(query), &m->q, err)))
		return rc;
	m->nhits = 0;
	m->scored = 0;
	res->best = -1;
	m->brief = (o->flags & TM_MATCH_BRIEF) != 0;
	m->qw_ok = 0;
	if (m->q.n == 0)
		return 0; /* nothing to match: not every empty unit */
	if (o->flags & TM_MATCH_BEST) {
		if (o->flags & TM_MATCH_EXHAUSTIVE) {
			rc = exhaustive(m, o, 0, err);
			for (i = 0; !rc && i < m->nhits; i++)
				if (m->hits[i].score > res->best)
					res->best = m->hits[i].score;
		} else {
			rc = indexed_best(m, o, &res->best, err);
		}
		res->candidates = m->scored;
		return rc;
	}
	rc = (o->flags & TM_MATCH_EXHAUSTIVE) ? exhaustive(m, o, 0, err)
					      : indexed(m, o, NULL, err);
	if (rc)
		return rc;
	if ((rc = context_scores(m, ctx, err)))
		return rc;
	if (m->nhits) {
		qsort(m->hits, m->nhits, sizeof(*m->hits), cmp_score);
		if ((rc = order_ties(m, o->limit, err)))
			return rc;
	}
	n = o->limit && m->nhits > o->limit ? o->limit : m->nhits;
	if (n && !(res->matches = calloc(n, sizeof(*res->matches))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if ((rc = prefetch_units(m, n, err)))
		return rc;
	for (i = 0; i < n; i++) {
		res->nmatches++;
		if ((rc = fill(m, &m->hits[i], 0, &res->matches[i], err)))
			return rc;
	}
	if (n == 0 && !(o->flags & TM_MATCH_NO_PARTIAL)) {
		res->partial_searched = 1;
		m->nhits = 0;
		rc = (o->flags & TM_MATCH_EXHAUSTIVE) ? exhaustive(m, o, 1, err)
						      : indexed_partial(m, err);
		if (rc)
			return rc;
		if (m->nhits)
			qsort(m->hits, m->nhits, sizeof(*m->hits), cmp_hit);
		n = o->limit && m->nhits > o->limit ? o->limit : m->nhits;
		if (n)
			qsort(m->hits, n, sizeof(*m->hits), cmp_pos);
		if (n && !(res->partial = calloc(n, sizeof(*res->partial))))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		if ((rc = prefetch_units(m, n, err)))
			return rc;
		for (i = 0; i < n; i++) {
			res->npartial++;
			if ((rc = fill(m, &m->hits[i], 1, &res->partial[i],
				       err)))
				return rc;
		}
	}
	res->candidates = m->scored;
	return 0;
}

int tm_match_lookup(struct tm_matcher *m, const char *query,
		    const struct tm_match_opts *o, struct tm_match_result *res,
		    struct tolk_err *err)
{
	return tm_match_lookup_in_context(m, query, NULL, o, res, err);
}

/* One read transaction for the whole lookup (or a part of the caller's):
 * its hundreds of statements then take the database's locks once. */
int tm_match_lookup_in_context(struct tm_matcher *m, const char *query,
			       const struct tm_context *ctx,
			       const struct tm_match_opts *o,
			       struct tm_match_result *res,
			       struct tolk_err *err)
{
	struct tm_db *db = m->c->db;
	int joined = tm_db_depth(db) > 0, rc;

	memset(res, 0, sizeof(*res));
	if ((rc = tm_db_begin(db, TM_DB_READ | TM_DB_JOIN, err)))
		return rc;
	m->alone = !joined || m->snapshot;
	m->pc_use = 0; /* until this lookup's wcache_begin */
	rc = lookup(m, query, ctx, o, res, err);
	m->alone = m->pc_use = 0;
	tm_store_prefetch(m->s, NULL, 0, NULL);
	/* a joined level is only left: its rollback would doom the
	 * caller's transaction for a read */
	if (joined || !rc) {
		if (tm_db_commit(db, err) && !rc) {
			rc = err ? err->code : TOLK_EDB;
			tm_db_rollback(db);
		}
	} else {
		tm_db_rollback(db);
	}
	return rc;
}

/* ---- concordance -------------------------------------------------------- */

/* Byte range of the first run of x's content tokens equal to the
 * phrase's (loose words, number values): 1, else 0, -1 out of memory. */
static int phrase_at(const struct mt_text *p, const struct mt_text *x,
		     size_t *off, size_t *len)
{
	size_t first, last;
	int found = find_run(x, p, 1, &first, &last);

	if (found == 1) {
		*off = x->t[first].start;
		*len = x->t[last].end - *off;
	}
	return found;
}

struct concord {
	struct tm_matcher *m;
	const struct tm_match_opts *o;
	tm_concord_fn fn;
	void *ctx;
	size_t n;
	int full; /* the limit is reached */
};

/* Checks one pair; returns fn's value or an error. */
static int concord_pair(struct concord *cc, const struct pair *p,
			struct tolk_err *err)
{
	struct tm_matcher *m = cc->m;
	struct tm_concord_hit h = {0};
	const char *text;
	int rc;

	h.id = p->id;
	h.source = p->src;
	h.target = p->tgt;
	h.source_lang = p->slang;
	h.target_lang = p->tlang;
	text = (cc->o->flags & TM_MATCH_TARGET) ? h.target : h.source;
	if ((rc = mt_tokenize(m->c->tk, text, strlen(text), &m->x, err)))
		return rc;
	if ((rc = phrase_at(&m->q, &m->x, &h.off, &h.len)) <= 0)
		return rc ? tolk_err_set(err, TOLK_ENOMEM, "out of memory") : 0;
	if ((rc = cc->fn(cc->ctx, &h)))
		return rc;
	cc->n++;
	cc->full = cc->o->limit && cc->n >= cc->o->limit;
	return 0;
}

int tm_match_concordance(struct tm_matcher *m, const char *phrase,
			 const struct tm_match_opts *o, tm_concord_fn fn,
			 void *ctx, struct tolk_err *err)
{
	struct concord cc = {m, o, fn, ctx, 0, 0};
	int64_t best = -1, key = 0;
	size_t i;
	int rc;

	if ((rc = set_langs(m, o, err)) || (rc = flush(m->c, err)))
		return rc;
	if ((rc = mt_tokenize(m->c->tk, phrase, strlen(phrase), &m->q, err)))
		return rc;
	if (mt_words_nums(&m->q) == 0)
		return tolk_err_set(err, TOLK_EUSAGE,
				    "the phrase has no words or numbers");
	/* the source side: postings of the phrase's rarest word */
	if (!(o->flags & TM_MATCH_EXHAUSTIVE)) {
		/* every language of a unit is indexed, the target's too */
		uint64_t lh =
		    (o->flags & TM_MATCH_TARGET) ? lang_hash(m->lk_tgt) : m->lh;

		for (i = 0; i < m->q.n; i++) {
			int64_t k, df;

			if (m->q.t[i].kind != MT_WORD)
				continue;
			k = key_word(lh, m->q.t[i].loose);
			if ((df = df_of(m, k, 0, err)) < 0)
				return err ? err->code : TOLK_EDB;
			if (best < 0 || df < best) {
				best = df;
				key = k;
			}
		}
	}
	if (best >= 0) {
		gather_reset(m);
		if ((rc = scan(m, key, (int)mt_words_nums(&m->q), INT_MAX,
			       on_gather, NULL, err)))
			return rc;
		if (gather_units(m))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		if ((rc = prefetch(m, m->live, m->nlive, err)))
			return rc;
		for (i = 0; i < m->nlive; i++) {
			struct pair p;

			if ((rc = fetch_pair(m, m->live[i].id, &p, err)) < 0)
				return rc;
			if (rc == 0)
				continue;
			rc = concord_pair(&cc, &p, err);
			if (rc || cc.full)
				return rc;
		}
		return 0;
	}
	{
		struct pair_scan ps;
		struct pair p;
		int step = 0;

		if ((rc = pair_scan_begin(m, &ps, err))) {
			pair_scan_end(&ps);
			return rc;
		}
		while (!cc.full &&
		       (step = pair_scan_next(m, &ps, &p, err)) == 1)
			if ((rc = concord_pair(&cc, &p, err)))
				break;
		if (!rc && !cc.full && step < 0)
			rc = step;
		pair_scan_end(&ps);
		return rc;
	}
}
