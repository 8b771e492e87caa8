#!/bin/sh
# Compose healthcheck for the MySQL nodes: foobar-healthcheck primary|replica
#  primary: the application user can log in over TCP and run a query. TCP, not the socket: the entrypoint's
#           temporary init server listens on the socket only, and must not count as healthy.
#  replica: the same, plus both replication threads running and a known lag (NULL lag means replication is broken).
set -eu
role="${1:?usage: foobar-healthcheck primary|replica}"
export MYSQL_PWD="${MYSQL_PASSWORD}"
q() { mysql --protocol=tcp -h127.0.0.1 -P3306 -u"${MYSQL_USER}" --batch --skip-column-names -e "$1"; }

[ "$(q 'SELECT 1')" = "1" ] || { echo "query failed"; exit 1; }
case "$role" in
  primary)
    exit 0
    ;;
  replica)
    status="$(q 'SHOW REPLICA STATUS\G')"
    echo "$status" | grep -q 'Replica_IO_Running: Yes' || { echo "replication receiver is not running"; exit 1; }
    echo "$status" | grep -q 'Replica_SQL_Running: Yes' || { echo "replication applier is not running"; exit 1; }
    echo "$status" | grep -q 'Seconds_Behind_Source: [0-9]' || { echo "replication lag is unknown"; exit 1; }
    [ "$(q 'SELECT @@global.super_read_only')" = "1" ] || { echo "super_read_only is off"; exit 1; }
    ;;
  *)
    echo "unknown role: $role"; exit 2
    ;;
esac
