#!/bin/sh
# Aligner cost against document length: generated nb/en documents of
# 2,000 / 20,000 / 200,000 sentences (bench/gen_parallel.c), aligned with
# `tolk align --sentences`; prints wall time, peak memory (max RSS) and
# both per sentence, which stay flat when growth is linear.
#   TOLK=... TOLK_BUILD=... sh bench/bench_align.sh [SIZES...]
set -eu
: "${TOLK:?}" "${TOLK_BUILD:?}"
gen=$TOLK_BUILD/bench/gen_parallel
sizes=${*:-2000 20000 200000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%10s %10s %10s %14s %14s\n' sentences seconds "peak MiB" \
	"µs/sentence" "KiB/sentence"
for n in $sizes; do
	"$gen" "$n" 42 "$tmp/nb" "$tmp/en"
	/usr/bin/time -f '%e %M' -o "$tmp/time" \
		"$TOLK" align --sentences "$tmp/nb" "$tmp/en" >"$tmp/out"
	read -r secs kib <"$tmp/time"
	awk -v n="$n" -v s="$secs" -v k="$kib" 'BEGIN {
		printf "%10d %10.2f %10.1f %14.2f %14.3f\n", n, s, k / 1024,
		       s * 1e6 / n, k / n }'
done
