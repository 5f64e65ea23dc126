/* Benchmark of the fuzzy matcher: builds a TM of N synthetic Norwegian
 * news and software sentences through tm_store_add (one transaction),
 * then times lookups of queries made by editing stored units against
 * brute force (TM_MATCH_EXHAUSTIVE), and checks that the index finds
 * everything brute force finds.
 *
 *   match_bench DB UNITS QUERIES EXHAUSTIVE_QUERIES [SEED]
 *
 * With MATCH_BENCH_TSV=FILE the units are FILE's lines (source TAB
 * target) instead, in the languages of MATCH_BENCH_SRC and MATCH_BENCH_TGT
 * (default nb, en), and UNITS is ignored.
 *
 * Prints one line of key=value figures. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BENCH_NAME "match_bench"
#include "bench/bench.h"
#include "tm/match.h"
#include "tm/store.h"
#include "tm/unit.h"

static uint64_t rng;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rnd(unsigned n)
{
	return (unsigned)(next() % n);
}

/* Most frequent first: function words, then common content words. */
static const char *const common[] = {
    "i",	   "og",
    "det",	   "er",
    "på",	   "som",
    "en",	   "til",
    "av",	   "for",
    "at",	   "med",
    "å",	   "ikke",
    "har",	   "de",
    "var",	   "om",
    "han",	   "seg",
    "den",	   "sier",
    "et",	   "fra",
    "kan",	   "vil",
    "skal",	   "også",
    "etter",	   "men",
    "mot",	   "ved",
    "blir",	   "år",
    "nå",	   "så",
    "hun",	   "da",
    "under",	   "eller",
    "over",	   "må",
    "hadde",	   "ble",
    "bare",	   "mer",
    "andre",	   "inn",
    "nye",	   "enn",
    "alle",	   "denne",
    "norske",	   "kroner",
    "prosent",	   "ut",
    "opp",	   "sin",
    "sine",	   "sitt",
    "hvor",	   "når",
    "hva",	   "dette",
    "disse",	   "mange",
    "første",	   "siste",
    "store",	   "godt",
    "mellom",	   "uten",
    "før",	   "mens",
    "regjeringen", "Norge",
    "Oslo",	   "kommunen",
    "politiet",	   "saken",
    "landet",	   "statsministeren",
    "Støre",	   "Stortinget",
    "folk",	   "barn",
    "elever",	   "skolen",
    "sykehuset",   "pasienter",
    "bilen",	   "veien",
    "været",	   "regn",
    "snø",	   "sentrum",
    "butikken",	   "prisene",
    "økte",	   "millioner",
    "milliarder",  "onsdag",
    "torsdag",	   "fredag",
    "mandag",	   "tirsdag",
    "helgen",	   "morgen",
    "kveld",	   "NRK",
    "NTB",	   "Bergen",
    "Trondheim",   "Stavanger",
    "Tromsø",	   "Ukraina",
    "Russland",	   "EU",
    "USA",	   "president",
    "ministeren",  "ledere",
    "møtet",	   "støtte",
    "penger",	   "arbeid",
    "bedriften",   "ansatte",
    "lønn",	   "strøm",
    "huset",	   "boliger",
    "familien",	   "kvinne",
    "mann",	   "ulykken",
    "brannen",	   "fylket",
    "byen",	   "tiden",
    "spørsmål",	   "forslaget",
    "budsjettet",  "filen",
    "mappen",	   "innstillinger",
    "lagre",	   "åpne",
    "lukk",	   "slett",
    "avbryt",	   "knappen",
    "brukeren",	   "passord",
    "kontoen",	   "velg",
    "klikk",	   "siden",
    "feil",	   "oppdatering",
    "versjon",	   "tilgang",
    "melding",	   "vinduet",
    "programmet",  "endringer",
    "nettleseren", "skriv",
    "inn",	   "navn",
    "e-post",	   "adresse",
    "last",	   "ned",
};

