#!/bin/sh
# tolk glossary: add, list, remove, find, import and export (TSV, TBX).
. "$(dirname "$0")/lib.sh"

G="$TOLK_TOP/fixtures/demo-glossary.tsv"

test_case "add then list shows the entry with alternatives and forbidden variants" '
	run glossary add statsminister "Prime Minister" --alt Premier --forbid PM --note "Norway"
	expect_rc 0
	expect_out "^added .statsminister.$"
	run glossary list
	expect_rc 0
	expect_eq "$(cat "$T/out")" "statsminister	Prime Minister; Premier  (not: PM)  # Norway"
	run glossary list --json
	expect_out "^\\{\"id\":1,\"term\":\"statsminister\",\"approved\":\\[\"Prime Minister\",\"Premier\"\\],\"forbidden\":\\[\"PM\"\\],\"except\":\\[\\],\"note\":\"Norway\",\"case_sensitive\":false,\"pos\":null,\"domain\":null,\"created\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}\",\"modified\":\"[0-9-]{10}\"\\}$"
'

test_case "adding a term again replaces its entry" '
	run glossary add Stortinget "the Storting"
	run glossary add Stortinget Parliament
	expect_out "^updated"
	run glossary list
	expect_eq "$(cat "$T/out")" "Stortinget	Parliament"
'

test_case "terms in capitals are case-sensitive unless --ignore-case" '
	run glossary add NTB "news bureau NTB"
	run glossary add nrk "Norwegian Broadcasting (NRK)" --case-sensitive
	run glossary add EU "the EU" --ignore-case
	run glossary list --json
	expect_out "\"term\":\"NTB\".*\"case_sensitive\":true"
	expect_out "\"term\":\"nrk\".*\"case_sensitive\":true"
	expect_out "\"term\":\"EU\".*\"case_sensitive\":false"
	run glossary find "ntb og Ntb og eu"
	expect_rc 0
	expect_no_out "NTB"
	expect_out "eu	EU	the EU"
'

test_case "remove deletes by term, any case when unambiguous; unknown term exits 1" '
	run glossary add Stortinget Parliament
	run glossary remove stortinget
	expect_rc 0
	run glossary list
	expect_eq "$(cat "$T/out")" ""
	run glossary remove Stortinget
	expect_rc 1
	expect_err "no glossary term"
'

test_case "remove finds a term in another case beyond ASCII (Økokrim, ÆØÅ)" '
	run glossary add Økokrim "Økokrim (the Norwegian economic crime unit)"
	run glossary add ÅRSMELDING "annual report"
	run glossary remove økokrim
	expect_rc 0
	expect_out "^removed .økokrim.$"
	run glossary remove årsmelding
	expect_rc 0
	run glossary list
	expect_eq "$(cat "$T/out")" ""
'

test_case "remove in another case refuses a name that folds to several terms" '
	run glossary add Ærlig honest
	run glossary add ærlig "honestly" --case-sensitive
	run glossary remove ÆRLIG
	expect_rc 1
	expect_err "matches several terms in other cases"
	run glossary list
	expect_eq "$(cut -f1 "$T/out" | sort | tr "\n" " ")" "Ærlig ærlig "
'

test_case "find reports inflected terms with line:col and renderings, longest first" '
	run glossary import "$G"
	expect_rc 0
	expect_out "imported 10 terms"
	printf "Ifølge Statsministerens kontor sa statsministeren\\ntil NTB at Stortingets kommunestyre\\n" > in.txt
	run_stdin in.txt glossary find -
	expect_rc 0
	expect_eq "$(cat "$T/out")" "1:8	Statsministerens kontor	Statsministerens kontor	Office of the Prime Minister
1:35	statsministeren	statsminister	Prime Minister
2:5	NTB	NTB	news bureau NTB
2:12	Stortingets	Stortinget	Parliament"
	run glossary find --json "Stortinget"
	expect_eq "$(cat "$T/out")" "{\"term\":\"Stortinget\",\"found\":\"Stortinget\",\"start\":0,\"end\":10,\"line\":1,\"col\":1,\"approved\":[\"Parliament\"],\"forbidden\":[],\"note\":\"Not \\\"the Storting\\\"\"}"
	run glossary find "kommunestyret møtes"
	expect_rc 1
'

test_case "TSV export then import into a new TM is lossless" '
	run glossary add statsminister "Prime Minister" --alt Premier --forbid PM --note "tab	and \\\\ backslash" --pos noun --domain politics
	run glossary add NTB "news bureau NTB" --ignore-case
	run glossary export g.tsv
	expect_rc 0
	run glossary list --json
	cp "$T/out" before.json
	TOLK_DB="$T/other.db" run glossary import g.tsv
	expect_rc 0
	TOLK_DB="$T/other.db" run glossary list --json
	expect_eq "$(cat "$T/out")" "$(cat before.json)"
	grep -q "^NTB	news bureau NTB		case=insensitive" g.tsv || fail "case column missing: $(cat g.tsv)"
'

RNG="$TOLK_SHARED/spec/tbx/v3-2019/TBXcoreStructV03.rng"

test_case "TBX export validates against the TBX core schema" '
	command -v xmllint >/dev/null || skip "xmllint missing"
	[ -f "$RNG" ] || skip "no TBX core schema at $RNG"
	run glossary import "$G"
	run glossary add utenriksminister "Minister of Foreign Affairs" --forbid "Foreign Minister" --pos noun
	run glossary export g.tbx
	expect_rc 0
	xmllint --noout --relaxng "$RNG" g.tbx 2>xmllint.err || fail "$(cat xmllint.err)"
