#include "glossary/check.h"
#include "glossary/gl_int.h"
#include "glossary/termmatch.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {
    "missing", "forbidden", "untranslated", "inconsistent", "number",
};

const char *gl_kind_name(enum gl_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (k == (enum gl_kind)(1u << i))
			return kind_names[i];
	return "?";
}

int gl_kinds_parse(const char *list, unsigned *mask, struct tolk_err *err)
{
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t len = strcspn(p, ","), i;
		int ok = 0;

		if (len == 3 && !strncmp(p, "all", 3)) {
			*mask |= GL_KIND_ALL;
			ok = 1;
		}
		for (i = 0; !ok && i < sizeof(kind_names) / sizeof(*kind_names);
		     i++) {
			if (strlen(kind_names[i]) == len &&
			    !strncmp(p, kind_names[i], len)) {
				*mask |= 1u << i;
				ok = 1;
			}
		}
		if (!ok)
			return tolk_err_set(
			    err, TOLK_EUSAGE,
			    "unknown kind '%.*s' (missing, forbidden, "
			    "untranslated, inconsistent, number, all)",
			    (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*mask)
		return tolk_err_set(err, TOLK_EUSAGE, "no kinds given");
	return 0;
}

struct rendering {
	size_t entry;
	int forbidden;
};

struct gl_check {
	const struct gl_entry *v;
	size_t n;
	unsigned kinds;
	gl_finding_fn fn;
	void *ctx;
	struct gl_matcher *nb, *en;
	struct rendering *r;
	size_t nr;
	unsigned char *self_render;
	struct gl_text *src, *tgt;
	struct gl_hits hs, hen, hnb;
	/* per entry (or rendering): number of the segment where it was last
	 * seen, so that nothing needs clearing between segments */
	size_t seg;
	size_t *approved_at, *forbidden_at, *untrans_at, *untrans_hit,
	    *reported_at, *rendering_at;
	/* inconsistent: first translation of each normalised source */
	struct gl_strmap firsts;
	char **first_target, **first_where;
	size_t nfirst, capfirst;
	struct tolk_buf ns, nt, scratch, where;
	size_t findings;
	unsigned find_flags;
	char *file;
	char src_lang[TOLK_LANG_MAX], tgt_lang[TOLK_LANG_MAX];
};

static int add_rendering(struct gl_check *c, size_t entry, int forbidden,
			 const char *text, struct tolk_err *err)
{
	/* Forbidden variants are caught in any case ("The Storting"), but
	 * an acronym only in capitals: a forbidden "PM" is not "2 pm". */
	enum gl_case cs = !forbidden		       ? GL_CASE_INITIAL
			  : gl_term_default_case(text) ? GL_CASE_EXACT
						       : GL_CASE_ANY;
	int rc = gl_matcher_add(c->en, text, cs, c->nr, err);

	if (rc == TOLK_EINPUT)
		return 0; /* a rendering without words cannot be found */
	if (rc)
		return rc;
	/* A leading article of an approved rendering is optional: "the
	 * Government" is also right in "the Støre Government" and
	 * "Government policy". */
	if (!forbidden) {
		static const char *const articles[] = {"the ", "a ", "an "};
		size_t i;

		for (i = 0; i < 3; i++) {
			size_t l = strlen(articles[i]);

			if (strncasecmp(text, articles[i], l) != 0)
				continue;
			rc = gl_matcher_add(c->en, text + l, cs, c->nr, err);
			if (rc && rc != TOLK_EINPUT)
				return rc;
			break;
		}
	}
	c->r[c->nr].entry = entry;
	c->r[c->nr].forbidden = forbidden;
	c->nr++;
	return 0;
}

int gl_check_new(struct gl_check **out, const struct gl_entry *v, size_t n,
		 unsigned kinds, gl_finding_fn fn, void *ctx,
		 struct tolk_err *err)
{
	struct gl_check *c = calloc(1, sizeof(*c));
	size_t i, k, nr = 0;
	int rc;

	*out = NULL;
	if (!c)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	c->v = v;
	c->n = n;
	c->kinds = kinds;
	c->fn = fn;
	c->ctx = ctx;
	snprintf(c->src_lang, sizeof(c->src_lang), "nb");
	snprintf(c->tgt_lang, sizeof(c->tgt_lang), "en");
	for (i = 0; i < n; i++)
		nr += v[i].napproved + v[i].nforbidden;
	if ((rc = gl_matcher_new(&c->nb, GL_LANG_NB, err)) ||
	    (rc = gl_matcher_new(&c->en, GL_LANG_EN, err)) ||
	    (rc = gl_text_new(&c->src, err)) ||
	    (rc = gl_text_new(&c->tgt, err)))
		goto fail;
	c->r = calloc(nr + 1, sizeof(*c->r));
	c->rendering_at = calloc(nr + 1, sizeof(size_t));
	c->self_render = calloc(n + 1, 1);
	c->approved_at = calloc(n + 1, sizeof(size_t));
	c->forbidden_at = calloc(n + 1, sizeof(size_t));
	c->untrans_at = calloc(n + 1, sizeof(size_t));
	c->untrans_hit = calloc(n + 1, sizeof(size_t));
	c->reported_at = calloc(n + 1, sizeof(size_t));
	if (!c->r || !c->rendering_at || !c->self_render || !c->approved_at ||
	    !c->forbidden_at || !c->untrans_at || !c->untrans_hit ||
	    !c->reported_at) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		rc = gl_matcher_add(
		    c->nb, v[i].term,
		    v[i].case_sensitive ? GL_CASE_EXACT : GL_CASE_ANY, i, err);
		if (rc && rc != TOLK_EINPUT)
			goto fail;
		for (k = 0; k < v[i].napproved; k++)
			if ((rc =
				 add_rendering(c, i, 0, v[i].approved[k], err)))
				goto fail;
		for (k = 0; k < v[i].nforbidden; k++)
			if ((rc = add_rendering(c, i, 1, v[i].forbidden[k],
						err)))
				goto fail;
	}
	/* A term whose approved rendering contains it (NTB -> news bureau
	 * NTB, Norges Bank -> Norges Bank) is never "untranslated". */
	for (i = 0; i < n; i++) {
		for (k = 0; k < v[i].napproved && !c->self_render[i]; k++) {
			size_t h;

			if (gl_text_set(c->tgt, v[i].approved[k],
					strlen(v[i].approved[k]), NULL) ||
			    gl_matcher_find(c->nb, c->tgt, GL_FIND_ALL, &c->hnb,
					    NULL))
				continue;
			for (h = 0; h < c->hnb.n; h++)
				if (c->hnb.v[h].tag == i)
					c->self_render[i] = 1;
		}
	}
	*out = c;
	return 0;
fail:
	gl_check_free(c);
	return rc;
}

