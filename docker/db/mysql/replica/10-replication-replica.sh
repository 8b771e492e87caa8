# Sourced by the mysql:8.4 entrypoint on the FIRST start only (empty data directory), inside its temporary server,
# after it created MYSQL_DATABASE and MYSQL_USER exactly as the primary did. Makes this node a GTID replica of
# MYSQL_SOURCE_HOST (the primary's alias on the db network).
#
# Replication starts empty on both sides (the primary resets its GTID history too), then follows the primary with
# SOURCE_AUTO_POSITION=1. GET_SOURCE_PUBLIC_KEY=1 lets the replication user authenticate with caching_sha2_password
# without TLS. super_read_only is persisted: it must not apply during this init (the entrypoint still writes) but
# does from the real start on, so that nothing but the replication applier can write here.
: "${MYSQL_SOURCE_HOST:?MYSQL_SOURCE_HOST must be set}"
: "${MYSQL_REPLICATION_USER:?MYSQL_REPLICATION_USER must be set}"
: "${MYSQL_REPLICATION_PASSWORD:?MYSQL_REPLICATION_PASSWORD must be set}"
: "${MYSQL_USER:?MYSQL_USER must be set}"

mysql_note "foobar: configuring replication from ${MYSQL_SOURCE_HOST}:${MYSQL_SOURCE_PORT:-3306} (GTID auto-position)"
docker_process_sql --database=mysql <<-EOSQL
	GRANT REPLICATION CLIENT ON *.* TO '${MYSQL_USER}'@'%';
	RESET BINARY LOGS AND GTIDS;
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
