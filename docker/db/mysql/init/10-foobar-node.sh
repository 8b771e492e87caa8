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
: "${MYSQL_REPLICATION_USER:?MYSQL_REPLICATION_USER must be set}"
: "${MYSQL_REPLICATION_PASSWORD:?MYSQL_REPLICATION_PASSWORD must be set}"
: "${MYSQL_FAILOVER_USER:?MYSQL_FAILOVER_USER must be set}"
: "${MYSQL_FAILOVER_PASSWORD:?MYSQL_FAILOVER_PASSWORD must be set}"

mysql_note "foobar: creating the replication and failover users and resetting the GTID history"
docker_process_sql --database=mysql <<-EOSQL
	CREATE USER '${MYSQL_REPLICATION_USER}'@'%' IDENTIFIED BY '${MYSQL_REPLICATION_PASSWORD}';
	GRANT REPLICATION SLAVE ON *.* TO '${MYSQL_REPLICATION_USER}'@'%';
	-- db-failover: read_only and super_read_only, stop, repoint and start replication, the semi-sync sides, every
	-- status (performance_schema for the replication connection state). No access to the shop's data.
	CREATE USER '${MYSQL_FAILOVER_USER}'@'%' IDENTIFIED BY '${MYSQL_FAILOVER_PASSWORD}';
	GRANT SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN, REPLICATION CLIENT, REPLICATION SLAVE, PROCESS, RELOAD,
	    CONNECTION_ADMIN ON *.* TO '${MYSQL_FAILOVER_USER}'@'%';
	GRANT SELECT ON performance_schema.* TO '${MYSQL_FAILOVER_USER}'@'%';
	-- The db-router reads @@gtid_executed and replica status; it needs no more than this outside its schema.
	GRANT REPLICATION CLIENT ON *.* TO '${MYSQL_USER}'@'%';
	RESET BINARY LOGS AND GTIDS;
EOSQL

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