/* Stems of the long tail: Norwegian compounds of two stems, inflected. */
static const char *const stems[] = {
    "sikkerhet", "garanti",	"arbeid",   "plass",	 "skole",
    "elev",	 "lærer",	"helse",    "tjeneste",	 "sykehus",
    "lege",	 "vakt",	"by",	    "styre",	 "kommune",
    "valg",	 "kamp",	"rente",    "bank",	 "bolig",
    "marked",	 "pris",	"vekst",    "strøm",	 "nett",
    "leie",	 "kraft",	"verk",	    "vei",	 "trafikk",
    "ulykke",	 "brann",	"politi",   "distrikt",	 "fylke",
    "mann",	 "barne",	"hage",	    "foreldre",	 "penge",
    "støtte",	 "ordning",	"nærings",  "liv",	 "olje",
    "fond",	 "skatt",	"avgift",   "tollet",	 "grense",
    "forsvar",	 "militær",	"øvelse",   "regjering", "parti",
    "leder",	 "stortings",	"møte",	    "forslag",	 "budsjett",
    "klima",	 "utslipp",	"miljø",    "vern",	 "fiske",
    "båt",	 "havn",	"fjell",    "tur",	 "sti",
    "vær",	 "varsel",	"storm",    "flom",	 "skred",
    "fare",	 "bruker",	"konto",    "passord",	 "fil",
    "mappe",	 "innstilling", "meny",	    "knapp",	 "side",
    "vindu",	 "tekst",	"felt",	    "liste",	 "tabell",
    "rapport",	 "feil",	"melding",  "data",	 "base",
    "server",	 "tilkobling",	"nøkkel",   "kode",	 "program",
    "versjon",	 "oppdatering", "lagring",  "utskrift",	 "bilde",
    "lyd",	 "video",	"kamera",   "mobil",	 "telefon",
    "nummer",	 "adresse",	"post",	    "kontor",	 "bygg",
    "prosjekt",	 "plan",	"kontrakt", "anbud",	 "selskap",
    "eier",	 "aksje",	"kurs",	    "handel",	 "butikk",
    "vare",	 "mat",		"kjøtt",    "fisk",	 "melk",
    "brød",	 "frukt",
};

static const char *const suffix[] = {"", "en", "et", "ene", "er", "s"};

static const char *const english[] = {
    "the",	"of",	    "and",	  "to",	       "in",	   "a",
    "is",	"that",	    "for",	  "on",	       "with",	   "as",
    "was",	"at",	    "by",	  "it",	       "from",	   "will",
    "has",	"are",	    "government", "Norway",    "police",   "meeting",
    "leaders",	"support",  "school",	  "hospital",  "prices",   "weather",
    "file",	"folder",   "save",	  "open",      "close",	   "delete",
    "cancel",	"button",   "user",	  "password",  "account",  "settings",
    "message",	"window",   "program",	  "changes",   "security", "guarantee",
    "budget",	"proposal", "climate",	  "emissions", "company",  "market",
    "interest", "rate",	    "housing",	  "power",     "road",
};

#define VOCAB 60000

static char **vocab;
static size_t nvocab;
static double *cdf;

static void build_vocab(void)
{
	size_t nc = sizeof(common) / sizeof(common[0]);
	size_t ns = sizeof(stems) / sizeof(stems[0]), i, j, k;
	double sum = 0;

	vocab = malloc(VOCAB * sizeof(*vocab));
	cdf = malloc(VOCAB * sizeof(*cdf));
	for (i = 0; i < nc; i++)
		vocab[nvocab++] = strdup(common[i]);
	for (k = 0; k < 6 && nvocab < VOCAB; k++)
		for (i = 0; i < ns && nvocab < VOCAB; i++)
			for (j = 0; j < ns && nvocab < VOCAB; j++) {
				/* spread stems over the ranks */
				size_t a = (i * 7 + k) % ns,
				       b = (j * 13 + i) % ns;
				char w[128];

				if (a == b)
					continue;
				snprintf(w, sizeof(w), "%s%s%s", stems[a],
					 stems[b], suffix[(i + j + k) % 6]);
				vocab[nvocab++] = strdup(w);
			}
	/* Zipf, exponent 1 */
	for (i = 0; i < nvocab; i++) {
		sum += 1.0 / (double)(i + 1);
		cdf[i] = sum;
	}
	for (i = 0; i < nvocab; i++)
		cdf[i] /= sum;
}

static const char *zipf_word(void)
{
	double u = (double)(next() >> 11) / 9007199254740992.0;
	size_t lo = 0, hi = nvocab - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return vocab[lo];
}

static void append(char *out, size_t cap, const char *s)
{
	size_t l = strlen(out);

	snprintf(out + l, cap - l, "%s", s);
}

