#!/bin/sh
# The command line from one table: every command's options parse, print
# in its help, the man page and the shell completions; usage errors are
# tolk's own, "tolk COMMAND: message", exit 2.
. "$(dirname "$0")/lib.sh"

# The commands and options as `tolk help` prints them (not as the C
# tables hold them), so that the tests check what a user sees.
commands() {
	"$TOLK" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'
}
subcommands() { # subcommands CMD
	"$TOLK" help "$1" | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'
}
paths() { # every command, and "glossary add" for each subcommand
	for c in $(commands); do
		echo "$c"
		for s in $(subcommands "$c"); do echo "$c $s"; done
	done
}
options() { # options PATH...: the long options its help lists
	# shellcheck disable=SC2086
	"$TOLK" help $1 | grep -oE -- '^  (-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'
}

# A case that cannot run here says why, in TAP.
skip_case() { # skip_case NAME REASON
	_n=$((_n + 1))
	echo "ok $_n - $1 # skip $2"
}

test_case "every command and subcommand has help from its table: help CMD, CMD --help, CMD -h" '
	n=0
	paths >paths
	while read -r p; do
		n=$((n + 1))
		run help $p
		expect_rc 0
		cp "$T/out" help.txt
		expect_out "^usage: tolk \\[--db PATH\\] $p( |\$)"
		expect_out "^  --db PATH"
		run $p --help
		expect_rc 0
		cmp -s "$T/out" help.txt || fail "$p --help differs from help $p"
		run $p -h
		cmp -s "$T/out" help.txt || fail "$p -h differs from help $p"
	done <paths
	[ "$n" -ge 19 ] || fail "only $n commands: $(tr "\n" " " <paths)"
	grep -qx "glossary add" paths || fail "no glossary subcommands"
	run -h
	expect_rc 0
	expect_out "^  lookup "
	expect_out "^  completion "
'

test_case "every option in a usage line is described in the Options block" '
	for p in lookup concordance align check "glossary add" import; do
		run help $p
		sed -n "/^usage:/,/^\$/p" "$T/out" | grep -oE -- "\\[--[a-z-]+" |
			tr -d "[" | while read -r o; do
			grep -qE -- "^  $o( |\$)" "$T/out" || echo "$p: $o" >>undescribed
		done
	done
	[ ! -s undescribed ] || fail "not described: $(cat undescribed)"
'

test_case "unknown options and missing values are tolk errors naming the command, exit 2" '
	run add Ja Yes
	run lookup --foo Ja
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk lookup: unknown option '\''--foo'\''"
	expect_err "^usage: tolk \\[--db PATH\\] lookup "
	run lookup Ja --min-score
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk lookup: option '\''--min-score'\'' needs a value"
	run lookup --min-score abc Ja
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk lookup: --min-score: '\''abc'\'' is not a number from 0 to 100"
	run lookup --json=yes Ja
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk lookup: option '\''--json'\'' takes no value"
	run lookup -x Ja
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk lookup: unknown option '\''-x'\''"
	run glossary add --bogus a b
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk glossary add: unknown option '\''--bogus'\''"
	run --bogus stats
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk: unknown option '\''--bogus'\''"
	run segment --s x
	expect_rc 2
	expect_eq "$(head -n 1 "$T/err")" "tolk segment: option '\''--s'\'' is ambiguous"
	if grep -rqiE "unrecognized|requires an argument|invalid option" "$T/err"; then
		fail "getopt message leaked: $(cat "$T/err")"
	fi
'

test_case "errors of every kind start with tolk COMMAND:" '
	run lookup "Nothing stored"
	expect_err "^tolk lookup: no translation memory"
	run add Ja Yes
	run lookup "Helt annerledes tekst her"
	expect_rc 1
	expect_err "^tolk lookup: no match for"
	printf "bad line\\n" >bad.tsv
	run import bad.tsv
	expect_rc 2
	expect_err "^tolk import: bad\\.tsv:1:"
	run --db "$T/nodir/x.db" stats
	expect_err "^tolk stats: "
	run glossary remove nosuch
	expect_rc 1
	expect_err "^tolk glossary remove: "
'

test_case "options and common options may follow the operands; -- ends options" '
	run add Ja Yes
	run lookup Ja --json --limit 1
	expect_rc 0
	expect_out "^\\{\"query\":\"Ja\""
	run lookup Ja --db "$T/tm.db"
	expect_rc 0
	run add -- "-5 grader" "-5 degrees"
	expect_rc 0
	run lookup -- "-5 grader"
	expect_rc 0
	expect_out "degrees"
	run glossary --db "$T/tm.db" add kommune municipality
	expect_rc 0
	run glossary list --json
	expect_out "\"term\":\"kommune\""
'

test_case "the committed man page is the one the binary generates" '
	"$TOLK" help --man >man.1
	cmp -s man.1 "$TOLK_TOP/docs/tolk.1" ||
		fail "docs/tolk.1 is out of date: run make man ($(diff man.1 "$TOLK_TOP/docs/tolk.1" | head -5))"
'

