#!/bin/sh
# PostgreSQL: every command gives the same output and exit status on a
# PostgreSQL TM as on a SQLite one (the same inputs through both backends,
# transcripts compared); the server's own behaviours (URI and conninfo,
# password never shown, schema versions, errors).
. "$(dirname "$0")/lib.sh"
. "$TOLK_TOP/tests/pg.sh"

pg_require "PostgreSQL backend tests"
fx=$TOLK_TOP/fixtures

write_tmx() {
	cat >"$1" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="nb" datatype="plaintext">
<prop type="x-project">demo</prop>
</header>
<body>
<tu tuid="1" creationdate="20240101T000000Z" usagecount="1">
<prop type="x-domain">politikk</prop>
<note>checked</note>
<tuv xml:lang="nb"><seg>Statsministeren reiste til <bpt i="1">&lt;b&gt;</bpt>Paris<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
<tuv xml:lang="en"><seg>The Prime Minister travelled to <bpt i="1">&lt;b&gt;</bpt>Paris<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
</tu>
<tu tuid="2" changedate="20240301T000000Z" usagecount="4">
<tuv xml:lang="nb"><seg>Møtet starter kl. 14.30.</seg></tuv>
<tuv xml:lang="en"><seg>The meeting starts at 14:30.</seg></tuv>
<tuv xml:lang="de"><seg>Das Treffen beginnt um 14.30 Uhr.</seg></tuv>
</tu>
</body>
</tmx>
EOF
}

# Runs every command on the TM in $TOLK_DB and writes what each printed
# and its exit status to $1, the TM's name replaced by DB.
scenario() {
	out=$1
	: >"$out"
	write_tmx a.tmx
	cp "$fx/paris-summit.nb.txt" p.nb.txt
	cp "$fx/paris-summit.en.txt" p.en.txt
	# a bulk file that repeats its own units (the same pair, and the same
	# source with other targets), imported under every policy
	awk 'BEGIN { for (i = 1; i <= 2500; i++) { k = i % 700
		printf "Saken gjelder punkt %d i avtalen.\tThe case concerns item %d of the agreement%s.\n", k, k, (i % 3 ? "" : " (" i % 2 ")") } }' >dups.tsv
	# every source once (a unit replaced twice within the file is taken
	# out while its postings still wait: a flush per unit)
	sed -n "1,700p" dups.tsv >dups-part.tsv
	# an XLIFF file of enough fuzzy and new segments for pretranslate's
	# workers, each on a connection of its own
	{
		echo "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">"
		echo "<file original=\"v\" source-language=\"nb\" target-language=\"en\" datatype=\"plaintext\"><body>"
		grep -v "^#" "$fx/demo-units.tsv" | cut -f1 | sed "s/&/\&amp;/g; s/</\&lt;/g" |
			awk "{ d = \$0; sub(/ [^ ]+ /, \" \", d)
				printf \"<trans-unit id=\\\"a%d\\\"><source>%s</source></trans-unit>\\n\", NR, d
				printf \"<trans-unit id=\\\"b%d\\\"><source>Ingen har skrevet setning %d.</source></trans-unit>\\n\", NR, NR }"
		echo "</body></file></xliff>"
	} >pv.xlf
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		rc=0
		eval "\"\$TOLK\" $cmd" >o 2>e || rc=$?
		{
			echo "\$ tolk $cmd"
			sed "s|$TOLK_DB|DB|g" o
			sed "s|$TOLK_DB|DB|g" e
			echo "(exit $rc)"
		} >>"$out"
	done <<'EOF'
