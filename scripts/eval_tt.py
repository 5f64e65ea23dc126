#!/usr/bin/python3
"""translate-toolkit's fuzzy matcher on tolk's lookup evaluation set.

Reads the TM (nb<TAB>en, one unit a line) and the queries
(KIND<TAB>QUERY<TAB>EXPECTED...) that scripts/eval_lookup.sh writes, and
prints one line per query: its top match as score<TAB>source (both empty
when nothing reaches 70), then the similarity of the query to the unit
it was made from (empty for joins and word salads).  The matcher is translate.search.match.matcher
as pot2po uses it: one candidate (a longer candidate list makes its heap
compare two units on a tied score, which raises TypeError), long sources
not cut off, and tolk's default minimum of 70.

    eval_tt.py TM.tsv QUERIES.tsv > ANSWERS.tsv
"""

import sys

from translate.search import match
from translate.storage import base


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: eval_tt.py TM.tsv QUERIES.tsv\n")
        return 2
    store = base.TranslationStore()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 2:
                continue
            unit = base.TranslationUnit(cols[0])
            unit.target = cols[1]
            store.addunit(unit)
    matcher = match.matcher(
        store, max_candidates=1, min_similarity=70, max_length=3000
    )
    matcher.addpercentage = False
    # The matcher returns units without their scores; the comparer gives
    # the same similarity the matcher ranked by.
    comparer = matcher.comparer
    out = sys.stdout
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            query = cols[1]
            found = matcher.matches(query)
            if found:
                score = comparer.similarity(query, found[0].source, 0)
                out.write("%d\t%s" % (score, found[0].source))
            else:
                out.write("\t")
            # translate-toolkit's measure of how close the right unit is:
            # the subset where it is >= 70 is where a match exists
            if cols[0] not in ("join", "salad"):
                out.write("\t%d\n" % comparer.similarity(query, cols[2], 0))
            else:
                out.write("\t\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
