# Sourced by the mariadb image's entrypoint on the FIRST start only (empty data directory), inside its temporary
# server, after it created MYSQL_DATABASE and MYSQL_USER. Makes this node a GTID replication source (FOOBAR_DB_FLAVOR
# mariadb; the mysql flavour's twin is db/mysql/primary).
#
# MariaDB always writes GTIDs (domain-server-sequence) to its binary log; the server options in db-mariadb.yaml add
# gtid_strict_mode. The replica initialises itself from the same environment (same database, same user), so nothing
# written so far has to reach it: RESET MASTER empties the binary log and the GTID state here, and the replica, which
# asks with MASTER_USE_GTID=slave_pos from an empty position, receives only what happens after first start (the
# webapp's Flyway migrations and the shop's data), never a CREATE USER it already ran itself.
: "${MYSQL_REPLICATION_USER:?MYSQL_REPLICATION_USER must be set}"
: "${MYSQL_REPLICATION_PASSWORD:?MYSQL_REPLICATION_PASSWORD must be set}"
: "${MYSQL_USER:?MYSQL_USER must be set}"

mysql_note "foobar: creating replication user '${MYSQL_REPLICATION_USER}' and resetting the GTID history"
docker_process_sql --database=mysql <<-EOSQL
	CREATE USER '${MYSQL_REPLICATION_USER}'@'%' IDENTIFIED BY '${MYSQL_REPLICATION_PASSWORD}';
	GRANT REPLICATION SLAVE ON *.* TO '${MYSQL_REPLICATION_USER}'@'%';
	-- The db-router reads @@gtid_binlog_pos and replica status with the app's user. MariaDB 10.5 split the old
	-- REPLICATION CLIENT: SHOW SLAVE STATUS needs SLAVE MONITOR, the binary log state BINLOG MONITOR.
	GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO '${MYSQL_USER}'@'%';
	RESET MASTER;
EOSQL
