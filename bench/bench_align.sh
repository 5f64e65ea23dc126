#!/bin/sh
# Aligner cost against document length: generated nb/en documents of
# 2,000 / 20,000 / 200,000 sentences (bench/gen_parallel.c), aligned with
# `tolk align --sentences`; prints wall and CPU time, peak memory (max
# RSS) and CPU time and memory per sentence, which stay flat when growth
# is linear (CPU time, unlike wall time, does not depend on what else the
# machine is doing).
#   TOLK=... TOLK_BUILD=... sh bench/bench_align.sh [SIZES...]
set -eu
: "${TOLK:?}" "${TOLK_BUILD:?}"
gen=$TOLK_BUILD/bench/gen_parallel
sizes=${*:-2000 20000 200000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%10s %8s %8s %9s %15s %13s\n' sentences "wall s" "CPU s" \
	"peak MiB" "CPU µs/sentence" "KiB/sentence"
for n in $sizes; do
	"$gen" "$n" 42 "$tmp/nb" "$tmp/en"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
			"$TOLK" align --sentences "$tmp/nb" "$tmp/en" >"$tmp/out"
	else # no GNU time (Debian package "time"): wall time only
		t0=$(date +%s.%N)
		"$TOLK" align --sentences "$tmp/nb" "$tmp/en" >"$tmp/out"
		awk -v a="$t0" -v b="$(date +%s.%N)" \
			'BEGIN { print b - a, 0, 0, 0 }' >"$tmp/time"
	fi
	read -r wall user sys kib <"$tmp/time"
	awk -v n="$n" -v w="$wall" -v c="$user" -v y="$sys" -v k="$kib" \
		'BEGIN { c += y
			 printf "%10d %8.2f %8.2f %9.1f %15.1f %13.3f\n", n, w, c,
				k / 1024, c * 1e6 / n, k / n }'
done
