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
: "${MYSQL_REPLICATION_USER:?MYSQL_REPLICATION_USER must be set}"
: "${MYSQL_REPLICATION_PASSWORD:?MYSQL_REPLICATION_PASSWORD must be set}"
: "${MYSQL_FAILOVER_USER:?MYSQL_FAILOVER_USER must be set}"
: "${MYSQL_FAILOVER_PASSWORD:?MYSQL_FAILOVER_PASSWORD must be set}"

mysql_note "foobar: creating the replication and failover users and resetting the GTID history"
docker_process_sql --database=mysql <<-EOSQL
	CREATE USER '${MYSQL_REPLICATION_USER}'@'%' IDENTIFIED BY '${MYSQL_REPLICATION_PASSWORD}';
	GRANT REPLICATION SLAVE ON *.* TO '${MYSQL_REPLICATION_USER}'@'%';
	-- db-failover: read_only (READ_ONLY ADMIN is no longer part of SUPER since 11.0), stop, repoint and start
	-- replication, gtid_slave_pos, the semi-sync sides, every status. No access to the shop's data.
	CREATE USER '${MYSQL_FAILOVER_USER}'@'%' IDENTIFIED BY '${MYSQL_FAILOVER_PASSWORD}';
	GRANT SUPER, READ_ONLY ADMIN, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, BINLOG ADMIN, BINLOG MONITOR,
	    SLAVE MONITOR, REPLICATION SLAVE, PROCESS, RELOAD, CONNECTION ADMIN ON *.* TO '${MYSQL_FAILOVER_USER}'@'%';
	-- The db-router reads @@gtid_binlog_pos and replica status with the app's user. MariaDB 10.5 split the old
	-- REPLICATION CLIENT: SHOW SLAVE STATUS needs SLAVE MONITOR, the binary log state BINLOG MONITOR.
	GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO '${MYSQL_USER}'@'%';
	RESET MASTER;
EOSQL

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
