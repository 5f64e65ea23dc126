#!/bin/sh
# Replays every fuzz seed and every input that once crashed a fuzz target
# (tests/fuzz/{seeds,regress}/<target>/) through that target's code.
. "$(dirname "$0")/lib.sh"

bin=$(dirname "$TOLK")/fuzz-regress
for src in "$TOLK_TOP"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	test_case "fuzz target $t survives its seeds and past crashes" "
		[ -x '$bin/$t' ] || fail 'not built: $bin/$t'
		set -- \$(find '$TOLK_TOP/tests/fuzz/seeds/$t' '$TOLK_TOP/tests/fuzz/regress/$t' -type f 2>/dev/null)
		[ \$# -gt 0 ] || fail 'no inputs for $t'
		'$bin/$t' \"\$@\" >\"\$T/out\" 2>\"\$T/err\" || fail \"\$(tail -n 20 \"\$T/err\")\"
	"
done
test_done
