/* Pre-translation and analysis; the rules are in tm/pretranslate.h.
 *
 * The repeat table maps a segment's normalised source to its first
 * leverage, so that a document of n segments costs one lookup per
 * distinct source.  For a source the TM has exactly, the entry keeps
 * every exact unit (up to EXACT_MAX) with its stored context, so that
 * each occurrence picks its own by context without another read: the
 * same "Avbryt" may be "Cancel" in one place and "Abort" in the next.
 * Stored markup (inline tags) needs the unit itself: the match result
 * has only texts, so a filled target's unit is read with tm_store_get,
 * once per unit used.
 *
 * With more than one thread, tm_pretr_xliff first plans the fuzzy
 * lookups the document will need (the first occurrence of each source,
 * in document order, as the pass below meets them) and workers run
 * them ahead, each on its own connection; the pass itself stays in
 * document order on the caller's thread and takes each result when it
 * gets there, or runs the lookup itself when no worker has started it.
 * A lookup's result does not depend on who runs it, so the output is
 * the same with any number of threads. */
#include "tm/pretranslate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tm/context.h"
#include "tm/db.h"
#include "tm/match.h"
#include "tm/unit.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/text.h"

/* Exact units of a source looked at per document: more would be the
 * same sentence stored in more contexts than a document has. */
#define EXACT_MAX 32

/* A unit whose source is the segment's. */
struct exact {
	int64_t id;
	char *source, *target, *markup;
	int markup_read;
	struct tm_context ctx;
};

struct entry {
	char *key;
	struct tm_leverage lev;
	int lev_band_only; /* lev has the band, not the target */
	char *target, *markup;
	struct exact *ex;
	size_t nex;
};

/* A fuzzy lookup planned for one segment: the fill's (best matches
 * from min_score, and the best score down to 50 when there is none) or
 * the band's alone. */
enum job_kind { JOB_FILL, JOB_BAND };

enum job_state {
	JOB_PENDING,
	JOB_RUNNING, /* a worker has it */
	JOB_DONE,    /* a worker ran it: the pass may take it */
	JOB_TAKEN,   /* the pass took it, or runs the lookup itself */
};

struct job {
	const char *source, *sl, *tl; /* the document's */
	enum job_kind kind;
	enum job_state state;
	/* not looked up: the TM has the source exactly (the pass then
	 * looks up nothing), or the check failed (the pass looks up) */
	int skip;
	/* run on a read at the pass's own state of the database: its "no
	 * exact unit" holds for the pass too (pass_knows_inexact) */
	int same;
	int rc;
	int best, has_best; /* the band's lookup: best score, -1 none */
	struct tm_match_result r;
	struct tolk_err *err; /* rc's, NULL when out of memory */
};

#define THREADS_MAX 16
#define NO_JOB	    ((size_t)-1)
/* fewer lookups than this are not worth a connection per thread */
#define POOL_MIN_JOBS 16

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *jobs;
	size_t njobs, next; /* next: where workers look for a pending job */
	size_t *seg_job;    /* per segment: its job, NO_JOB for none */
	size_t nseg;
	pthread_t th[THREADS_MAX];
	size_t nth;
	const char *path;
	const struct tm_pretr_opts *o;
	int stop;
	/* the kept posting lists all threads share (pool_share), NULL
	 * when each keeps its own; opened: workers past their store's
	 * open (to pool_share's go), pinned: past their first read */
	struct tm_match_share *sh;
	size_t opened, pinned;
	int go;
};

struct tm_pretr {
	struct tm_store *s;
	struct tm_matcher *m;
	struct tm_pretr_opts o;
	struct tm_analysis a;
	struct entry *tab;
	size_t cap, used;
	struct tm_leverage cur;
	struct tolk_buf key;
	struct pool *pool; /* tm_pretr_xliff's, while it runs */
	size_t seg;	   /* the segment being leveraged, NO_JOB outside */
};

#define CONTEXT_NOTE                                                           \
	"tolk: context match (101): the same source, stored with the same "    \
	"segments before and after it"

static const char *const band_names[TM_BAND_COUNT] = {
    "context", "exact", "95-99", "85-94", "75-84", "50-74", "none", "repeats",
};

const char *tm_band_name(enum tm_band b)
{
	return b < TM_BAND_COUNT ? band_names[b] : "?";
}

static enum tm_band band_of(int score)
{
	return score > 100    ? TM_BAND_CONTEXT
	       : score == 100 ? TM_BAND_EXACT
	       : score >= 95  ? TM_BAND_95
	       : score >= 85  ? TM_BAND_85
	       : score >= 75  ? TM_BAND_75
	       : score >= 50  ? TM_BAND_50
			      : TM_BAND_NONE;
}

