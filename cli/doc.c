/* Loading a text for alignment: read, split into sentences, and viewed as
 * the aligner's input.  Shared by align and check --pair. */
#include "cli/cli.h"
#include "glossary/glossary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_doc_release(struct cli_doc *d)
{
	free(d->text);
	free(d->s);
	free(d->as);
}

const char *cli_shown_path(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cli_doc_load(struct cli_doc *d, const char *path, const char *lang,
		 const char *srx, int sentences, struct tolk_err *err)
{
	struct tm_segmenter *sg = NULL;
	size_t i;
	int rc;

	d->path = path;
	if ((rc = cli_read_file(path, &d->text, &d->len, err)))
		return rc;
	if (sentences) {
		rc = tm_segment_lines(d->text, d->len, &d->s, &d->n, err);
	} else {
		if ((rc = tm_segmenter_new(&sg, lang, srx, 0, err)))
			return rc;
		rc = tm_segment_text(sg, d->text, d->len, &d->s, &d->n, err);
		tm_segmenter_free(sg);
	}
	if (rc) {
		if (!*err->file)
			snprintf(err->file, sizeof(err->file), "%s",
				 cli_shown_path(path));
		return rc;
	}
	d->as = calloc(d->n + 1, sizeof(*d->as));
	if (!d->as)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < d->n; i++) {
		d->as[i].text = d->text + d->s[i].start;
		d->as[i].len = d->s[i].end - d->s[i].start;
		d->as[i].para = d->s[i].para;
	}
	return 0;
}

int cli_glossary_anchors(struct cli *cli, struct gl_entry **entries,
			 size_t *nentries, struct tm_align_term **terms,
			 size_t *nterms, struct tolk_err *err)
{
	struct tm_store *store = NULL;
	struct tm_align_term *t = NULL;
	size_t i, k = 0;
	int rc;

	*entries = NULL;
	*nentries = 0;
	*terms = NULL;
	*nterms = 0;
	rc = cli_open_store_quiet(cli, &store, err);
	if (rc || !store)
		return rc;
	rc = gl_term_load(store, entries, nentries, err);
	tm_store_close(store);
	if (rc)
		return rc;
	if (*nentries == 0)
		return 0;
	t = calloc(*nentries, sizeof(*t));
	if (!t)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < *nentries; i++) {
		if ((*entries)[i].napproved == 0)
			continue;
		t[k].nb = (*entries)[i].term;
		t[k].en = (*entries)[i].approved[0];
		k++;
	}
	*terms = t;
	*nterms = k;
	return 0;
}

void cli_glossary_anchors_free(struct gl_entry *entries, size_t nentries,
			       struct tm_align_term *terms)
{
	gl_entries_free(entries, nentries);
	free(terms);
}
