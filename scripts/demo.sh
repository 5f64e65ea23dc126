#!/bin/sh
# `make demo`: builds a demo TM from fixtures/ and runs the main job, a
# lookup of a Norwegian sentence, showing what a translator sees.
#   scripts/demo.sh TOLK BUILD_DIR
set -eu
tolk=$1
build=$2
top=$(cd "$(dirname "$0")/.." && pwd)
db="$build/demo.db"

rm -f "$db" "$db-wal" "$db-shm"
# Tab-separated units: nb<TAB>en, '#' lines are comments.
grep -v '^#' "$top/fixtures/demo-units.tsv" | while IFS='	' read -r nb en; do
	[ -n "$nb" ] || continue
	"$tolk" --db "$db" add "$nb" "$en" >/dev/null
done
echo "Demo TM: $db"
"$tolk" --db "$db" stats
query="Møtet starter kl. 14.30 og varer til ca. kl. 19."
echo
echo "\$ tolk lookup \"$query\""
"$tolk" --db "$db" lookup "$query"