void gl_check_free(struct gl_check *c)
{
	size_t i;

	if (!c)
		return;
	gl_matcher_free(c->nb);
	gl_matcher_free(c->en);
	gl_text_free(c->src);
	gl_text_free(c->tgt);
	gl_hits_release(&c->hs);
	gl_hits_release(&c->hen);
	gl_hits_release(&c->hnb);
	free(c->r);
	free(c->rendering_at);
	free(c->self_render);
	free(c->approved_at);
	free(c->forbidden_at);
	free(c->untrans_at);
	free(c->untrans_hit);
	free(c->reported_at);
	gl_strmap_release(&c->firsts);
	for (i = 0; i < c->nfirst; i++) {
		free(c->first_target[i]);
		free(c->first_where[i]);
	}
	free(c->first_target);
	free(c->first_where);
	tolk_buf_free(&c->ns);
	tolk_buf_free(&c->nt);
	tolk_buf_free(&c->scratch);
	tolk_buf_free(&c->where);
	free(c->file);
	free(c);
}

size_t gl_check_findings(const struct gl_check *c)
{
	return c->findings;
}

int gl_check_set_file(struct gl_check *c, const char *file)
{
	char *f = strdup(file);

	if (!f)
		return TOLK_ENOMEM;
	free(c->file);
	c->file = f;
	return 0;
}

void gl_check_set_compounds(struct gl_check *c, int on)
{
	c->find_flags = on ? GL_FIND_COMPOUNDS : 0;
}

int gl_check_set_langs(struct gl_check *c, const char *src, const char *tgt)
{
	if (tolk_lang_canon(src, c->src_lang, sizeof(c->src_lang)) ||
	    tolk_lang_canon(tgt, c->tgt_lang, sizeof(c->tgt_lang)))
		return TOLK_EINPUT;
	return 0;
}

static int emit(struct gl_check *c, struct gl_finding *f)
{
	c->findings++;
	f->source = gl_text_str(c->src);
	f->target = gl_text_str(c->tgt);
	return c->fn(c->ctx, f);
}

/* NUL-terminated copy of the target span, valid until the next call. */
static const char *span(struct gl_check *c, const struct gl_text *t, size_t a,
			size_t b)
{
	tolk_buf_reset(&c->scratch);
	if (tolk_buf_append(&c->scratch, gl_text_str(t) + a, b - a))
		return "";
	return tolk_buf_str(&c->scratch);
}

