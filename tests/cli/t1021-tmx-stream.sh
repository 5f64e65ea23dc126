#!/bin/sh
# The TMX reader is fed the file a read at a time (64 KiB): what it
# reports and stores must not depend on where those reads end.
. "$(dirname "$0")/lib.sh"

# units N: N numbered nb-en units, one a line, with Norwegian letters and
# an escaped tag, after a TMX head on line 1
units() {
	echo '<tmx version="1.4"><header srclang="nb"/><body>'
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
		printf "<tu tuid=\"%d\"><tuv xml:lang=\"nb\"><seg>Blåbær nummer %d &amp; ærfugl på øya</seg></tuv><tuv xml:lang=\"en\"><seg>Blueberry %d <ph x=\"1\">&lt;b&gt;</ph> eider</seg></tuv></tu>\n", i, i, i }'
}

# tall N: N units of six lines each, an unknown element in every 4,000th
tall() {
	echo '<tmx version="1.4"><header/><body>'
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) {
		printf "<tu>\n <tuv xml:lang=\"nb\">\n  <seg>Hei %d</seg>\n </tuv>\n", i
		if (i % 4000 == 0) printf " <foo/>\n"
		printf " <tuv xml:lang=\"en\"><seg>Hi %d</seg></tuv>\n</tu>\n", i } }'
	echo '</body></tmx>'
}

# located FILE: "LINE:COL" of the first error importing FILE
located() {
	rm -f "$T/l.db"*
	"$TOLK" --db "$T/l.db" import "$1" 2>&1 >/dev/null |
		sed -n 's/^tolk import: [^:]*:\([0-9]*:[0-9]*\): .*/\1/p' | head -1
}

test_case "an error is located at its own line and column wherever the reads end" '
	# each bad line alone after the head gives its position on line 2;
	# after 366 units, wherever the first 64 KiB edge cuts it, on 368
	for bad in "<tu><tuv xml:lang=\"nb\"><seg>Feil</sgx></tuv></tu>" \
		"<tu><tuv xml:lang=\"nb\" a=\"1\" a=\"2\"><seg>To</seg></tuv></tu>" \
		"<tu><tuv xml:lang=\"nb\"><seg>Bl\\377\\376b</seg></tuv></tu>"; do
		{ echo "<tmx version=\"1.4\"><header/><body>"; printf "$bad\n"; } >small.tmx
		want=$(located small.tmx)
		case "$want" in 2:[1-9]*) ;; *) fail "small file: $want" ;; esac
		pad=236
		while [ $pad -le 300 ]; do
			# 366 units fill 65,238 bytes; the padding moves the
			# first 64 KiB edge through the bad line
			{ units 366 | sed "1s/srclang=\"nb\"/srclang=\"nb\" x=\"$(printf "%${pad}s" "" | tr " " y)\"/"
			  printf "$bad\n"; echo "</body></tmx>"; } >big.tmx
			size=$(wc -c <big.tmx)
			[ "$size" -gt 65536 ] || fail "big.tmx too small: $size"
			got=$(located big.tmx)
			expect_eq "$got" "$(echo "$want" | sed "s/^2:/368:/")"
			pad=$((pad + 4))
		done
	done
'

test_case "a file in UTF-16 or Latin-1 longer than a read stores what its UTF-8 form stores" '
	mkdir u8 u16 l1
	{ units 3000; echo "</body></tmx>"; } >u8/x.tmx
	{ echo "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"; cat u8/x.tmx; } |
		iconv -f UTF-8 -t UTF-16 >u16/x.tmx
	{ echo "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"; cat u8/x.tmx; } |
		iconv -f UTF-8 -t ISO-8859-1 >l1/x.tmx
	[ $(wc -c <u16/x.tmx) -gt 262144 ] || fail "UTF-16 file too small"
	for d in u8 u16 l1; do
		(cd $d && "$TOLK" --db x.db import x.tmx >out 2>err) ||
			fail "$d: $(cat $d/err)"
		grep -q "3000 read, 3000 imported" $d/out || fail "$d: $(cat $d/out)"
		variants $d/x.db >$d/rows
	done
	grep -q "Blåbær nummer 2999 & ærfugl på øya" u8/rows || fail "text not as written"
	cmp -s u8/rows u16/rows || fail "UTF-16: $(diff u8/rows u16/rows | head -4)"
	cmp -s u8/rows l1/rows || fail "Latin-1: $(diff u8/rows l1/rows | head -4)"
'

test_case "a UTF-16 TMX on a pipe that gives its first bytes apart is read whole" '
	{ echo "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"; units 20; echo "</body></tmx>"; } |
		iconv -f UTF-8 -t UTF-16 >p.tmx
	# the encoding is told from the first four bytes
	for k in 1 3; do
		rm -f "$TOLK_DB"*
		{ head -c $k p.tmx; sleep 0.2; tail -c +$((k + 1)) p.tmx; } |
			"$TOLK" import --format tmx - >out 2>err || fail "$k: $(cat err)"
		grep -q "20 read, 20 imported" out || fail "$k: $(cat out)"
	done
'

test_case "import --recover keeps every unit before the one that breaks" '
	{ units 2000 | sed "1001s/<\/seg><\/tuv><tuv/<\/sgx><\/tuv><tuv/"; echo "</body></tmx>"; } >r.tmx
	run import r.tmx
	expect_rc 2
	expect_err "^tolk import: r\\.tmx:1001:[0-9]+: Opening and ending tag mismatch"
	run import --recover r.tmx
	expect_rc 0
	expect_out "999 read, 999 imported"
	expect_err "r\\.tmx:1001: warning: dropped an unreadable <tu> and the rest of the file"
	variants "$TOLK_DB" | cut -d "|" -f 5 >texts
	expect_eq "$(grep -cE "^Blueberry (999|1000) " texts)" 1
	grep -q "^Blueberry 999 " texts || fail "unit 999 lost"
'

test_case "a warning past line 65,535 names the line of its element" '
	# libxml2 keeps 16 bits of an element line in its tree
	tall 12000 >l.tmx
	run import l.tmx
	expect_rc 0
	want=$(grep -n "<foo/>" l.tmx | cut -d: -f1 | tr "\n" " ")
	got=$(sed -n "s/^tolk import: l\.tmx:\([0-9]*\): warning: unknown element <foo>.*/\1/p" "$T/err" | tr "\n" " ")
	expect_eq "$got" "$want"
	case "$want" in *72002*) ;; *) fail "lines: $want" ;; esac
'

test_done