lookup Lagre
import a.tmx
import a.tmx
import --on-duplicate keep a.tmx
import "$fx/demo-units.tsv"
add "Lagre" "Save"
add "Lagre" "Save"
add "Møtet samler ledere fra rundt 30 land som støtter Ukraina." "The meeting brings together leaders from around 30 countries that support Ukraine."
add "Prisen er 12 000 kroner for 1,5 timer." "The price is 12,000 kroner for 1.5 hours."
lookup "Møtet samler sjefer fra rundt 30 land som støtter Ukraina."
lookup --json --min-score 60 "Møtet samler sjefer fra 30 land som støtter Ukraina i dag."
lookup "Prisen er 15 500 kroner for 2,5 timer."
lookup --json "Statsministeren reiste til Paris."
lookup "Statsministeren reiste til Paris i går, og Møtet starter kl. 14.30."
lookup --exhaustive --min-score 40 "Støre reiser til Paris"
lookup --min-score 50 "Statsminister Jonas Gahr Støre reiser til Berlin"
lookup "ingenting her"
concordance Ukraina
concordance --json Paris
align --import p.nb.txt p.en.txt
add --prev "Vil du lagre?" --next "Lagre" "Avbryt" "Abort"
add "Avbryt" "Cancel"
lookup --prev "Vil du lagre?" --next "Lagre" "Avbryt"
analyze p.nb.txt
pretranslate p.nb.txt -o -
pretranslate --threads 2 --min-score 60 pv.xlf -o -
analyze --threads 2 pv.xlf
import --on-duplicate skip "$fx/demo-units.tsv"
import --on-duplicate replace a.tmx
import dups.tsv
import --on-duplicate skip dups.tsv
import --on-duplicate keep dups.tsv
stats
import --on-duplicate replace dups-part.tsv
import dups.tsv
stats
lookup --json "Saken gjelder punkt 612 i denne avtalen."
delete 3
delete 3
glossary import "$fx/demo-glossary.tsv"
glossary add statsminister "Prime Minister" --alt Premier --forbid PM --note "Norway"
glossary add Stortinget "the Storting"
glossary list
glossary list --json
glossary find "Statsministerens kontor opplyser at Stortinget skal behandle saken."
glossary remove Stortinget
glossary export -
glossary export --format tsv -
check --tm
check --json --glossary "$fx/demo-glossary.tsv" "$fx/demo-check.tsv"
check --pair p.nb.txt p.en.txt
export -
export --all-languages -
reindex
lookup --exhaustive "Møtet starter kl. 15.30."
stats
EOF
}

test_case "every command gives the same output on PostgreSQL as on SQLite" '
	mkdir sqlite pg
	(cd sqlite && TOLK_DB=$T/sqlite/tm.db && scenario ../sqlite.out)
	pg_newdb xb
	(cd pg && scenario ../pg.out)
	# sizes differ, and the clock moves between the two runs
	norm="/^size:/d; s/[0-9]{8}T[0-9]{6}Z/DATE/g; s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/DATE/g; s/[0-9]+ segments\/s/N segments\/s/"
	sed -E "$norm" sqlite.out >a
	sed -E "$norm" pg.out >b
	diff -u a b >&2 || fail "the transcripts differ"
	# the scenario did run: matches, a merge, glossary hits
	grep -q "^90%  #" a || fail "no fuzzy match in the transcript"
	grep -q "merged into unit" a || fail "no merge in the transcript"
	grep -q "Office of the Prime Minister" a || fail "no glossary in the transcript"
	grep -q "^101%  #" a || fail "no context match in the transcript"
	grep -q "dups.tsv: 2500 read, 1400 imported, 1100 merged" a || fail "no bulk merge in the transcript"
	grep -q "dups.tsv: 2500 read, 0 imported, 0 merged, 2500 skipped" a || fail "no bulk skip in the transcript"
	grep -q "dups-part.tsv: 700 read, 0 imported, 0 merged, 700 replaced" a || fail "no bulk replace in the transcript"
	grep -Eq "^context 101 +1[0-9] " a || fail "no context band in the transcript"
	grep -q "state-qualifier=\"fuzzy-match\"" a || fail "no fuzzy fill of pv.xlf in the transcript"
	# (the first command asks an empty TM on purpose: exit 3)
	if sed 1,3d a | grep -q "(exit 3)"; then fail "a command failed: $(sed 1,3d a | grep -B3 "(exit 3)")"; fi
'