if command -v man >/dev/null 2>&1; then
	test_case "man -l docs/tolk.1 shows every command, subcommand and option" '
		MANWIDTH=200 man -l "$TOLK_TOP/docs/tolk.1" >page 2>manerr ||
			fail "man failed: $(cat manerr)"
		grep -q "^EXIT STATUS" page || fail "no EXIT STATUS section"
		paths >paths
		while read -r p; do
			grep -qE "^ +tolk $p( |\$)" page || fail "no synopsis of $p"
			for o in $(options "$p"); do
				grep -qE -- "(^|[[ ])$o([] =]|\$)" page || fail "$p: $o not in the man page"
			done
		done <paths
	'
else
	skip_case "man -l docs/tolk.1 shows every command, subcommand and option" "man is not installed (scripts/deps.sh installs man-db)"
fi

# Checks that script $1 names every command, subcommand and option; $2 is
# how the shell writes a long option before its name ("--" or "-l ").
lists_everything() { # lists_everything SCRIPT PREFIX
	paths >paths
	while read -r p; do
		for w in $p; do
			grep -qw -- "$w" "$1" || fail "$1: no command $w"
		done
		for o in $(options "$p"); do
			o=${o#--}
			grep -qE -- "$2$o([^a-z-]|\$)" "$1" || fail "$1: $p: no --$o"
		done
	done <paths
}

test_case "bash completion passes bash -n, lists everything and completes" '
	run completion bash
	expect_rc 0
	cp "$T/out" tolk.bash
	bash -n tolk.bash || fail "bash -n failed"
	lists_everything tolk.bash "--"
	touch notes.tmx
	cat >try.bash <<-"EOF"
	. ./tolk.bash
	c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _tolk; echo "${COMPREPLY[*]}"; }
	echo "1:$(c tolk look)"
	echo "2:$(c tolk lookup --mi)"
	echo "3:$(c tolk glossary a)"
	echo "4:$(c tolk align --format "")"
	echo "5:$(c tolk --db x.db import notes)"
	echo "6:$(c tolk glossary import --fo)"
	echo "7:$(c tolk import --on-duplicate r)"
	echo "8:$(c tolk --db x.db "")"
	EOF
	bash try.bash >got 2>bash.err || fail "bash: $(cat bash.err)"
	[ ! -s bash.err ] || fail "bash: $(cat bash.err)"
	grep -qx "1:lookup" got || fail "command: $(cat got)"
	grep -qx "2:--min-score" got || fail "option: $(cat got)"
	grep -qx "3:add" got || fail "subcommand: $(cat got)"
	grep -qx "4:tsv json tmx" got || fail "values: $(cat got)"
	grep -qx "5:notes.tmx" got || fail "files: $(cat got)"
	grep -qx "6:--format" got || fail "subcommand option: $(cat got)"
	grep -qx "7:replace" got || fail "value word: $(cat got)"
	grep -q "^8:add lookup concordance" got || fail "commands after --db: $(cat got)"
'

if command -v zsh >/dev/null 2>&1; then
	test_case "zsh completion passes zsh -n and lists everything" '
		run completion zsh
		expect_rc 0
		cp "$T/out" _tolk
		head -n 1 _tolk | grep -qx "#compdef tolk" || fail "no #compdef line"
		zsh -n _tolk || fail "zsh -n failed"
		lists_everything _tolk "--"
		zsh -fc "autoload -Uz compinit && compinit -D -d $T/zcd; fpath=($T \$fpath); autoload -Uz _tolk; . ./_tolk" 2>zsh.err
		[ ! -s zsh.err ] || fail "zsh: $(cat zsh.err)"
	'
else
	skip_case "zsh completion passes zsh -n and lists everything" "zsh is not installed (scripts/deps.sh installs it)"
fi

if command -v fish >/dev/null 2>&1; then
	test_case "fish completion passes fish -n, lists everything and completes" '
		run completion fish
		expect_rc 0
		cp "$T/out" tolk.fish
		fish --no-execute tolk.fish || fail "fish -n failed"
		lists_everything tolk.fish "-l "
		touch notes.tmx
		HOME=$T XDG_CONFIG_HOME=$T fish -c "source tolk.fish
			complete -C \"tolk look\"
			complete -C \"tolk glossary im\"
			complete -C \"tolk lookup --mi\"
			complete -C \"tolk align --format \"
			complete -C \"tolk import not\"" >got 2>fish.err ||
			fail "fish: $(cat fish.err)"
		grep -q "^lookup" got || fail "command: $(cat got)"
		grep -q "^import" got || fail "subcommand: $(cat got)"
		grep -q "^--min-score" got || fail "option: $(cat got)"
		grep -q "^tmx" got || fail "values: $(cat got)"
		grep -q "^notes.tmx" got || fail "files: $(cat got)"
	'
else
	skip_case "fish completion passes fish -n, lists everything and completes" "fish is not installed (scripts/deps.sh installs it)"
fi

test_case "the CLI includes only public module headers and calls getopt_long once" '
	if grep -n "#include \".*_int\.h\"" "$TOLK_TOP"/cli/*.c "$TOLK_TOP"/cli/*.h >inc; then
		fail "private headers: $(cat inc)"
	fi
	n=$(cat "$TOLK_TOP"/cli/*.c | grep -c "getopt_long(")
	expect_eq "$n" 1
'

test_case "completion for an unknown shell is a usage error" '
	run completion tcsh
	expect_rc 2
	expect_err "^tolk completion: .tcsh. is not bash, zsh or fish"
	run completion
	expect_rc 2
'

test_done
