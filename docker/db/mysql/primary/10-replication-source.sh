# Sourced by the mysql:8.4 entrypoint on the FIRST start only (empty data directory), inside its temporary server,
# after it created MYSQL_DATABASE and MYSQL_USER. Makes this node a GTID replication source.
#
# The replica initialises itself from the same environment (same database, same user), so nothing written so far has
# to reach it. Clearing the binary log and GTID history here means the replica, which asks with
# SOURCE_AUTO_POSITION=1 for every transaction it lacks, receives only what happens after first start (the webapp's
# Flyway migrations and the shop's data) and never a CREATE USER it already ran itself.
: "${MYSQL_REPLICATION_USER:?MYSQL_REPLICATION_USER must be set}"
: "${MYSQL_REPLICATION_PASSWORD:?MYSQL_REPLICATION_PASSWORD must be set}"
: "${MYSQL_USER:?MYSQL_USER must be set}"

mysql_note "foobar: creating replication user '${MYSQL_REPLICATION_USER}' and resetting the GTID history"
docker_process_sql --database=mysql <<-EOSQL
	CREATE USER '${MYSQL_REPLICATION_USER}'@'%' IDENTIFIED BY '${MYSQL_REPLICATION_PASSWORD}';
	GRANT REPLICATION SLAVE ON *.* TO '${MYSQL_REPLICATION_USER}'@'%';
	-- The db-router reads @@gtid_executed and replica status; it needs no more than this outside its schema.
	GRANT REPLICATION CLIENT ON *.* TO '${MYSQL_USER}'@'%';
	RESET BINARY LOGS AND GTIDS;
EOSQL
