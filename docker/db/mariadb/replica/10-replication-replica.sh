# Sourced by the mariadb image's entrypoint on the FIRST start only (empty data directory), inside its temporary
# server, after it created MYSQL_DATABASE and MYSQL_USER exactly as the primary did. Makes this node a GTID replica of
# MYSQL_SOURCE_HOST, the primary's alias on the db network (FOOBAR_DB_FLAVOR mariadb; the mysql flavour's twin is
# db/mysql/replica).
#
# Replication starts empty on both sides (the primary resets its binary log too) and follows the primary by GTID
# (MASTER_USE_GTID=slave_pos). It is not started here: the entrypoint's temporary server runs with skip-slave-start,
# and the real server starts the replica threads by itself once replication is configured. read_only comes from the
# server options (db-mariadb.yaml), so it holds from the real start on and not during this init.
: "${MYSQL_SOURCE_HOST:?MYSQL_SOURCE_HOST must be set}"
: "${MYSQL_REPLICATION_USER:?MYSQL_REPLICATION_USER must be set}"
: "${MYSQL_REPLICATION_PASSWORD:?MYSQL_REPLICATION_PASSWORD must be set}"
: "${MYSQL_USER:?MYSQL_USER must be set}"

mysql_note "foobar: configuring replication from ${MYSQL_SOURCE_HOST}:${MYSQL_SOURCE_PORT:-3306} (GTID, slave_pos)"
docker_process_sql --database=mysql <<-EOSQL
	GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO '${MYSQL_USER}'@'%';
	RESET MASTER;
	SET GLOBAL gtid_slave_pos = '';
	CHANGE MASTER TO
	    MASTER_HOST = '${MYSQL_SOURCE_HOST}',
	    MASTER_PORT = ${MYSQL_SOURCE_PORT:-3306},
	    MASTER_USER = '${MYSQL_REPLICATION_USER}',
	    MASTER_PASSWORD = '${MYSQL_REPLICATION_PASSWORD}',
	    MASTER_USE_GTID = slave_pos,
	    MASTER_CONNECT_RETRY = 5;
EOSQL