static int is_word(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

unsigned long tm_pretr_words(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long n = 0;

	while (*p) {
		if (!is_word(*p)) {
			p++;
			continue;
		}
		n++;
		while (*p &&
		       (is_word(*p) || (strchr("'-.,", *p) && is_word(p[1]))))
			p++;
	}
	return n;
}

int tm_pretr_new(struct tm_pretr **out, struct tm_store *s,
		 const struct tm_pretr_opts *o, struct tolk_err *err)
{
	struct tm_pretr *p = calloc(1, sizeof(*p));
	int rc;

	*out = NULL;
	if (!p)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	p->s = s;
	p->o = *o;
	p->seg = NO_JOB;
	if ((rc = tm_matcher_new(&p->m, s, err))) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void tm_pretr_free(struct tm_pretr *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->cap; i++) {
		size_t k;

		for (k = 0; k < p->tab[i].nex; k++) {
			free(p->tab[i].ex[k].source);
			free(p->tab[i].ex[k].target);
			free(p->tab[i].ex[k].markup);
		}
		free(p->tab[i].ex);
		free(p->tab[i].key);
		free(p->tab[i].target);
		free(p->tab[i].markup);
	}
	free(p->tab);
	tolk_buf_free(&p->key);
	tm_matcher_free(p->m);
	free(p);
}

const struct tm_analysis *tm_pretr_analysis(const struct tm_pretr *p)
{
	return &p->a;
}

static size_t hash(const char *s)
{
	return (size_t)tolk_fnv64(s, strlen(s), TOLK_FNV64_OFFSET);
}

/* The slot of key: its entry, or the empty slot where it goes. */
static struct entry *slot(struct tm_pretr *p, const char *key)
{
	size_t i = hash(key) & (p->cap - 1);

	while (p->tab[i].key && strcmp(p->tab[i].key, key) != 0)
		i = (i + 1) & (p->cap - 1);
	return &p->tab[i];
}

static int grow(struct tm_pretr *p)
{
	struct entry *old = p->tab;
	size_t oldcap = p->cap, i;

	if (p->used * 2 < p->cap)
		return 0;
	p->cap = p->cap ? p->cap * 2 : 256;
	if (!(p->tab = calloc(p->cap, sizeof(*p->tab)))) {
		p->tab = old;
		p->cap = oldcap;
		return TOLK_ENOMEM;
	}
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			*slot(p, old[i].key) = old[i];
	free(old);
	return 0;
}

/* Markup of the variants of unit id in sl and tl, copied (NULL when
 * plain or when the unit is gone). */
static int unit_markup(struct tm_pretr *p, int64_t id, const char *sl,
		       const char *tl, char **sm, char **tm,
		       struct tolk_err *err)
{
	struct tm_unit *u = NULL;
	size_t v;
	int rc;

	*sm = *tm = NULL;
	if ((rc = tm_store_get(p->s, id, &u, err)))
		return rc == TOLK_ENOTFOUND ? 0 : rc;
	if ((v = tm_unit_find_variant(u, sl)) != TM_UNIT_LEVEL &&
	    tm_unit_variant_markup(u, v))
		*sm = strdup(tm_unit_variant_markup(u, v));
	if ((v = tm_unit_find_variant(u, tl)) != TM_UNIT_LEVEL &&
	    tm_unit_variant_markup(u, v))
		*tm = strdup(tm_unit_variant_markup(u, v));
	tm_unit_free(u);
	return 0;
}

struct exacts {
	struct exact *ex;
	size_t n;
	int oom;
};

static int keep_exact(void *ctx, const struct tm_pair *pr)
{
	struct exacts *e = ctx;
	struct exact *x = &e->ex[e->n];

	memset(x, 0, sizeof(*x));
	x->id = pr->id;
	x->source = strdup(pr->source ? pr->source : "");
	x->target = strdup(pr->target ? pr->target : "");
	if (!x->source || !x->target) {
		free(x->source);
		free(x->target);
		e->oom = 1;
		return 1;
	}
	e->n++;
	return 0;
}

/* Fills e->ex with the units whose source is source exactly, and their
 * contexts. */
static int find_exacts(struct tm_pretr *p, struct entry *e, const char *source,
		       const char *sl, const char *tl, struct tolk_err *err)
{
	struct exacts xs = {NULL, 0, 0};
	size_t k;
	int rc;

	if (!(xs.ex = calloc(EXACT_MAX, sizeof(*xs.ex))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	rc = tm_store_find_exact(p->s, source, sl, tl, EXACT_MAX, keep_exact,
				 &xs, err);
	e->ex = xs.ex;
	e->nex = xs.n;
	if (xs.oom)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (rc < 0)
		return rc;
	for (k = 0; k < e->nex; k++)
		if ((rc =
			 tm_context_get(p->s, e->ex[k].id, &e->ex[k].ctx, err)))
			return rc;
	return 0;
}

/* The exact unit for a segment in context ctx: the one whose neighbours
 * agree most (both, then one), the first stored among equals. */
static struct exact *pick_exact(struct entry *e, const struct tm_context *ctx,
				int *agree)
{
	size_t k, best = 0;
	int a, ba = -1;

	for (k = 0; k < e->nex; k++) {
		a = tm_context_agreement(&e->ex[k].ctx, ctx);
		if (a > ba) {
			ba = a;
			best = k;
		}
	}
	*agree = ba;
	return &e->ex[best];
}

/* Leverages a source the TM has exactly: a context match (101) when the
 * picked unit's neighbours are the segment's, else exact or, seen before
 * in the document, a repeat.  With x, the exact units with other targets
 * become segment xi's candidates. */
static int leverage_exact(struct tm_pretr *p, struct entry *e, int seen,
			  const struct tm_context *ctx, unsigned long words,
			  const char *sl, const char *tl, struct tm_xliff *x,
			  size_t xi, struct tolk_err *err)
{
	struct exact *b;
	size_t k, ncand = 0;
	int agree, rc;

	b = pick_exact(e, ctx, &agree);
	if (!b->markup_read) {
		char *sm = NULL;

		if ((rc = unit_markup(p, b->id, sl, tl, &sm, &b->markup, err)))
			return rc;
		free(sm);
		b->markup_read = 1;
	}
	p->cur.band = agree == 2 ? TM_BAND_CONTEXT
		      : seen	 ? TM_BAND_REPEAT
				 : TM_BAND_EXACT;
	p->cur.score = agree == 2 ? 101 : 100;
	p->cur.repeat = p->cur.band == TM_BAND_REPEAT;
	p->cur.quality = TM_XLIFF_EXACT;
	p->cur.target = b->target;
	p->cur.target_markup = b->markup;
	p->a.segments[p->cur.band]++;
	p->a.words[p->cur.band] += words;
	/* the other targets, where the context did not decide */
	for (k = 0; x && !p->o.dry_run && agree < 2 && k < e->nex &&
		    ncand < p->o.alternatives;
	     k++) {
		struct exact *c = &e->ex[k];
		char *sm = NULL, *tm = NULL;

		if (c == b || strcmp(c->target, b->target) == 0)
			continue;
		if ((rc = unit_markup(p, c->id, sl, tl, &sm, &tm, err)))
			return rc;
		rc = tm_xliff_add_candidate(x, xi, 100, c->source, sm,
					    c->target, tm);
		free(sm);
		free(tm);
		if (rc)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		ncand++;
	}
	return 0;
}

/* The lookup behind a fill: the best matches from min_score, texts
 * only. */
static int fill_lookup(struct tm_matcher *m, const struct tm_pretr_opts *po,
		       const char *source, const char *sl, const char *tl,
		       struct tm_match_result *r, struct tolk_err *err)
{
	struct tm_match_opts mo;

	memset(&mo, 0, sizeof(mo));
	mo.source_lang = sl;
	mo.target_lang = tl;
	mo.min_score = po->min_score;
	mo.limit = po->alternatives + 1;
	mo.flags = TM_MATCH_NO_PARTIAL | TM_MATCH_BRIEF;
	return tm_match_lookup(m, source, &mo, r, err);
}

/* The band of a source no unit matches at min_score: only the best score
 * is wanted, which a TM_MATCH_BEST lookup finds without ranking (and
 * filling) the many units that tie in the lower bands. */
static int best_lookup(struct tm_matcher *m, const struct tm_pretr_opts *po,
		       const char *source, const char *sl, const char *tl,
		       int *best, struct tolk_err *err)
{
	struct tm_match_opts mo;
	struct tm_match_result r;
	int rc;

	memset(&mo, 0, sizeof(mo));
	mo.source_lang = sl;
	mo.target_lang = tl;
	mo.min_score = po->min_score < 50 ? po->min_score : 50;
	mo.flags = TM_MATCH_NO_PARTIAL | TM_MATCH_BEST;
	rc = tm_match_lookup(m, source, &mo, &r, err);
	*best = r.best;
	tm_match_result_release(&r);
	return rc;
}

static int found_one(void *ctx, const struct tm_pair *pr)
{
	(void)pr;
	*(int *)ctx = 1;
	return 1;
}

/* Runs job j on a worker's matcher m (on store s). */
static void run_job(const struct pool *pl, struct tm_store *s,
		    struct tm_matcher *m, int same, struct job *j)
{
	struct tolk_err err;
	int exact = 0;

	tolk_err_clear(&err);
	/* the pass looks up nothing for a source the TM has exactly */
	if (tm_store_find_exact(s, j->source, j->sl, j->tl, 1, found_one,
				&exact, &err) < 0 ||
	    exact) {
		j->skip = 1;
		return;
	}
	j->same = same;
	if (j->kind == JOB_FILL) {
		j->rc =
		    fill_lookup(m, pl->o, j->source, j->sl, j->tl, &j->r, &err);
		if (j->rc || j->r.nmatches || pl->o->min_score <= 50)
			goto done;
	}
	j->rc = best_lookup(m, pl->o, j->source, j->sl, j->tl, &j->best, &err);
	j->has_best = 1;
done:
	if (j->rc && (j->err = malloc(sizeof(*j->err))))
		*j->err = err;
}

/* The next job no one has started, marked as running; NULL when none
 * is left.  Called with pl->mu held. */
static struct job *next_pending(struct pool *pl)
{
	while (pl->next < pl->njobs && pl->jobs[pl->next].state != JOB_PENDING)
		pl->next++;
	if (pl->stop || pl->next == pl->njobs)
		return NULL;
	pl->jobs[pl->next].state = JOB_RUNNING;
	return &pl->jobs[pl->next++];
}

/* The job planned for the current segment's lookup of kind, run by a
 * worker (waited for while one runs it); NULL when there is none, or
 * none ran it, and the caller looks up itself.  Each job is taken once. */
static struct job *claim(struct tm_pretr *p, enum job_kind kind,
			 const char *source, const char *sl, const char *tl)
{
	struct pool *pl = p->pool;
	struct job *j;
	int done;

	if (!pl || p->seg >= pl->nseg || pl->seg_job[p->seg] == NO_JOB)
		return NULL;
	j = &pl->jobs[pl->seg_job[p->seg]];
	/* planned for another lookup than the pass makes: not its */
	if (j->kind != kind || strcmp(j->source, source) != 0 ||
	    strcmp(j->sl, sl) != 0 || strcmp(j->tl, tl) != 0)
		return NULL;
	pthread_mutex_lock(&pl->mu);
	/* while a worker runs it, the pass runs the next one no one has
	 * started rather than leave its core idle */
	while (j->state == JOB_RUNNING) {
		struct job *o = next_pending(pl);

		if (!o) {
			pthread_cond_wait(&pl->cv, &pl->mu);
			continue;
		}
		pthread_mutex_unlock(&pl->mu);
		run_job(pl, p->s, p->m, 1, o);
		pthread_mutex_lock(&pl->mu);
		o->state = JOB_DONE;
		pthread_cond_broadcast(&pl->cv);
	}
	done = j->state == JOB_DONE && !j->skip;
	j->state = JOB_TAKEN;
	pthread_mutex_unlock(&pl->mu);
	return done ? j : NULL;
}

/* Whether a worker, reading what the pass reads, has found that the TM
 * has no unit whose source is the current segment's: the pass then
 * need not look again. */
static int pass_knows_inexact(struct tm_pretr *p, const char *source,
			      const char *sl, const char *tl)
{
	struct pool *pl = p->pool;
	struct job *j;
	int known;

	if (!pl || !pl->sh || p->seg >= pl->nseg ||
	    pl->seg_job[p->seg] == NO_JOB)
		return 0;
	j = &pl->jobs[pl->seg_job[p->seg]];
	if (strcmp(j->source, source) != 0 || strcmp(j->sl, sl) != 0 ||
	    strcmp(j->tl, tl) != 0)
		return 0;
	pthread_mutex_lock(&pl->mu);
	known = j->state == JOB_DONE && !j->skip && j->same;
	pthread_mutex_unlock(&pl->mu);
	return known;
}

/* A job's failure as the pass's own. */
static int job_error(const struct job *j, struct tolk_err *err)
{
	if (!j->err)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (err)
		*err = *j->err;
	return j->rc;
}

/* Sets the current band from the best score below min_score: f's when
 * its fill lookup had one, else a job's or a lookup of its own. */
static int band_only(struct tm_pretr *p, const char *source, const char *sl,
		     const char *tl, const struct job *f, struct tolk_err *err)
{
	const struct job *j = f ? f : claim(p, JOB_BAND, source, sl, tl);
	int best = -1, rc;

	if (j && j->has_best) {
		best = j->best;
		rc = j->rc ? job_error(j, err) : 0;
	} else {
		rc = best_lookup(p->m, &p->o, source, sl, tl, &best, err);
	}
	if (!rc && best > p->cur.score) {
		p->cur.score = best;
		p->cur.band = band_of(best);
	}
	return rc;
}

/* Looks source up (or finds it in the repeat table); with x, adds the
 * candidates of segment xi.  Without fill, only the band is wanted. */
static int leverage(struct tm_pretr *p, const char *source,
		    const struct tm_context *ctx, const char *sl,
		    const char *tl, struct tm_xliff *x, size_t xi, int fill,
		    struct tolk_err *err)
{
	struct tm_match_result r;
	struct job *j;
	struct entry *e;
	unsigned long words = tm_pretr_words(source);
	size_t i, ncand = 0;
	int rc, again;

	memset(&p->cur, 0, sizeof(p->cur));
	tolk_buf_reset(&p->key);
	if ((rc = tolk_text_norm(source, strlen(source), &p->key, err)) ||
	    (rc = tolk_buf_puts(&p->key, "")))
		return rc;
	if (grow(p))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	e = slot(p, tolk_buf_str(&p->key));
	p->a.total_segments++;
	p->a.total_words += words;
	if (e->key && e->nex)
		return leverage_exact(p, e, p->key.len != 0, ctx, words, sl, tl,
				      x, xi, err);
	if (e->key && p->key.len && (!fill || !e->lev_band_only)) {
		p->cur = e->lev;
		p->cur.repeat = 1;
		p->a.segments[TM_BAND_REPEAT]++;
		p->a.words[TM_BAND_REPEAT] += words;
		return 0;
	}
	/* an exact match is one indexed read; the fuzzy lookup, which
	 * scores every near candidate, is for the rest */
	if (!e->key) {
		if (!(e->key = strdup(tolk_buf_str(&p->key))))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		p->used++;
		if (!pass_knows_inexact(p, source, sl, tl) &&
		    (rc = find_exacts(p, e, source, sl, tl, err)))
			return rc;
		if (e->nex)
			return leverage_exact(p, e, 0, ctx, words, sl, tl, x,
					      xi, err);
	}
	again = e->lev_band_only && p->key.len;
	memset(&r, 0, sizeof(r));
	p->cur.band = TM_BAND_NONE;
	if (!fill) {
		if ((rc = band_only(p, source, sl, tl, NULL, err)))
			return rc;
		p->a.segments[p->cur.band]++;
		p->a.words[p->cur.band] += words;
		e->lev = p->cur;
		e->lev_band_only = 1;
		return 0;
	}
	/* what may fill or be offered first; the band below min_score
	 * apart (band_only) */
	if ((j = claim(p, JOB_FILL, source, sl, tl))) {
		/* the result moves to the pass */
		r = j->r;
		memset(&j->r, 0, sizeof(j->r));
		if (j->rc) {
			rc = job_error(j, err);
			goto done;
		}
	} else if ((rc = fill_lookup(p->m, &p->o, source, sl, tl, &r, err))) {
		goto done;
	}
	if (r.nmatches) {
		p->cur.band = band_of(r.matches[0].score);
		p->cur.score = r.matches[0].score;
	} else if (p->o.min_score > 50 &&
		   (rc = band_only(p, source, sl, tl, j, err))) {
		goto done;
	}
	/* a repeat whose first occurrence wanted only the band */
	p->cur.repeat = again;
	p->a.segments[again ? TM_BAND_REPEAT : p->cur.band]++;
	p->a.words[again ? TM_BAND_REPEAT : p->cur.band] += words;
	if (r.nmatches && r.matches[0].score >= p->o.min_score) {
		const struct tm_match *b = &r.matches[0];
		char *sm = NULL, *tm = NULL;

		p->cur.quality = b->adapted	   ? TM_XLIFF_ADAPTED
				 : b->score >= 100 ? TM_XLIFF_EXACT
						   : TM_XLIFF_FUZZY;
		/* adapted text has the query's numbers, and no tags */
		if (!b->adapted &&
		    (rc = unit_markup(p, b->id, sl, tl, &sm, &tm, err)))
			goto done;
		free(sm);
		e->target = strdup(b->adapted ? b->adapted : b->target);
		e->markup = tm;
		if (!e->target) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		p->cur.target = e->target;
		p->cur.target_markup = e->markup;
	}
	/* candidates: every match worth showing, but for an exact fill
	 * only the other ones */
	for (i = p->cur.quality == TM_XLIFF_EXACT && p->cur.target ? 1 : 0;
	     x && !p->o.dry_run && i < r.nmatches && ncand < p->o.alternatives;
	     i++) {
		const struct tm_match *c = &r.matches[i];
		char *sm = NULL, *tm = NULL;

		if (c->score < p->o.min_score)
			break;
		if ((rc = unit_markup(p, c->id, sl, tl, &sm, &tm, err)))
			goto done;
		rc = tm_xliff_add_candidate(x, xi, c->score, c->source, sm,
					    c->target, tm);
		free(sm);
		free(tm);
		if (rc) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		ncand++;
	}
	e->lev = p->cur;
	e->lev_band_only = 0;
done:
	tm_match_result_release(&r);
	return rc;
}

/* Counts a filled target in the analysis. */
static void count_fill(struct tm_pretr *p)
{
	if (p->cur.band == TM_BAND_CONTEXT)
		p->a.filled_context++;
	else if (p->cur.quality == TM_XLIFF_EXACT)
		p->a.filled_exact++;
	else
		p->a.filled_fuzzy++;
	if (p->cur.repeat)
		p->a.propagated++;
}

int tm_pretr_segment(struct tm_pretr *p, const char *source,
		     const struct tm_context *ctx, const char *source_lang,
		     const char *target_lang, const struct tm_leverage **out,
		     struct tolk_err *err)
{
	int rc = leverage(p, source, ctx,
			  source_lang ? source_lang : p->o.source_lang,
			  target_lang ? target_lang : p->o.target_lang, NULL, 0,
			  !p->o.dry_run, err);

	*out = &p->cur;
	if (!rc && p->cur.target)
		count_fill(p);
	return rc;
}

/* A read transaction on s's connection around many lookups of m: each
 * lookup (and each exact read) then joins it rather than taking the
 * database's locks, a few system calls each, of its own.  Nothing here
 * writes to the TM. */
static int snapshot_begin(struct tm_store *s, struct tm_matcher *m)
{
	int rc = tm_db_begin(tm_store_db(s), TM_DB_READ, NULL);

	if (!rc)
		tm_matcher_snapshot(m, 1);
	return rc;
}

static void snapshot_end(struct tm_store *s, struct tm_matcher *m)
{
	tm_matcher_snapshot(m, 0);
	/* a read's end: nothing to keep or lose */
	tm_db_rollback(tm_store_db(s));
}

/* A worker's side of pool_share: told that its store is open, waits
 * for the go, then makes its read's first step (sharing pl->sh when
 * there is one) and says so.  With m NULL (no store), only says so. */
static int pool_pin(struct pool *pl, struct tm_store *s, struct tm_matcher *m,
		    int *same)
{
	int reading = 0;

	pthread_mutex_lock(&pl->mu);
	pl->opened++;
	pthread_cond_broadcast(&pl->cv);
	while (!pl->go)
		pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	/* one read for all its lookups (when it cannot begin, each
	 * lookup reads on its own) */
	*same = 0;
	if (m && (reading = !snapshot_begin(s, m)) && pl->sh)
		*same = !tm_matcher_share(m, pl->sh, NULL);
	pthread_mutex_lock(&pl->mu);
	pl->pinned++;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	return reading;
}

static void *pool_main(void *arg)
{
	struct pool *pl = arg;
	struct tm_store *s = NULL;
	struct tm_matcher *m = NULL;
	struct tolk_err err;
	struct job *j;
	int reading = 0, same = 0;

	tolk_err_clear(&err);
	/* a worker that cannot open the store leaves its share to the
	 * pass, which then looks up itself */
	if (tm_store_open(&s, pl->path, TM_STORE_MUST_EXIST | TM_STORE_MAPPED,
			  &err) ||
	    tm_matcher_new(&m, s, &err)) {
		pool_pin(pl, NULL, NULL, &same);
		goto done;
	}
	reading = pool_pin(pl, s, m, &same);
	pthread_mutex_lock(&pl->mu);
	while ((j = next_pending(pl))) {
		pthread_mutex_unlock(&pl->mu);
		run_job(pl, s, m, same, j);
		pthread_mutex_lock(&pl->mu);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&pl->cv);
	}
	pthread_mutex_unlock(&pl->mu);
	if (reading)
		snapshot_end(s, m);
done:
	tm_matcher_free(m);
	tm_store_close(s);
	return NULL;
}

/* Starts the reads of the pass (reading: its own, begun on p->m) and of
 * the workers at one state of the database, so that they may share the
 * lists they keep: the workers' first reads and the pass's are made
 * while another connection holds the write lock, which no commit can
 * pass.  When the lock cannot be had at once (a writer at work, a file
 * that cannot be written, a server), each keeps its own. */
static void pool_share(struct tm_pretr *p, struct pool *pl, int reading)
{
	struct tm_db *lock = NULL;

	pthread_mutex_lock(&pl->mu);
	while (pl->opened < pl->nth)
		pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	if (reading && !tm_db_is_server(pl->path) &&
	    !tm_db_open(&lock, pl->path, TM_DB_MUST_EXIST, NULL)) {
		tm_db_set_busy_timeout(lock, 0);
		if (tm_db_begin(lock, TM_DB_WRITE, NULL) ||
		    tm_match_share_new(&pl->sh, NULL) ||
		    tm_matcher_share(p->m, pl->sh, NULL)) {
			tm_match_share_free(pl->sh);
			pl->sh = NULL;
		}
	}
	pthread_mutex_lock(&pl->mu);
	pl->go = 1;
	pthread_cond_broadcast(&pl->cv);
	while (pl->pinned < pl->nth)
		pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	/* a read's lock: nothing written */
	tm_db_close(lock);
}

static void pool_free(struct pool *pl)
{
	size_t i;

	if (!pl)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->stop = 1;
	pl->go = 1; /* workers waiting in pool_pin */
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < pl->nth; i++)
		pthread_join(pl->th[i], NULL);
	tm_match_share_free(pl->sh);
	pthread_cond_destroy(&pl->cv);
	pthread_mutex_destroy(&pl->mu);
	for (i = 0; i < pl->njobs; i++) {
		tm_match_result_release(&pl->jobs[i].r);
		free(pl->jobs[i].err);
	}
	free(pl->jobs);
	free(pl->seg_job);
	free(pl);
}

struct plan_key {
	char *key;
	int fill; /* 1 when its fill lookup is planned, 0 its band's */
};

/* The lookups the pass over x will make, in its order: for each source
 * first met (by its normalised text, as the repeat table keys it), the
 * fill's lookup, or the band's where no target may be written; and the
 * fill's of a source met again where a target may be written after
 * only its band was wanted.  What the TM has exactly is found by the
 * worker (run_job). */
static int pool_plan(struct tm_pretr *p, struct tm_xliff *x, struct pool *pl,
		     struct tolk_err *err)
{
	struct plan_key *tab;
	struct tolk_buf key = TOLK_BUF_INIT;
	size_t cap = 64, i, h;
	int rc = 0;

	while (cap < pl->nseg * 2)
		cap *= 2;
	if (!(tab = calloc(cap, sizeof(*tab))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < pl->nseg; i++) {
		const struct tm_xliff_seg *g = tm_xliff_segment(x, i);
		int fill = !p->o.dry_run && (!g->target || p->o.overwrite);
		struct job *j;

		pl->seg_job[i] = NO_JOB;
		if (g->locked)
			continue;
		tolk_buf_reset(&key);
		if ((rc = tolk_text_norm(g->source, strlen(g->source), &key,
					 err)) ||
		    (rc = tolk_buf_puts(&key, "")))
			goto done;
		/* an empty source is looked up at each occurrence */
		if (key.len) {
			h = hash(tolk_buf_str(&key)) & (cap - 1);
			while (tab[h].key &&
			       strcmp(tab[h].key, tolk_buf_str(&key)) != 0)
				h = (h + 1) & (cap - 1);
			if (tab[h].key && (tab[h].fill || !fill))
				continue;
			if (!tab[h].key &&
			    !(tab[h].key = strdup(tolk_buf_str(&key)))) {
				rc = tolk_err_set(err, TOLK_ENOMEM,
						  "out of memory");
				goto done;
			}
			tab[h].fill = fill;
		}
		j = &pl->jobs[pl->njobs];
		j->source = g->source;
		j->sl = g->source_lang ? g->source_lang : p->o.source_lang;
		j->tl = g->target_lang ? g->target_lang : p->o.target_lang;
		j->kind = fill ? JOB_FILL : JOB_BAND;
		j->best = -1;
		pl->seg_job[i] = pl->njobs++;
	}
done:
	for (i = 0; i < cap; i++)
		free(tab[i].key);
	free(tab);
	tolk_buf_free(&key);
	return rc;
}

/* Plans x's lookups and starts the workers; *out stays NULL where one
 * thread is all there is to it (then, or when a worker cannot start,
 * the pass looks up itself). */
static int pool_start(struct tm_pretr *p, struct tm_xliff *x, struct pool **out,
		      struct tolk_err *err)
{
	struct tm_db *db = tm_store_db(p->s);
	const char *path = tm_store_path(p->s);
	size_t n = tm_xliff_count(x), nth = p->o.threads;
	struct pool *pl;
	int rc;

	*out = NULL;
	/* workers see what is committed: not a caller's open transaction,
	 * nor a database only this connection has */
	if (nth < 2 || n < POOL_MIN_JOBS || !path || !*path ||
	    strcmp(path, ":memory:") == 0 || tm_db_depth(db) > 0)
		return 0;
	if (nth > THREADS_MAX)
		nth = THREADS_MAX;
	if (!(pl = calloc(1, sizeof(*pl))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv, NULL);
	pl->path = path;
	pl->o = &p->o;
	pl->nseg = n;
	if (!(pl->jobs = calloc(n, sizeof(*pl->jobs))) ||
	    !(pl->seg_job = malloc(n * sizeof(*pl->seg_job)))) {
		pool_free(pl);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	if ((rc = pool_plan(p, x, pl, err))) {
		pool_free(pl);
		return rc;
	}
	if (pl->njobs < POOL_MIN_JOBS) {
		pool_free(pl);
		return 0;
	}
	/* the pass's thread is one of them: it runs the lookups it reaches
	 * before a worker does */
	for (pl->nth = 0; pl->nth + 1 < nth; pl->nth++)
		if (pthread_create(&pl->th[pl->nth], NULL, pool_main, pl))
			break;
	*out = pl;
	return 0;
}

int tm_pretr_xliff(struct tm_pretr *p, struct tm_xliff *x, struct tolk_err *err)
{
	size_t i, n = tm_xliff_count(x);
	struct tm_context ctx;
	int rc = 0, reading = 0;

	if ((rc = pool_start(p, x, &p->pool, err)))
		return rc;
	/* after the workers' start: they refuse a connection in a
	 * transaction (theirs would not see its writes); a caller's own
	 * transaction may write, and is left as it is */
	if (tm_db_depth(tm_store_db(p->s)) == 0)
		reading = !snapshot_begin(p->s, p->m);
	if (p->pool)
		pool_share(p, p->pool, reading);

	for (i = 0; i < n && !rc; i++) {
		const struct tm_xliff_seg *g = tm_xliff_segment(x, i);
		const char *sl =
		    g->source_lang ? g->source_lang : p->o.source_lang;
		const char *tl =
		    g->target_lang ? g->target_lang : p->o.target_lang;

		if (p->o.progress)
			p->o.progress(p->o.progress_ctx, i, n);
		if (g->locked) {
			p->a.locked++;
			continue;
		}
		/* the neighbours in document order, as import stores them */
		if ((rc = tm_context_set(
			 &ctx,
			 i > 0 ? tm_xliff_segment(x, i - 1)->source : NULL,
			 i + 1 < n ? tm_xliff_segment(x, i + 1)->source : NULL,
			 err)))
			break;
		/* candidates only where a target may be written */
		p->seg = i;
		if ((rc = leverage(
			 p, g->source, &ctx, sl, tl,
			 !g->target || p->o.overwrite ? x : NULL, i,
			 !p->o.dry_run && (!g->target || p->o.overwrite), err)))
			break;
		if (g->target && !p->o.overwrite) {
			p->a.kept++;
			continue;
		}
		if (!p->cur.target)
			continue;
		count_fill(p);
		if (p->o.dry_run)
			continue;
		if (tm_xliff_fill(x, i, p->cur.target, p->cur.target_markup,
				  p->cur.quality, p->cur.score))
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		/* XLIFF has no context-match state: an exact match, and a
		 * note saying it is one (the 1.2 spec's state-qualifier
		 * list ends at exact-match) */
		else if (p->cur.band == TM_BAND_CONTEXT &&
			 tm_xliff_add_note(x, i, CONTEXT_NOTE))
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	p->seg = NO_JOB;
	/* the shared lists go with the pool */
	(void)tm_matcher_share(p->m, NULL, NULL);
	pool_free(p->pool);
	p->pool = NULL;
	if (reading)
		snapshot_end(p->s, p->m);
	return rc;
}