static void number(char *out, size_t cap)
{
	char n[64];

	switch (rnd(5)) {
	case 0:
		snprintf(n, sizeof(n), "%u", 1990 + rnd(36));
		break;
	case 1:
		snprintf(n, sizeof(n), "%u", 2 + rnd(98));
		break;
	case 2:
		snprintf(n, sizeof(n), "%u %03u", 1 + rnd(99), rnd(1000));
		break;
	case 3:
		snprintf(n, sizeof(n), "%u,%u", rnd(20), 1 + rnd(9));
		break;
	default:
		snprintf(n, sizeof(n), "%u", 100 + rnd(900));
	}
	append(out, cap, n);
}

/* A news sentence (lengths 4-40 words, mean about 15) or a software
 * string (1-8 words, sometimes with a placeholder or tag). */
static void sentence(char *out, size_t cap)
{
	unsigned n, i;
	int sw = rnd(10) < 3;

	out[0] = '\0';
	if (sw) {
		n = 1 + rnd(4) + rnd(4);
	} else {
		n = 4 + rnd(8) + rnd(8) + rnd(8) + rnd(6);
		if (rnd(5) == 0)
			n += rnd(12);
	}
	for (i = 0; i < n; i++) {
		char w[160];

		if (i)
			append(out, cap, " ");
		if (!sw && rnd(100) < 5) {
			number(out, cap);
			continue;
		}
		if (sw && rnd(100) < 6) {
			append(out, cap, rnd(2) ? "{0}" : "%s");
			continue;
		}
		snprintf(w, sizeof(w), "%s", zipf_word());
		if (i == 0 && w[0] >= 'a' && w[0] <= 'z')
			w[0] = (char)(w[0] - 32);
		append(out, cap, w);
		if (!sw && i + 1 < n && rnd(100) < 6)
			append(out, cap, ",");
	}
	if (!sw)
		append(out, cap, ".");
	else if (rnd(4) == 0)
		append(out, cap, ":");
}

static void translate(const char *src, char *out, size_t cap)
{
	size_t n = 1, i;

	for (i = 0; src[i]; i++)
		n += src[i] == ' ';
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			append(out, cap, " ");
		append(out, cap,
		       english[(i * 31 + strlen(src)) %
			       (sizeof(english) / sizeof(english[0]))]);
	}
	append(out, cap, ".");
}

/* ---- queries ------------------------------------------------------------ */

static size_t split(char *s, char **w, size_t max)
{
	size_t n = 0;
	char *p = strtok(s, " ");

	while (p && n < max) {
		w[n++] = p;
		p = strtok(NULL, " ");
	}
	return n;
}

/* kinds: 0 word dropped, 1 replaced, 2 reordered, 3 number changed,
 * 4 two sentences joined, 5 a new sentence (usually no match) */
static void make_query(int kind, const char *a, const char *b, char *out,
		       size_t cap)
{
	char buf[4096], *w[512], num[64];
	size_t n, i, k;

	snprintf(buf, sizeof(buf), "%s", a);
	n = split(buf, w, 512);
	out[0] = '\0';
	switch (kind) {
	case 0:
		if (n > 1) {
			k = rnd((unsigned)n);
			memmove(&w[k], &w[k + 1], (n - k - 1) * sizeof(*w));
			n--;
		}
		break;
	case 1:
		w[rnd((unsigned)n)] = (char *)zipf_word();
		break;
	case 2:
		if (n > 2) {
			char *t;

			k = rnd((unsigned)n - 1);
			t = w[k];
			w[k] = w[k + 1];
			w[k + 1] = t;
		}
		break;
	case 3:
		for (k = 0; k < n; k++)
			if (w[k][0] >= '0' && w[k][0] <= '9')
				break;
		num[0] = '\0';
		number(num, sizeof(num));
		w[k < n ? k : rnd((unsigned)n)] = num;
		break;
	case 4:
		for (i = 0; i < n; i++) {
			append(out, cap, i ? " " : "");
			append(out, cap, w[i]);
		}
		append(out, cap, " ");
		append(out, cap, b);
		return;
	default:
		sentence(out, cap);
		return;
	}
	for (i = 0; i < n; i++) {
		append(out, cap, i ? " " : "");
		append(out, cap, w[i]);
	}
}

static char **tsv;
static const char *slang = "nb", *tlang = "en";

