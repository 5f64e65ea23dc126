/* Writes a synthetic Norwegian-English TMX 1.4b file of N units to
 * standard output, for bench/bench_tmx.sh.
 *   gen_tmx N
 * Sentences are built from small word lists and the unit number, so all
 * are distinct; every tenth unit has inline markup and a prop, as real
 * memories do. */
#include <stdio.h>
#include <stdlib.h>

static const char *const nb_subj[] = {
    "Statsministeren", "Regjeringen", "Stortinget", "Utenriksministeren",
    "Kommunen",	       "Styret",      "Forskerne",  "Direktoratet",
};
static const char *const en_subj[] = {
    "The Prime Minister",   "The Government",	"The Storting",
    "The Foreign Minister", "The municipality", "The board",
    "The researchers",	    "The directorate",
};
static const char *const nb_verb[] = {
    "la fram", "vedtok", "diskuterte", "kritiserte", "støttet", "utsatte",
};
static const char *const en_verb[] = {
    "presented", "adopted", "discussed", "criticised", "supported", "postponed",
};
static const char *const nb_obj[] = {
    "budsjettet", "forslaget", "rapporten", "avtalen", "planen",
};
static const char *const en_obj[] = {
    "the budget", "the proposal", "the report", "the agreement", "the plan",
};

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
	unsigned long i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<tmx version=\"1.4\">\n"
	      "<header creationtool=\"gen_tmx\" creationtoolversion=\"1\" "
	      "segtype=\"sentence\" o-tmf=\"none\" adminlang=\"en\" "
	      "srclang=\"nb\" datatype=\"plaintext\"/>\n<body>\n",
	      stdout);
	for (i = 1; i <= n; i++) {
		size_t s = i % 8, v = (i / 8) % 6, o = (i / 48) % 5;
		int day = (int)(i % 28) + 1, month = (int)(i % 12) + 1;

		printf("<tu tuid=\"%lu\" creationdate=\"2024%02d%02dT120000Z\" "
		       "creationid=\"bench\">\n",
		       i, month, day);
		if (i % 10 == 0)
			printf("<prop type=\"x-domain\">politics</prop>\n"
			       "<tuv xml:lang=\"nb\"><seg>%s %s "
			       "<bpt i=\"1\">&lt;b&gt;</bpt>%s<ept i=\"1\">"
			       "&lt;/b&gt;</ept> i sak %lu.</seg></tuv>\n"
			       "<tuv xml:lang=\"en\"><seg>%s %s "
			       "<bpt i=\"1\">&lt;b&gt;</bpt>%s<ept i=\"1\">"
			       "&lt;/b&gt;</ept> in case %lu.</seg></tuv>\n",
			       nb_subj[s], nb_verb[v], nb_obj[o], i, en_subj[s],
			       en_verb[v], en_obj[o], i);
		else
			printf("<tuv xml:lang=\"nb\"><seg>%s %s %s i sak "
			       "%lu.</seg></tuv>\n"
			       "<tuv xml:lang=\"en\"><seg>%s %s %s in case "
			       "%lu.</seg></tuv>\n",
			       nb_subj[s], nb_verb[v], nb_obj[o], i, en_subj[s],
			       en_verb[v], en_obj[o], i);
		fputs("</tu>\n", stdout);
	}
	fputs("</body>\n</tmx>\n", stdout);
	return ferror(stdout) ? 1 : 0;
}
