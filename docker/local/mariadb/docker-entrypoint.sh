#!/bin/bash
# Entrypoint of the local MariaDB stand-in (docker/local/mariadb/Dockerfile). It keeps the documented contract of the
# official mariadb image's entrypoint (environment variables, /docker-entrypoint-initdb.d, the helper functions that
# sourced init scripts call), written here from that documentation, so that compose files and init scripts made for
# the official image run on Debian's mariadb-server unchanged. What it leaves out: Galera, MARIADB_AUTO_UPGRADE,
# MARIADB_REPLICATION_* / MARIADB_MASTER_HOST (this project's init scripts set replication up themselves), and the
# image's healthcheck.sh.
set -eo pipefail

mysql_log() {
	local type="$1"
	shift
	printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
mysql_note() { mysql_log Note "$@"; }
mysql_warn() { mysql_log Warn "$@" >&2; }
mysql_error() {
	mysql_log ERROR "$@" >&2
	exit 1
}

# file_env NAME [DEFAULT] [ALIAS]: exports NAME from NAME, NAME_FILE, ALIAS or ALIAS_FILE, in that order (the official
# image prefers MARIADB_* and still reads MYSQL_*), else DEFAULT. Setting both a variable and its _FILE is an error.
file_env() {
	local name="$1" default="${2:-}" alias="${3:-}" value candidate file
	value="$default"
	for candidate in "$name" "$alias"; do
		[ -n "$candidate" ] || continue
		file="${candidate}_FILE"
		if [ -n "${!candidate:-}" ] && [ -n "${!file:-}" ]; then
			mysql_error "both $candidate and $file are set; they are exclusive"
		fi
		if [ -n "${!candidate:-}" ]; then
			value="${!candidate}"
			break
		fi
		if [ -n "${!file:-}" ]; then
			value="$(<"${!file}")"
			break
		fi
	done
	export "$name"="$value"
	unset "${name}_FILE"
}

# One server variable as mariadbd would have it with these arguments (the option files included).
server_config() {
	local wanted="$1"
	shift
	"$@" --verbose --help 2>/dev/null | awk -v name="$wanted" '$1 == name { print $2; exit }'
}

# A string made safe inside a single-quoted SQL literal.
sql_literal() {
	local s="$1"
	s="${s//\\/\\\\}"
	s="${s//\'/\\\'}"
	printf '%s' "$s"
}

# docker_process_sql [--dont-use-mysql-root-password] [client options...] < SQL
# Runs SQL on the temporary server as root, in MARIADB_DATABASE unless the caller names another --database.
docker_process_sql() {
	local password="$MARIADB_ROOT_PASSWORD"
	if [ "${1:-}" = '--dont-use-mysql-root-password' ]; then
		password=
		shift
	fi
	if [ -n "$MARIADB_DATABASE" ]; then
		set -- --database="$MARIADB_DATABASE" "$@"
	fi
	MYSQL_PWD="$password" mariadb --protocol=socket --socket="$SOCKET" --user=root --host=localhost \
		--comments --binary-mode "$@"
}

docker_process_init_files() {
	local f
	for f in "$@"; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					mysql_note "$0: running $f"
					"$f"
				else
					mysql_note "$0: sourcing $f"
					# shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql)
				mysql_note "$0: running $f"
				docker_process_sql <"$f"
				;;
			*.sql.gz)
				mysql_note "$0: running $f"
				gunzip -c "$f" | docker_process_sql
				;;
			*)
				mysql_warn "$0: ignoring $f"
				;;
		esac
	done
}

setup_env() {
	file_env MARIADB_ROOT_PASSWORD '' MYSQL_ROOT_PASSWORD
	file_env MARIADB_ALLOW_EMPTY_ROOT_PASSWORD '' MYSQL_ALLOW_EMPTY_PASSWORD
	file_env MARIADB_RANDOM_ROOT_PASSWORD '' MYSQL_RANDOM_ROOT_PASSWORD
	file_env MARIADB_ROOT_HOST '%' MYSQL_ROOT_HOST
	file_env MARIADB_DATABASE '' MYSQL_DATABASE
	file_env MARIADB_USER '' MYSQL_USER
	file_env MARIADB_PASSWORD '' MYSQL_PASSWORD
	file_env MARIADB_INITDB_SKIP_TZINFO '' MYSQL_INITDB_SKIP_TZINFO
	if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] \
		&& [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		mysql_error "the database is uninitialized and no root password option is set: set one of" \
			"MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD or MARIADB_RANDOM_ROOT_PASSWORD"
	fi
	if [ -n "$MARIADB_USER" ] && [ "$MARIADB_USER" = root ]; then
		mysql_error "MARIADB_USER=root: the root user is set up by MARIADB_ROOT_PASSWORD; choose another name"
	fi
	if [ -n "$MARIADB_USER" ] && [ -z "$MARIADB_PASSWORD" ]; then
		mysql_warn "MARIADB_USER is set without MARIADB_PASSWORD: that user gets an empty password"
	fi
}

