#!/bin/sh
# `make fuzz`: runs every libFuzzer target for FUZZ_SECONDS each, seeded
# from tests/fuzz/seeds/<target>, the kept crashes in tests/fuzz/regress/
# <target> and, for the file formats, the shared corpora.  A crash input is
# left in build/fuzz/crashes/<target>/: fix the bug, then copy the input to
# tests/fuzz/regress/<target>/ so `make check` replays it for good.
#   tests/fuzz/run.sh BUILD_DIR SECONDS
set -u
build=$1
seconds=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
shared=${TOLK_SHARED:-$top/../shared}
status=0

extra_seeds() {
	case $1 in
	fuzz_tmx) echo "$shared/corpus/tmx" ;;
	fuzz_srx) echo "$shared/corpus/srx $top/tm/data" ;;
	fuzz_segment | fuzz_align) echo "$shared/corpus/parallel" ;;
	fuzz_gloss_tbx) echo "$shared/spec/tbx/samples" ;;
	fuzz_gloss_tsv) echo "$top/fixtures" ;;
	fuzz_xliff | fuzz_tsv_import) echo "$top/fixtures" ;;
	fuzz_xliff_tm) echo "$shared/corpus/xliff" ;;
	esac
}

# FUZZ_TARGETS="fuzz_srx fuzz_align" runs only those; FUZZ_MAX_LEN caps input size.
for f in "$build"/fuzzers/fuzz_*; do
	[ -x "$f" ] || continue
	case "$f" in *.d) continue ;; esac
	t=$(basename "$f")
	case " ${FUZZ_TARGETS:-$t} " in *" $t "*) ;; *) continue ;; esac
	corpus="$build/corpus/$t"
	crashes="$build/crashes/$t"
	mkdir -p "$corpus" "$crashes"
	for d in "$top/tests/fuzz/seeds/$t" "$top/tests/fuzz/regress/$t" \
		$(extra_seeds "$t"); do
		[ -d "$d" ] && find "$d" -maxdepth 1 -type f \
			-exec cp -n {} "$corpus/" \; 2>/dev/null
	done
	echo "== $t: ${seconds}s"
	if ! "$f" -max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-65536}" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$corpus" >"$build/$t.log" 2>&1; then
		echo "$t: FOUND A CRASH, see $build/$t.log and $crashes/"
		status=1
	fi
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
		"$build/$t.log" | sed "s/^/  /"
	grep -E '^#[0-9]+.*(cov|ft):' "$build/$t.log" | tail -n 1 | sed "s/^/  last: /"
done
exit $status
