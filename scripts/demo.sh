#!/bin/sh
# `make demo`: builds a demo TM and glossary from fixtures/ and runs the
# main job, a lookup of a Norwegian sentence, showing what a translator sees.
#   scripts/demo.sh TOLK BUILD_DIR
set -eu
tolk=$1
build=$2
top=$(cd "$(dirname "$0")/.." && pwd)
db="$build/demo.db"

rm -f "$db" "$db-wal" "$db-shm"
"$tolk" --db "$db" import "$top/fixtures/demo-units.tsv"
"$tolk" --db "$db" glossary import "$top/fixtures/demo-glossary.tsv"
echo "Demo TM: $db"
echo
query="Møtet starter kl. 15.30 og varer til kl. 19."
echo "\$ tolk lookup \"$query\""
"$tolk" --db "$db" lookup "$query"
echo
query="Statsministerens kontor opplyser at Stortinget skal behandle saken før jul."
echo "\$ tolk lookup \"$query\""
"$tolk" --db "$db" lookup "$query" || true
echo
echo "\$ tolk glossary find \"$query\""
"$tolk" --db "$db" glossary find "$query"