temp_server_start() {
	mysql_note "starting a temporary server for initialization"
	"$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
		--expire-logs-days=0 --skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 &
	TEMP_PID=$!
	local i
	for i in $(seq 1 60); do
		if MYSQL_PWD= mariadb --protocol=socket --socket="$SOCKET" --user=root -e 'SELECT 1' >/dev/null 2>&1 \
			|| MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb --protocol=socket --socket="$SOCKET" --user=root \
				-e 'SELECT 1' >/dev/null 2>&1; then
			mysql_note "temporary server started"
			return 0
		fi
		kill -0 "$TEMP_PID" 2>/dev/null || mysql_error "the temporary server exited during start; see its log above"
		sleep 1
	done
	mysql_error "the temporary server did not answer within 60 s"
}

temp_server_stop() {
	MYSQL_PWD="$MARIADB_ROOT_PASSWORD" mariadb-admin --socket="$SOCKET" --user=root shutdown
	wait "$TEMP_PID" || true
	mysql_note "temporary server stopped"
}

setup_db() {
	if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ] && [ -d /usr/share/zoneinfo ] && command -v mariadb-tzinfo-to-sql >/dev/null; then
		mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null \
			| docker_process_sql --dont-use-mysql-root-password --database=mysql
	fi
	if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		MARIADB_ROOT_PASSWORD="$(tr -dc 'A-Za-z0-9,.:;_+=-' </dev/urandom | head -c 32)"
		export MARIADB_ROOT_PASSWORD
		mysql_note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
	fi
	local root_pw root_host create_root='' anonymous
	root_pw="$(sql_literal "$MARIADB_ROOT_PASSWORD")"
	root_host="$(sql_literal "$MARIADB_ROOT_HOST")"
	if [ "$MARIADB_ROOT_HOST" != localhost ]; then
		create_root="CREATE USER 'root'@'${root_host}' IDENTIFIED BY '${root_pw}';
			GRANT ALL ON *.* TO 'root'@'${root_host}' WITH GRANT OPTION;
			GRANT PROXY ON ''@'%' TO 'root'@'${root_host}' WITH GRANT OPTION;"
	fi
	# Anonymous accounts would shadow MARIADB_USER for connections from localhost; the official image drops them.
	anonymous="$(docker_process_sql --dont-use-mysql-root-password --database=mysql --skip-column-names \
		-e "SELECT CONCAT('DROP USER ''''@''', REPLACE(Host, '''', ''''''), ''';') FROM mysql.user WHERE User = ''")"
	mysql_note "securing the root user and dropping anonymous accounts"
	docker_process_sql --dont-use-mysql-root-password --database=mysql <<-EOSQL
		SET @@SESSION.SQL_LOG_BIN = 0;
		SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		${anonymous}
		DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@''', @@hostname, '''');
		DROP DATABASE IF EXISTS test;
		SET PASSWORD FOR 'root'@'localhost' = PASSWORD('${root_pw}');
		${create_root}
	EOSQL
	if [ -n "$MARIADB_DATABASE" ]; then
		mysql_note "creating database ${MARIADB_DATABASE}"
		docker_process_sql --database=mysql <<-EOSQL
			SET @@SESSION.SQL_LOG_BIN = 0;
			CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\`;
		EOSQL
	fi
	if [ -n "$MARIADB_USER" ]; then
		local user_pw
		user_pw="$(sql_literal "$MARIADB_PASSWORD")"
		mysql_note "creating user ${MARIADB_USER}"
		docker_process_sql --database=mysql <<-EOSQL
			SET @@SESSION.SQL_LOG_BIN = 0;
			SET @@SESSION.SQL_MODE = REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
			CREATE USER '$(sql_literal "$MARIADB_USER")'@'%' IDENTIFIED BY '${user_pw}';
		EOSQL
		if [ -n "$MARIADB_DATABASE" ]; then
			mysql_note "giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
			docker_process_sql --database=mysql <<-EOSQL
				SET @@SESSION.SQL_LOG_BIN = 0;
				GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$(sql_literal "$MARIADB_USER")'@'%';
			EOSQL
		fi
	fi
}

main() {
	if [ "${1:0:1}" = '-' ]; then
		set -- mariadbd "$@"
	fi
	if [ "$1" != mariadbd ] && [ "$1" != mysqld ]; then
		exec "$@"
	fi
	shopt -s nullglob
	if [ "$(id -u)" = 0 ]; then
		# Volumes may come owned by root; the server runs as mysql.
		local dir
		dir="$(server_config datadir "$@")"
		mkdir -p "${dir:-/var/lib/mysql}" /run/mysqld
		find "${dir:-/var/lib/mysql}" /run/mysqld \! -user mysql -exec chown mysql:mysql '{}' +
		exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
	fi
	DATADIR="$(server_config datadir "$@")"
	DATADIR="${DATADIR:-/var/lib/mysql}"
	SOCKET="$(server_config socket "$@")"
	SOCKET="${SOCKET:-/run/mysqld/mysqld.sock}"
	if [ ! -d "$DATADIR/mysql" ]; then
		setup_env
		mysql_note "initializing the database files in $DATADIR"
		# Options after "${@:2}" win: the system tables are made without a binary log.
		mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal "${@:2}" \
			--skip-test-db --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
			--loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
		temp_server_start "$@"
		setup_db
		docker_process_init_files /docker-entrypoint-initdb.d/*
		temp_server_stop
		mysql_note "initialization finished; ready for start up"
	fi
	exec "$@"
}

# Sourced (by a test of these functions), define them only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