static void src_span(struct gl_check *c, size_t entry, struct gl_finding *f)
{
	size_t h;

	for (h = 0; h < c->hs.n; h++) {
		if (c->hs.v[h].tag == entry) {
			f->src_start = c->hs.v[h].start;
			f->src_end = c->hs.v[h].end;
			return;
		}
	}
}

/* A forbidden hit inside an approved hit of the same entry is part of
 * the approved rendering, not a use of the forbidden one. */
static int inside_approved(const struct gl_check *c, const struct gl_hit *x)
{
	size_t h;

	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *y = &c->hen.v[h];

		if (!c->r[y->tag].forbidden &&
		    c->r[y->tag].entry == c->r[x->tag].entry &&
		    y->start <= x->start && x->end <= y->end)
			return 1;
	}
	return 0;
}

static int check_terms(struct gl_check *c, const struct gl_segment *s,
		       struct tolk_err *err)
{
	size_t h, seg = c->seg;
	int rc;

	if ((rc = gl_matcher_find(c->nb, c->src, c->find_flags, &c->hs, err)) ||
	    (rc = gl_matcher_find(c->en, c->tgt, GL_FIND_ALL, &c->hen, err)))
		return rc;
	for (h = 0; h < c->hen.n; h++) {
		const struct rendering *r = &c->r[c->hen.v[h].tag];

		if (!r->forbidden)
			c->approved_at[r->entry] = seg;
	}
	if (c->kinds & GL_KIND_UNTRANSLATED) {
		if ((rc = gl_matcher_find(c->nb, c->tgt, GL_FIND_ALL, &c->hnb,
					  err)))
			return rc;
		for (h = 0; h < c->hnb.n; h++) {
			size_t e = c->hnb.v[h].tag;

			if (c->untrans_at[e] != seg) {
				c->untrans_at[e] = seg;
				c->untrans_hit[e] = h;
			}
		}
	}
	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *x = &c->hen.v[h];
		const struct rendering *r = &c->r[x->tag];
		const struct gl_entry *e = &c->v[r->entry];
		struct gl_finding f = {0};

		if (!r->forbidden || c->rendering_at[x->tag] == seg ||
		    inside_approved(c, x))
			continue;
		c->rendering_at[x->tag] = seg;
		c->forbidden_at[r->entry] = seg;
		if (!(c->kinds & GL_KIND_FORBIDDEN))
			continue;
		f.kind = GL_KIND_FORBIDDEN;
		f.seg = s;
		f.term = e->term;
		f.expected = (const char *const *)e->approved;
		f.nexpected = e->napproved;
		f.found = span(c, c->tgt, x->start, x->end);
		f.note = e->note;
		src_span(c, r->entry, &f);
		f.tgt_start = x->start;
		f.tgt_end = x->end;
		if ((rc = emit(c, &f)))
			return rc;
	}
	for (h = 0; h < c->hs.n; h++) {
		size_t ei = c->hs.v[h].tag;
		const struct gl_entry *e = &c->v[ei];
		struct gl_finding f = {0};

		if (c->reported_at[ei] == seg || c->approved_at[ei] == seg ||
		    c->forbidden_at[ei] == seg)
			continue;
		c->reported_at[ei] = seg;
		f.seg = s;
		f.term = e->term;
		f.expected = (const char *const *)e->approved;
		f.nexpected = e->napproved;
		f.note = e->note;
		f.src_start = c->hs.v[h].start;
		f.src_end = c->hs.v[h].end;
		if ((c->kinds & GL_KIND_UNTRANSLATED) &&
		    c->untrans_at[ei] == seg && !c->self_render[ei]) {
			const struct gl_hit *y = &c->hnb.v[c->untrans_hit[ei]];

			f.kind = GL_KIND_UNTRANSLATED;
			f.found = span(c, c->tgt, y->start, y->end);
			f.tgt_start = y->start;
			f.tgt_end = y->end;
		} else if (c->kinds & GL_KIND_MISSING) {
			f.kind = GL_KIND_MISSING;
		} else {
			continue;
		}
		if ((rc = emit(c, &f)))
			return rc;
	}
	return 0;
}

struct number_ctx {
	struct gl_check *c;
	const struct gl_segment *s;
};

static int number_cb(void *ctx, const char *written, size_t start, size_t end,
		     const char *english)
{
	struct number_ctx *nc = ctx;
	struct gl_finding f = {0};
	const char *exp[1];

	exp[0] = english;
	f.kind = GL_KIND_NUMBER;
	f.seg = nc->s;
	f.term = written;
	f.expected = exp;
	f.nexpected = english && *english ? 1 : 0;
	f.src_start = start;
	f.src_end = end;
	return emit(nc->c, &f);
}

