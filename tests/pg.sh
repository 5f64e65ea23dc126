# Throwaway PostgreSQL servers for the CLI tests.  Source it after
# tests/cli/lib.sh.
#
#   pg_find           finds (as root with apt: installs) PostgreSQL; else
#                     returns 1 with the reason in $pg_why_not
#   pg_require NAME   pg_find and pg_start, or the tests NAME skipped
#                     with the reason and the script ended
#   pg_start          initdb + pg_ctl start of a new server in a temporary
#                     folder: Unix socket there only (no TCP), run as an
#                     unprivileged user (nobody when we are root, which
#                     PostgreSQL refuses); sets PG_DIR (also its socket
#                     folder) and PG_PORT
#   pg_replica        a streaming replica of the server in PG_DIR
#                     (pg_basebackup -R); sets PG_RDIR, PG_RPORT
#   pg_stop DIR       stops a server now (-m immediate)
#   pg_newdb NAME     creates database NAME on PG_DIR's server and sets
#                     TOLK_DB to its URI (the owner, a superuser)
#   pg_sql DB SQL     runs SQL in database DB as the superuser
#
#   PG_CONF_EXTRA     lines added to each new server's postgresql.conf
#
# Every server is stopped and its folder removed when the script exits,
# also on failure or interruption.

PG_SUPER=postgres
_pg_dirs=""

pg_find() {
	pg_why_not=""
	PG_BIN=""
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			PG_BIN=$d
			break
		fi
	done
	if [ -z "$PG_BIN" ] && command -v pg_config >/dev/null 2>&1 &&
		[ -x "$(pg_config --bindir)/initdb" ]; then
		PG_BIN=$(pg_config --bindir)
	fi
	if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] &&
		command -v apt-get >/dev/null 2>&1; then
		echo "# installing postgresql for the PostgreSQL tests" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			postgresql >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install \
					-y -q postgresql >/dev/null 2>&1; } || true
		pg_find
		return
	fi
	if [ -z "$PG_BIN" ]; then
		pg_why_not="PostgreSQL is not installed (no initdb; as root with apt the tests install the postgresql package)"
		return 1
	fi
	if [ "$(id -u)" = 0 ]; then
		if ! id nobody >/dev/null 2>&1; then
			pg_why_not="running as root and there is no user 'nobody' to run PostgreSQL as"
			return 1
		fi
		if ! command -v runuser >/dev/null 2>&1; then
			pg_why_not="running as root without runuser to start PostgreSQL as 'nobody'"
			return 1
		fi
	fi
	return 0
}

# Runs a server program as the unprivileged user.
_pg_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}

_pg_cleanup() {
	# servers a test case started in its subshell are known by the file
	[ -f "${_root:-/nonexistent}/pg_dirs" ] &&
		_pg_dirs="$_pg_dirs $(cat "$_root/pg_dirs")"
	for _d in $_pg_dirs; do
		[ -d "$_d/data" ] &&
			_pg_as "$PG_BIN/pg_ctl" -D "$_d/data" -m immediate \
				stop >/dev/null 2>&1
		rm -rf "$_d"
	done
	_pg_dirs=""
	rm -rf "${_root:-}"
}
trap _pg_cleanup EXIT
trap 'exit 130' INT TERM HUP

_pg_newdir() {
	_dir=$(mktemp -d)
	_pg_dirs="$_pg_dirs $_dir"
	# a test case runs in a subshell, whose variables the exit trap of
	# the script does not see
	[ -d "${_root:-}" ] && echo "$_dir" >>"$_root/pg_dirs"
	chmod 700 "$_dir"
	[ "$(id -u)" = 0 ] && chown nobody "$_dir"
	return 0
}

_pg_conf() { # _pg_conf DIR PORT
	cat >>"$1/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$1'
port = $2
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
shared_buffers = 32MB
hot_standby = on
log_connections = on
${PG_CONF_EXTRA:-}
EOF
}

pg_start() {
	_pg_newdir
	PG_DIR=$_dir
	PG_PORT=5432
	_pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_SUPER" \
		--auth=trust --no-sync -E UTF8 --locale=C \
		>"$PG_DIR/initdb.log" 2>&1 ||
		{ cat "$PG_DIR/initdb.log" >&2; return 1; }
	_pg_conf "$PG_DIR" "$PG_PORT"
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
		start >/dev/null 2>&1 || { cat "$PG_DIR/log" >&2; return 1; }
}

pg_require() { # pg_require NAME
	if ! pg_find; then
		test_skip "$1" "$pg_why_not"
		test_done
		exit
	fi
	if ! pg_start 2>"$_root/pg.err"; then
		test_skip "$1" "could not start a server: $(head -c 300 "$_root/pg.err" | tr '\n' ' ')"
		test_done
		exit
	fi
}

pg_replica() {
	_pg_newdir
	PG_RDIR=$_dir
	PG_RPORT=5433
	_pg_as "$PG_BIN/pg_basebackup" -h "$PG_DIR" -p "$PG_PORT" \
		-U "$PG_SUPER" -D "$PG_RDIR/data" -R -X stream -c fast \
		>"$PG_RDIR/basebackup.log" 2>&1 ||
		{ cat "$PG_RDIR/basebackup.log" >&2; return 1; }
	# the copied configuration names the primary's socket and port
	_pg_conf "$PG_RDIR" "$PG_RPORT"
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_RDIR/data" -l "$PG_RDIR/log" -w \
		start >/dev/null 2>&1 || { cat "$PG_RDIR/log" >&2; return 1; }
}

pg_stop() {
	_pg_as "$PG_BIN/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1
}

pg_sql() { # pg_sql DB SQL
	"$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_DIR" \
		-p "$PG_PORT" -U "$PG_SUPER" -d "$1" -c "$2"
}

pg_newdb() {
	pg_sql postgres "CREATE DATABASE $1" >/dev/null
	TOLK_DB="postgresql://$PG_SUPER@/$1?host=$PG_DIR&port=$PG_PORT"
	export TOLK_DB
}
