# Sourced by the mariadb image's entrypoint on the FIRST start only (empty data directory), inside its temporary
# server, after it created MYSQL_DATABASE and MYSQL_USER (FOOBAR_DB_FLAVOR mariadb; the mysql flavour's twin is
# db/mysql/init). Both nodes run it: every node gets the same accounts, because any of them may be promoted and the
# others then replicate from it (db-failover). A node given MYSQL_SOURCE_HOST also starts as a replica of it.
#
# MariaDB always writes GTIDs (domain-server-sequence) to its binary log; the server options in db-mariadb.yaml add
# gtid_strict_mode, log_slave_updates, semi-sync and read_only (every node starts read-only: db-failover, with
# enforce_writable_primary, makes the primary writable once it has looked at the nodes, and a node that restarts
# takes no write before that). Both nodes create the same users from the same environment, so nothing written so far
# has to reach the replica: RESET MASTER empties the binary log and the GTID state here, and the replica, which asks
# with MASTER_USE_GTID=slave_pos from an empty position, receives only what happens after the first start (the
# webapp's Flyway migrations and the shop's data), never a CREATE USER it already ran itself.
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
		"SLAVE MONITOR, BINLOG MONITOR ON *.*"
	accounts_sql "$MYSQL_REPLICATION_USER" "$MYSQL_REPLICATION_PASSWORD" "$FOOBAR_REPLICATION_HOSTS" \
		"REPLICATION SLAVE ON *.*"
	accounts_sql "$MYSQL_FAILOVER_USER" "$MYSQL_FAILOVER_PASSWORD" "$FOOBAR_FAILOVER_HOSTS" \
		"SUPER, READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, BINLOG ADMIN, BINLOG MONITOR, SLAVE MONITOR, REPLICATION SLAVE, PROCESS, RELOAD, CONNECTION ADMIN ON *.*"
	if [ -n "${MYSQL_EXPORTER_USER:-}" ]; then
		# mysqld_exporter: status, processes, replica status, InnoDB metrics. Nothing of the shop's data.
		accounts_sql "$MYSQL_EXPORTER_USER" "${MYSQL_EXPORTER_PASSWORD:?MYSQL_EXPORTER_PASSWORD must be set}" \
			"${FOOBAR_EXPORTER_HOSTS:-%}" "PROCESS, SLAVE MONITOR, BINLOG MONITOR ON *.*" "SELECT ON performance_schema.*"
	fi
	echo "RESET MASTER;"
} | docker_process_sql --database=mysql

if [ -n "${MYSQL_SOURCE_HOST:-}" ]; then
	# Not started here: the entrypoint's temporary server runs with skip-slave-start, and the real server starts the
	# replica threads by itself once replication is configured.
	mysql_note "foobar: configuring replication from ${MYSQL_SOURCE_HOST}:${MYSQL_SOURCE_PORT:-3306} (GTID, slave_pos)"
	docker_process_sql --database=mysql <<-EOSQL
		SET GLOBAL gtid_slave_pos = '';
		CHANGE MASTER TO
		    MASTER_HOST = '${MYSQL_SOURCE_HOST}',
		    MASTER_PORT = ${MYSQL_SOURCE_PORT:-3306},
		    MASTER_USER = '${MYSQL_REPLICATION_USER}',
		    MASTER_PASSWORD = '${MYSQL_REPLICATION_PASSWORD}',
		    MASTER_USE_GTID = slave_pos,
		    MASTER_CONNECT_RETRY = 5;
	EOSQL
fi
