# Shared by the upgrade tests (t1002, t1004): the TM their fixtures
# (fixtures/tm-v6.sql, tm-v7.sql) were made from, so that an old TM and
# one this tolk writes hold the same units.
# gen N: N units, every seventh a copy of an earlier one with other dates,
# some with props and notes, some with markup.
gen() {
	awk -v n="$1" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body>"
		split("kommunen fylket regjeringen budsjettet avtalen byrådet skolen", w, " ")
		for (i = 1; i <= n; i++) {
			k = i % 7 == 0 ? i - 5 : i
			printf "<tu creationdate=\"2024%02d%02dT120000Z\">", 1 + i % 12, 1 + i % 28
			if (k % 5 == 0)
				printf "<prop type=\"x-domain\">d%d</prop><note>n%d</note>", k % 3, k
			printf "<tuv xml:lang=\"nb\"><seg>"
			if (k % 9 == 0)
				printf "<bpt i=\"1\">&lt;b&gt;</bpt>"
			printf "Møte %d om %s", k, w[1 + k % 7]
			if (k % 9 == 0)
				printf "<ept i=\"1\">&lt;/b&gt;</ept>"
			printf ".</seg></tuv><tuv xml:lang=\"en\"><seg>Meeting %d on the %s.</seg></tuv></tu>\n", k, w[1 + k % 7]
		}
		print "</body></tmx>"
	}'
}

# fill: what the fixtures hold, written into $TOLK_DB by $TOLK
fill() {
	gen 70 >units.tmx
	"$TOLK" import units.tmx >/dev/null
	cp "$fx/demo-units.tsv" demo.tsv # its name is the units' origin
	"$TOLK" import demo.tsv >/dev/null
	"$TOLK" add "Statsministeren reiste til Paris." "The Prime Minister travelled to Paris." --note "NTB" >/dev/null
}