/* Lines "source TAB target" of path, the tab made a NUL. */
static size_t load_tsv(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, n = 0, ncap = 0;
	ssize_t len;

	if (!f)
		return 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *tab;

		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!(tab = strchr(line, '\t')) || tab == line || !tab[1])
			continue;
		*tab = '\0';
		if (n == ncap) {
			ncap = ncap ? 2 * ncap : 1024;
			tsv = realloc(tsv, ncap * sizeof(*tsv));
		}
		tsv[n] = malloc((size_t)len + 1);
		memcpy(tsv[n], line, (size_t)len + 1);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	struct tm_store *s = NULL;
	struct tm_matcher *m = NULL;
	struct tolk_err err;
	struct stat sb;
	size_t units, nq, nex, i, k, *pick;
	char **qsrc, src[4096], tgt[8192];
	double t0, t_add, t_reindex, *lat, sum_ix = 0, sum_ex = 0;
	size_t found_ix = 0, found_ex = 0, cand = 0, exact_ok = 0;
	size_t ex_done = 0, hits = 0, edited = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: match_bench DB UNITS QUERIES "
				"EXHAUSTIVE [SEED]\n");
		return 2;
	}
	units = strtoul(argv[2], NULL, 10);
	if (getenv("MATCH_BENCH_TSV"))
		units = load_tsv(getenv("MATCH_BENCH_TSV"));
	if (getenv("MATCH_BENCH_SRC"))
		slang = getenv("MATCH_BENCH_SRC");
	if (getenv("MATCH_BENCH_TGT"))
		tlang = getenv("MATCH_BENCH_TGT");
	if (units == 0) {
		fprintf(stderr, "match_bench: no units\n");
		return 2;
	}
	nq = strtoul(argv[3], NULL, 10);
	nex = strtoul(argv[4], NULL, 10);
	rng = argc > 5 ? strtoull(argv[5], NULL, 10) : 88172645463325252ULL;
	if (!rng)
		rng = 1;
	tolk_err_clear(&err);
	build_vocab();
	pick = malloc((2 * nq + 1) * sizeof(*pick));
	qsrc = calloc(units + 1, sizeof(*qsrc));
	lat = malloc((nq + 1) * sizeof(*lat));
	for (i = 0; i < 2 * nq; i++)
		pick[i] = rnd((unsigned)units);
	for (i = 0; i < 2 * nq; i++)
		qsrc[pick[i]] = (char *)"";

	if (tm_store_open(&s, argv[1], 0, &err))
		return die("open", &err);
	t0 = now();
	if (tm_store_begin(s, &err))
		return die("begin", &err);
	for (i = 0; i < units; i++) {
		struct tm_unit *u = NULL;

		if (tsv) {
			snprintf(src, sizeof(src), "%s", tsv[i]);
			snprintf(tgt, sizeof(tgt), "%s",
				 tsv[i] + strlen(tsv[i]) + 1);
		} else {
			sentence(src, sizeof(src));
			translate(src, tgt, sizeof(tgt));
		}
		if (qsrc[i])
			qsrc[i] = strdup(src);
		if (tm_unit_new(&u) || tm_unit_set_attr(u, "srclang", slang) ||
		    tm_unit_add_variant(u, slang, src, NULL, NULL, &err) ||
		    tm_unit_add_variant(u, tlang, tgt, NULL, NULL, &err) ||
		    tm_store_add(s, u, TM_DUP_KEEP, NULL, NULL, &err))
			return die("add", &err);
		tm_unit_free(u);
	}
	if (tm_store_commit(s, &err))
		return die("commit", &err);
	t_add = now() - t0;
	t0 = now();
	if (tm_match_reindex(s, NULL, NULL, &err))
		return die("reindex", &err);
	t_reindex = now() - t0;
	tm_store_close(s);
	stat(argv[1], &sb);
	/* a fresh connection, as a lookup process would have */
	if (tm_store_open(&s, argv[1], TM_STORE_MUST_EXIST, &err) ||
	    tm_matcher_new(&m, s, &err))
		return die("open", &err);
	for (i = 0; i < nq; i++) {
		struct tm_match_opts o = {slang, tlang, 70, 5, 0};
		struct tm_match_result ix, ex;
		char q[8192];
		int kind = (int)(i % 6);
		double t;

		make_query(kind, qsrc[pick[2 * i]], qsrc[pick[2 * i + 1]], q,
			   sizeof(q));
		t = now();
		if (tm_match_lookup(m, q, &o, &ix, &err))
			return die("lookup", &err);
		lat[i] = now() - t;
		if (getenv("MATCH_BENCH_SLOW") &&
		    lat[i] * 1e3 > atof(getenv("MATCH_BENCH_SLOW")))
			fprintf(stderr, "slow %.1f ms kind %d cand %zu [%s]\n",
				lat[i] * 1e3, kind, ix.candidates, q);
		cand += ix.candidates;
		hits += ix.nmatches > 0;
		/* the query's own unit (or an equal one) comes first */
		/* the unit the query was made from is a best match, when it
		 * reaches 70 at all */
		if (kind < 4) {
			int own;

			if (tm_match_score(m, q, qsrc[pick[2 * i]], &own, &err))
				return die("score", &err);
			if (own >= 70) {
				edited++;
				exact_ok +=
				    ix.nmatches && ix.matches[0].score == own;
			}
		}
		tm_match_result_release(&ix);
		if (i >= nex)
			continue;
		/* recall over every match >= 70, not just the first five */
		o.limit = 0;
		t = now();
		if (tm_match_lookup(m, q, &o, &ix, &err))
			return die("lookup", &err);
		sum_ix += now() - t;
		o.flags = TM_MATCH_EXHAUSTIVE;
		t = now();
		if (tm_match_lookup(m, q, &o, &ex, &err))
			return die("exhaustive lookup", &err);
		sum_ex += now() - t;
		ex_done++;
		for (k = 0; k < ex.nmatches; k++) {
			size_t j;

			found_ex++;
			for (j = 0; j < ix.nmatches; j++)
				if (ix.matches[j].id == ex.matches[k].id &&
				    ix.matches[j].score == ex.matches[k].score)
					break;
			found_ix += j < ix.nmatches;
		}
		for (k = 0; k < ex.npartial; k++) {
			size_t j;

			found_ex++;
			for (j = 0; j < ix.npartial; j++)
				if (ix.partial[j].id == ex.partial[k].id)
					break;
			found_ix += j < ix.npartial;
		}
		tm_match_result_release(&ix);
		tm_match_result_release(&ex);
	}
	{
		static const char *const names[] = {
		    "drop", "replace", "reorder", "number", "join", "new"};
		double *kl = malloc((nq / 6 + 2) * sizeof(*kl));
		int kd;

		printf("per-kind");
		for (kd = 0; kd < 6; kd++) {
			size_t nk = 0;

			for (i = (size_t)kd; i < nq; i += 6)
				kl[nk++] = lat[i];
			if (!nk)
				continue;
			qsort(kl, nk, sizeof(*kl), cmp_double);
			printf(" %s:p50=%.2f,p99=%.2f", names[kd],
			       pct(kl, nk, 0.5) * 1e3, pct(kl, nk, 0.99) * 1e3);
		}
		printf("\n");
		free(kl);
	}
	qsort(lat, nq, sizeof(*lat), cmp_double);
	printf("units=%zu add_s=%.1f reindex_s=%.1f db_mb=%.0f queries=%zu "
	       "p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f "
	       "candidates_mean=%.0f matched=%zu source_first=%zu/%zu "
	       "exhaustive_queries=%zu exhaustive_mean_ms=%.1f "
	       "index_mean_ms=%.2f speedup=%.0f recall=%zu/%zu\n",
	       units, t_add, t_reindex, (double)sb.st_size / 1e6, nq,
	       pct(lat, nq, 0.50) * 1e3, pct(lat, nq, 0.95) * 1e3,
	       pct(lat, nq, 0.99) * 1e3, lat[nq - 1] * 1e3,
	       (double)cand / (double)nq, hits, exact_ok, edited, ex_done,
	       ex_done ? sum_ex / (double)ex_done * 1e3 : 0,
	       ex_done ? sum_ix / (double)ex_done * 1e3 : 0,
	       sum_ix > 0 ? sum_ex / sum_ix : 0, found_ix, found_ex);
	tm_matcher_free(m);
	tm_store_close(s);
	for (i = 0; i < units; i++)
		if (qsrc[i] && *qsrc[i])
			free(qsrc[i]);
	free(qsrc);
	free(pick);
	free(lat);
	for (i = 0; i < nvocab; i++)
		free(vocab[i]);
	free(vocab);
	free(cdf);
	return found_ix == found_ex ? 0 : 1;
}
