#!/usr/bin/env bash
# The browser check, end to end on this machine: a replicated MariaDB pair (devdb, from webapp.jar), web-1 and
# web-2 (webapp.jar), the balancer in front, then headless Chromium through the balancer (check.mjs).
# Needs: ./mvnw -q -pl webapp,balancer -am package -DskipTests; Debian's chromium; npm ci in this folder.
# Not part of ./mvnw verify. Everything binds 127.0.0.1; everything started here is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
webjar="$root/webapp/target/webapp.jar"
lbjar="$root/balancer/target/balancer.jar"
work="$(mktemp -d /tmp/foobar-browser-check.XXXXXX)"
out="${OUT_DIR:-$here/out}"
db_port="${DB_PORT:-23406}"; replica_port="${REPLICA_PORT:-23407}"
web1_port="${WEB1_PORT:-18181}"; web2_port="${WEB2_PORT:-18182}"; lb_port="${LB_PORT:-18180}"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for f in "$webjar" "$lbjar"; do [[ -f "$f" ]] || { echo "missing $f: build first" >&2; exit 2; }; done
[[ -d "$here/node_modules/playwright-core" ]] || (cd "$here" && npm ci --no-audit --no-fund)

wait_for() { # what, command...
  local what="$1"; shift
  for _ in $(seq 1 180); do "$@" >/dev/null 2>&1 && { echo "  $what: up"; return 0; }; sleep 1; done
  echo "$what did not come up; logs in $work" >&2; exit 1
}

echo "starting devdb (primary :$db_port, replica :$replica_port)"
java -cp "$webjar" com.foobar.devdb.DevDbMain --primary-port "$db_port" --replica-port "$replica_port" \
  > "$work/devdb.log" 2>&1 & pids+=($!)
wait_for devdb grep -q "ready in" "$work/devdb.log"

url() { echo "jdbc:mysql://127.0.0.1:$1/foobar?useSSL=false&allowPublicKeyRetrieval=true"; }
for n in 1 2; do
  port_var="web${n}_port"
  java -jar "$webjar" --port "${!port_var}" --bind 127.0.0.1 --name "web-$n" --primary "$(url "$db_port")" \
    --replica "$(url "$replica_port")" --db-user foobar --db-password foobar > "$work/web-$n.log" 2>&1 & pids+=($!)
done
wait_for web-1 curl -fsS "http://127.0.0.1:$web1_port/ready"
wait_for web-2 curl -fsS "http://127.0.0.1:$web2_port/ready"

cat > "$work/balancer.yml" <<YAML
listeners:
  - name: http
    bind: 127.0.0.1:$lb_port
    default_pool: web
pools:
  web:
    algorithm: round-robin
    servers:
      - { name: web-1, address: 127.0.0.1:$web1_port }
      - { name: web-2, address: 127.0.0.1:$web2_port }
    health_check: { path: /health, interval: 500ms, rise: 1, fall: 2 }
admin:
  bind: 127.0.0.1:0
access_log: off
YAML
java -jar "$lbjar" --config "$work/balancer.yml" > "$work/balancer.log" 2>&1 & pids+=($!)
wait_for balancer curl -fsS "http://127.0.0.1:$lb_port/health"

BASE_URL="http://127.0.0.1:$lb_port" OUT_DIR="$out" node "$here/check.mjs"