static const char *where(struct gl_check *c, const struct gl_segment *s)
{
	tolk_buf_reset(&c->where);
	if (s->line)
		tolk_buf_printf(&c->where, "%s:%lu", s->file ? s->file : "",
				s->line);
	else
		tolk_buf_printf(&c->where, "%s#%s", s->file ? s->file : "",
				s->unit ? s->unit : "?");
	return tolk_buf_str(&c->where);
}

static int check_consistency(struct gl_check *c, const struct gl_segment *s,
			     struct tolk_err *err)
{
	size_t idx;
	int rc;

	tolk_buf_reset(&c->ns);
	tolk_buf_reset(&c->nt);
	if ((rc = tolk_text_norm(s->source, strlen(s->source), &c->ns, err)) ||
	    (rc = tolk_text_norm(s->target, strlen(s->target), &c->nt, err)))
		return rc;
	if (c->ns.len == 0 || c->nt.len == 0)
		return 0;
	if (gl_strmap_get(&c->firsts, c->ns.data, c->ns.len, &idx)) {
		struct gl_finding f = {0};
		const char *exp[1];

		if (strcmp(c->first_target[idx], c->nt.data) == 0)
			return 0;
		exp[0] = c->first_target[idx];
		f.kind = GL_KIND_INCONSISTENT;
		f.seg = s;
		f.expected = exp;
		f.nexpected = 1;
		f.found = s->target;
		f.note = c->first_where[idx];
		return emit(c, &f);
	}
	if (c->nfirst == c->capfirst) {
		size_t cap = c->capfirst ? c->capfirst * 2 : 256;
		char **a = realloc(c->first_target, cap * sizeof(*a));
		char **b;

		if (a)
			c->first_target = a;
		b = realloc(c->first_where, cap * sizeof(*b));
		if (b)
			c->first_where = b;
		if (!a || !b)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		c->capfirst = cap;
	}
	c->first_target[c->nfirst] = strdup(c->nt.data);
	c->first_where[c->nfirst] = strdup(where(c, s));
	if (!c->first_target[c->nfirst] || !c->first_where[c->nfirst] ||
	    gl_strmap_put(&c->firsts, c->ns.data, c->ns.len, c->nfirst)) {
		free(c->first_target[c->nfirst]);
		free(c->first_where[c->nfirst]);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	c->nfirst++;
	return 0;
}

int gl_check_segment(struct gl_check *c, const struct gl_segment *s,
		     struct tolk_err *err)
{
	int rc;

	c->seg++;
	if ((rc = gl_text_set(c->src, s->source, strlen(s->source), err)) ||
	    (rc = gl_text_set(c->tgt, s->target, strlen(s->target), err))) {
		if (err && s->line)
			err->line = s->line;
		if (err && s->file)
			snprintf(err->file, sizeof(err->file), "%s", s->file);
		return rc;
	}
	if ((c->kinds &
	     (GL_KIND_MISSING | GL_KIND_FORBIDDEN | GL_KIND_UNTRANSLATED)) &&
	    c->n && (rc = check_terms(c, s, err)))
		return rc;
	if (c->kinds & GL_KIND_NUMBER) {
		struct number_ctx nc = {c, s};

		if ((rc = gl_numbers_missing(gl_text_str(c->src),
					     gl_text_str(c->tgt), number_cb,
					     &nc)))
			return rc;
	}
	if ((c->kinds & GL_KIND_INCONSISTENT) &&
	    (rc = check_consistency(c, s, err)))
		return rc;
	return 0;
}

int gl_check_tmx_unit(void *check, const struct tm_unit *u, unsigned long line,
		      struct tolk_err *err)
{
	struct gl_check *c = check;
	struct gl_segment s = {0};
	size_t si = tm_unit_find_variant(u, c->src_lang), ti;
	size_t i;

	if (si == TM_UNIT_LEVEL)
		return 0;
	ti = TM_UNIT_LEVEL;
	for (i = 0; i < tm_unit_variant_count(u); i++) {
		if (i != si &&
		    tolk_lang_same(tm_unit_variant_lang(u, i), c->tgt_lang)) {
			ti = i;
			break;
		}
	}
	if (ti == TM_UNIT_LEVEL)
		return 0;
	s.file = c->file;
	s.line = line;
	s.unit = tm_unit_attr(u, "tuid");
	s.source = tm_unit_variant_text(u, si);
	s.target = tm_unit_variant_text(u, ti);
	return gl_check_segment(c, &s, err);
}
