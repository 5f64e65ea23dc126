# The realistic-text inputs the bench scripts share; source it.
#   gentmx_tmx N         prints the path of a gentmx.py TMX of N units in
#                        $cache, written first if it is not there
#   gentmx_queries TMX N DIR  writes DIR/expected.txt (the Norwegian of
#                        200 units spread over the TM) and DIR/q.txt
#                        (each with its second word dropped: the queries
#                        of shared/bench/README.md)
gentmx_tmx() {
	_t="$cache/gentmx-$1.tmx"
	[ -s "$_t" ] || python3 "$gen" "$1" >"$_t" || { rm -f "$_t"; return 1; }
	echo "$_t"
}

gentmx_queries() {
	_step=$(($2 / 200))
	[ "$_step" -ge 1 ] || _step=1
	awk -v s="$_step" 'NR > 3 && NR % s == 0' "$1" |
		sed -E 's/.*<tuv xml:lang="nb"><seg>([^<]*)<.*/\1/' >"$3/expected.txt"
	awk '{ $2 = ""; print }' "$3/expected.txt" >"$3/q.txt"
}
