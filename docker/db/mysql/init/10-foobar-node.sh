# Sourced by the mysql:8.4 entrypoint on the FIRST start only (empty data directory), inside its temporary server,
# after it created MYSQL_DATABASE and MYSQL_USER (the mariadb flavour's twin is db/mariadb/init). Both nodes run it:
# every node gets the same accounts, because any of them may be promoted and the others then replicate from it
# (db-failover). A node given MYSQL_SOURCE_HOST also starts as a replica of it.
#
# Both nodes create the same users from the same environment, so nothing written so far has to reach the replica.
# Clearing the binary log and GTID history here means the replica, which asks with SOURCE_AUTO_POSITION=1 for every
# transaction it lacks, receives only what happens after the first start (the webapp's Flyway migrations and the
# shop's data) and never a CREATE USER it already ran itself.
#
# Every node starts read-only (db-mysql.yaml: read_only; a replica also super_read_only, persisted below):
# db-failover, with enforce_writable_primary, makes the primary writable once it has looked at the nodes, and a node
# that restarts takes no write before that.
: "${MYSQL_USER:?MYSQL_USER must be set}"
: "${MYSQL_PASSWORD:?MYSQL_PASSWORD must be set}"
: "${MYSQL_REPLICATION_USER:?MYSQL_REPLICATION_USER must be set}"
: "${MYSQL_REPLICATION_PASSWORD:?MYSQL_REPLICATION_PASSWORD must be set}"
: "${MYSQL_FAILOVER_USER:?MYSQL_FAILOVER_USER must be set}"
: "${MYSQL_FAILOVER_PASSWORD:?MYSQL_FAILOVER_PASSWORD must be set}"
# The hosts each account is bound to (compose.yaml, x-db-accounts): the addresses on db of the services that use it,
# never '%' (the third firewall). Unset, an account is bound to '%' as before, for a user of this script outside
# compose.yaml; the exporter's account is made only when its user is set.
: "${FOOBAR_APP_HOSTS:=%}"
: "${FOOBAR_REPLICATION_HOSTS:=%}"
: "${FOOBAR_FAILOVER_HOSTS:=%}"

# accounts_sql USER PASSWORD "HOST ..." "PRIVILEGES ON WHAT" ...: CREATE USER and its grants, once per host.
accounts_sql() {
	local user="$1" password="$2" hosts="$3" host grant account
	shift 3
	for host in $hosts; do
		account="'${user}'@'${host}'"
		printf "CREATE USER %s IDENTIFIED BY '%s';\n" "$account" "$password"
		for grant in "$@"; do
			printf 'GRANT %s TO %s;\n' "$grant" "$account"
		done
	done
}

mysql_note "foobar: binding the accounts to their hosts (app: ${FOOBAR_APP_HOSTS}; replication: ${FOOBAR_REPLICATION_HOSTS}; failover: ${FOOBAR_FAILOVER_HOSTS}; exporter: ${FOOBAR_EXPORTER_HOSTS:-none}) and resetting the GTID history"
{
	# The shop's user, made by the entrypoint as '%', is bound to the web servers instead, and to 127.0.0.1 for
	# the node's own healthcheck (db/healthcheck.sh logs in over TCP on loopback).
	echo "DROP USER IF EXISTS '${MYSQL_USER}'@'%';"
	accounts_sql "$MYSQL_USER" "$MYSQL_PASSWORD" "$FOOBAR_APP_HOSTS 127.0.0.1" \
		"ALL PRIVILEGES ON \`${MYSQL_DATABASE:-foobar}\`.*" \
		"REPLICATION CLIENT ON *.*"
	accounts_sql "$MYSQL_REPLICATION_USER" "$MYSQL_REPLICATION_PASSWORD" "$FOOBAR_REPLICATION_HOSTS" \
		"REPLICATION SLAVE ON *.*"
	accounts_sql "$MYSQL_FAILOVER_USER" "$MYSQL_FAILOVER_PASSWORD" "$FOOBAR_FAILOVER_HOSTS" \
		"SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN, REPLICATION CLIENT, REPLICATION SLAVE, PROCESS, RELOAD, CONNECTION_ADMIN ON *.*" \
		"SELECT ON performance_schema.*"
	if [ -n "${MYSQL_EXPORTER_USER:-}" ]; then
		# mysqld_exporter: status, processes, replica status, InnoDB metrics. Nothing of the shop's data.
		accounts_sql "$MYSQL_EXPORTER_USER" "${MYSQL_EXPORTER_PASSWORD:?MYSQL_EXPORTER_PASSWORD must be set}" \
			"${FOOBAR_EXPORTER_HOSTS:-%}" "PROCESS, REPLICATION CLIENT ON *.*" "SELECT ON performance_schema.*"
	fi
	echo "RESET BINARY LOGS AND GTIDS;"
} | docker_process_sql --database=mysql

if [ -n "${MYSQL_SOURCE_HOST:-}" ]; then
	# GET_SOURCE_PUBLIC_KEY=1 lets the replication user authenticate with caching_sha2_password without TLS.
	# super_read_only is persisted: it must not apply during this init (the entrypoint still writes) but does from the
	# real start on, so that nothing but the replication applier can write here.
	mysql_note "foobar: configuring replication from ${MYSQL_SOURCE_HOST}:${MYSQL_SOURCE_PORT:-3306} (GTID auto-position)"
	docker_process_sql --database=mysql <<-EOSQL
		CHANGE REPLICATION SOURCE TO
		    SOURCE_HOST = '${MYSQL_SOURCE_HOST}',
		    SOURCE_PORT = ${MYSQL_SOURCE_PORT:-3306},
		    SOURCE_USER = '${MYSQL_REPLICATION_USER}',
		    SOURCE_PASSWORD = '${MYSQL_REPLICATION_PASSWORD}',
		    SOURCE_AUTO_POSITION = 1,
		    GET_SOURCE_PUBLIC_KEY = 1,
		    SOURCE_CONNECT_RETRY = 5,
		    SOURCE_RETRY_COUNT = 1000;
		SET PERSIST super_read_only = ON;
		START REPLICA;
	EOSQL
fi