'

test_case "TBX export marks forbidden variants and round-trips" '
	run glossary import "$G"
	run glossary add utenriksminister "Minister of Foreign Affairs" --forbid "Foreign Minister" --pos noun
	run glossary export g.tbx
	expect_rc 0
	grep -q "deprecatedTerm-admn-sts" g.tbx || fail "forbidden variant not deprecated"
	run glossary list --json
	cp "$T/out" before.json
	TOLK_DB="$T/other.db" run glossary import g.tbx
	expect_out "imported 10 terms"
	TOLK_DB="$T/other.db" run glossary list --json
	expect_eq "$(cat "$T/out")" "$(cat before.json)"
'

test_case "--format overrides the extension; unknown extension needs --format" '
	run glossary import "$G"
	run glossary export --format tbx out.txt
	expect_rc 0
	grep -q "<tbx" out.txt || fail "not TBX"
	run glossary export out.glossary
	expect_rc 2
	expect_err "--format"
	run glossary export --format csv x.csv
	expect_rc 2
'

test_case "bad TSV rows are reported with line numbers and nothing is imported" '
	printf "# header\\nNTB\\tnews bureau NTB\\nStortinget\\n" > bad.tsv
	run glossary import bad.tsv
	expect_rc 2
	expect_err "bad.tsv:3:11: no translation"
	run glossary list
	expect_rc 3
	expect_err "no translation memory"
	printf "a\\tb\\t\\tcolour=red\\n" > bad2.tsv
	run glossary import bad2.tsv
	expect_rc 2
	expect_err "bad2.tsv:1:6: unknown column"
'

test_case "every bad row is reported, not only the first" '
	printf "ok\\tfine\\nbad\\nalso\\t\\nok2\\tfine\\tnote\\tcase=loud\\n" > bad.tsv
	run glossary import bad.tsv
	expect_rc 2
	expect_err "^tolk glossary import: bad.tsv:2:4: no translation"
	expect_err "^bad.tsv:3:6: no translation"
	expect_err "^bad.tsv:4:[0-9]+: case must be"
	expect_err "3 bad rows; nothing was imported"
'

test_case "malformed TBX is reported with line and column" '
	printf "<?xml version=\"1.0\"?>\\n<tbx>\\n<text><body>\\n<conceptEntry>\\n</langSec>\\n" > bad.tbx
	run glossary import bad.tbx
	expect_rc 2
	expect_err "bad.tbx:5:[0-9]+: not well-formed XML"
'

test_case "the TBX sample that is not well-formed is reported with line and column" '
	f="$TOLK_SHARED/spec/tbx/samples/tbx-basic-v3-sample-notwellformed.tbx"
	[ -f "$f" ] || skip "no TBX sample at $f"
	run glossary import "$f"
	expect_rc 2
	expect_err "notwellformed.tbx:[0-9]+:[0-9]+: not well-formed"
'

test_case "TBX with entity declarations or external entities is refused" '
	printf "<?xml version=\"1.0\"?>\\n<!DOCTYPE tbx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\\n<tbx><text><body><conceptEntry><langSec xml:lang=\"nb\"><termSec><term>&x;</term></termSec></langSec><langSec xml:lang=\"en\"><termSec><term>y</term></termSec></langSec></conceptEntry></body></text></tbx>\\n" > xxe.tbx
	run glossary import xxe.tbx
	expect_rc 2
	expect_err "entity declarations are not accepted"
	run glossary list
	expect_no_out "root"
'

test_case "a database without the glossary tables is explained" '
	# the TM tables of version 1 that later migrations change or read,
	# one unit in them, no glossary
	sqlite3 old.db "CREATE TABLE unit(id INTEGER PRIMARY KEY, dup_key TEXT NOT NULL,
			src_key TEXT NOT NULL);
		CREATE INDEX unit_dup ON unit(dup_key);
		CREATE TABLE variant(id INTEGER PRIMARY KEY, unit_id INTEGER, seq INTEGER,
			lang TEXT, lang_key TEXT, text TEXT, markup TEXT,
			norm TEXT NOT NULL, attrs BLOB);
		CREATE INDEX variant_norm ON variant(lang_key, norm);
		INSERT INTO unit VALUES (1, \"0123456789abcdef0123456789abcdef\", \"nb\");
		INSERT INTO variant VALUES (1, 1, 0, \"nb\", \"nb\", \"Hei  verden.\",
			NULL, \"hei verden.\", NULL);
		PRAGMA user_version = 1;"
	run --db old.db glossary list
	expect_rc 2
	expect_err "has no glossary tables"
	# upgraded on the way: the variant in its unit, with the exact-match
	# key a new TM gives its text (filled after the upgrade)
	"$TOLK" --db new.db add "Hei  verden." "Hello world." >/dev/null
	expect_eq "$(variants old.db | cut -d"|" -f1-5,8)" \
		"1|0|nb|nb|Hei  verden.|$(variants new.db | head -1 | cut -d"|" -f8)"
'

test_case "glossary usage errors exit 2" '
	run glossary
	expect_rc 2
	run glossary frob
	expect_rc 2
	expect_err "unknown subcommand"
	run glossary add onlyterm
	expect_rc 2
	run glossary add "" x
	expect_rc 2
	run glossary find "x"
	expect_rc 3
	expect_err "no translation memory"
	run glossary --help
	expect_rc 0
	expect_out "import"
'

test_done
