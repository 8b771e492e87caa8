#!/bin/sh
# Compose healthcheck of the database nodes, both flavours (MySQL 8.4 and MariaDB):
# foobar-healthcheck node|primary|replica
#  primary: the application user can log in over TCP and run a query. TCP, not the socket: the entrypoint's
#           temporary init server listens on the socket only, and must not count as healthy.
#  replica: the same, plus both replication threads running, a known lag (NULL lag means replication is broken) and
#           the node read-only for the application (MySQL: super_read_only; MariaDB: read_only).
#  node:    what compose uses, since roles move (db-failover promotes a replica, and re-attaches the old primary as
#           one): `replica` for a node that has replica status, `primary` for one that has none.
#
# The replica status is read in vertical form (\G) WITH column names: `--skip-column-names` also drops the names from
# vertical output, and then no "Replica_IO_Running: Yes" line ever matches (the first version of this script did
# that, and the replica could never become healthy; DatabaseHealthcheckTest runs this script against a real server).
set -eu
role="${1:?usage: foobar-healthcheck node|primary|replica}"
export MYSQL_PWD="${MYSQL_PASSWORD:-${MARIADB_PASSWORD:-}}"
user="${MYSQL_USER:-${MARIADB_USER:-}}"
# The official mariadb image (11.x) has no `mysql` command any more; MySQL's has no `mariadb`.
client="$(command -v mariadb || command -v mysql)" || { echo "no mariadb or mysql client"; exit 1; }
sql() { "$client" --protocol=tcp -h127.0.0.1 -P3306 -u"$user" --batch "$@"; }
q() { sql --skip-column-names -e "$1"; }

[ "$(q 'SELECT 1')" = "1" ] || { echo "query failed"; exit 1; }
if [ "$role" = node ]; then
  case "$(q 'SELECT VERSION()')" in
    *MariaDB*) [ -n "$(sql -e 'SHOW SLAVE STATUS\G')" ] && role=replica || role=primary ;;
    *)         [ -n "$(sql -e 'SHOW REPLICA STATUS\G')" ] && role=replica || role=primary ;;
  esac
fi
case "$role" in
  primary)
    exit 0
    ;;
  replica)
    case "$(q 'SELECT VERSION()')" in
      *MariaDB*) status="$(sql -e 'SHOW SLAVE STATUS\G')"; io=Slave_IO_Running sqlt=Slave_SQL_Running
                 lag=Seconds_Behind_Master readonly=read_only ;;
      *)         status="$(sql -e 'SHOW REPLICA STATUS\G')"; io=Replica_IO_Running sqlt=Replica_SQL_Running
                 lag=Seconds_Behind_Source readonly=super_read_only ;;
    esac
    [ -n "$status" ] || { echo "this node is not a replica (no replica status)"; exit 1; }
    echo "$status" | grep -q " $io: Yes" || { echo "replication receiver is not running"; exit 1; }
    echo "$status" | grep -q " $sqlt: Yes" || { echo "replication applier is not running"; exit 1; }
    echo "$status" | grep -q " $lag: [0-9]" || { echo "replication lag is unknown"; exit 1; }
    [ "$(q "SELECT @@global.$readonly")" = "1" ] || { echo "$readonly is off"; exit 1; }
    ;;
  *)
    echo "unknown role: $role"; exit 2
    ;;
esac
