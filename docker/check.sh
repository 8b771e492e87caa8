#!/usr/bin/env bash
# Static checks of the compose stack, for machines with no Docker engine (CI runs this from .ci/run):
#   docker-compose config   the compose file validates (Debian's docker-compose 1.29; see README.md here)
#                           and the swarm stack file (docker/swarm.yaml) against the same schema
#   promtool check config   the Prometheus configuration
#   JSON parse              the Grafana dashboards and provisioning
#   node --check            the k6 scripts
#   sh -n / bash -n         the database init and healthcheck scripts, the local stand-ins' scripts
# Each validator is also shown a broken copy and must reject it, so that a validator that accepts anything cannot
# pass for a check. Needs: docker-compose, promtool and node (Debian packages docker-compose, prometheus, nodejs).
set -euo pipefail
cd "$(dirname "$0")"

failures=0
step() { printf '  %-66s' "$1"; }
ok() { echo "ok"; }
bad() { echo "FAILED"; [ -n "${1:-}" ] && sed 's/^/      /' <<<"$1"; failures=$((failures + 1)); }
run() { local out; if out="$("$@" 2>&1)"; then ok; else bad "$out"; fi; }
rejects() { local out; if out="$("$@" 2>&1)"; then bad "accepted a broken file: $*"; else ok; fi; }

scratch="$(mktemp -d)"
# A broken copy of compose.yaml sits next to the original, so that its relative paths resolve the same.
broken="./.compose-broken-$$.yaml"
trap 'rm -rf "$scratch" "$broken"' EXIT

echo "== docker/ static checks"

step "compose: docker-compose config (docker/compose.yaml)"
run docker-compose -f compose.yaml config -q
for flavor in mysql mariadb; do
  step "compose: FOOBAR_DB_FLAVOR=$flavor"
  if out="$(FOOBAR_DB_FLAVOR=$flavor docker-compose -f compose.yaml config 2>&1)" && grep -q "image: $flavor:" <<<"$out"; then ok; else bad "$out"; fi
done
step "compose: compose.local.yaml overrides it (no-registry machines)"
run env FOOBAR_DB_FLAVOR=mariadb docker-compose -f compose.yaml -f compose.local.yaml config -q
step "compose: the load profile adds k6"
if services="$(docker-compose -f compose.yaml --profile load config --services 2>&1)" && grep -qx k6 <<<"$services"; then ok; else bad "$services"; fi
step "compose: FOOBAR_APP_NET moves subnet, fixed addresses, trust"
# subnet, gateway, ip_range, the lb's and Prometheus's addresses, and web-1's and web-2's FOOBAR_TRUSTED_PROXIES:
# seven lines, and nothing left on the default.
if moved="$(FOOBAR_APP_NET=10.99.42 docker-compose -f compose.yaml config 2>&1)" \
    && [ "$(grep -c '10\.99\.42\.' <<<"$moved")" -ge 7 ] && ! grep -q '10\.213\.7\.' <<<"$moved"; then
  ok
else
  bad "$(grep -nE 'FOOBAR_APP_NET|10\.99\.42\.|10\.213\.7\.|ERROR' <<<"$moved")"
fi
step "swarm: docker-compose config (docker/swarm.yaml)"
run docker-compose -f swarm.yaml config -q
sed 's/condition: service_healthy/condition: service_happy/' compose.yaml > "$broken"
step "compose: rejects a broken depends_on condition"
rejects docker-compose -f "$broken" config -q
sed 's/^    depends_on:/    depends_onn:/' compose.yaml > "$broken"
step "compose: rejects an unknown service key"
rejects docker-compose -f "$broken" config -q
rm -f "$broken"

step "prometheus: promtool check config (and its rule files)"
run promtool check config prometheus/prometheus.yml
step "prometheus: promtool check rules"
run promtool check rules prometheus/alerts.yml
for agent in prometheus/agent-*.yml; do
  step "prometheus: promtool check config $agent (the agents')"
  run promtool check config "$agent"
done
sed 's/scrape_interval: 5s/scrape_interval: five seconds/' prometheus/prometheus.yml > "$scratch/prometheus.yml"
step "prometheus: rejects a broken configuration"
rejects promtool check config "$scratch/prometheus.yml"
sed 's/expr: up{job=~"balancer|webapp|mysql|db-failover"} == 0/expr: up{job=~"balancer|webapp|mysql|db-failover"} ==/' prometheus/alerts.yml > "$scratch/alerts.yml"
step "prometheus: rejects a broken rule"
rejects promtool check rules "$scratch/alerts.yml"

json_ok() { node -e 'for (const f of process.argv.slice(1)) JSON.parse(require("fs").readFileSync(f, "utf8"))' "$@"; }
for f in grafana/dashboards/*.json; do
  step "grafana: $f parses"
  run json_ok "$f"
done
head -c 200 grafana/dashboards/foobar.json > "$scratch/truncated.json"
step "grafana: the JSON check rejects a truncated file"
rejects json_ok "$scratch/truncated.json"
yaml_ok() { python3 -c 'import sys, yaml; [yaml.safe_load(open(f)) for f in sys.argv[1:]]' "$@"; }
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
  step "grafana: provisioning YAML parses"
  run yaml_ok grafana/provisioning/datasources/*.yml grafana/provisioning/dashboards/*.yml
fi

for f in k6/*.js; do
  step "k6: node --check $f"
  run node --check "$f"
done
printf 'export default function () {\n  const x = ;\n}\n' > "$scratch/broken.js"
cp k6/package.json "$scratch/package.json"
step "k6: node --check rejects a broken script"
rejects node --check "$scratch/broken.js"

for f in db/*/init/*.sh local/mariadb/docker-entrypoint.sh local-images.sh; do
  step "db: bash -n $f"
  run bash -n "$f"
done
step "db: sh -n db/healthcheck.sh"
run sh -n db/healthcheck.sh
step "logs: sh -n logs/foobar-logs"
run sh -n logs/foobar-logs
if command -v rsyslogd >/dev/null 2>&1; then
  # Its work directory is the image's; here a scratch one stands in.
  sed "s#/var/lib/foobar-logs#$scratch#" logs/rsyslog.conf > "$scratch/rsyslog.conf"
  step "logs: rsyslogd -N1 (the configuration validates)"
  run rsyslogd -N1 -f "$scratch/rsyslog.conf"
fi

if command -v hadolint >/dev/null 2>&1; then
  step "dockerfile: hadolint"
  run hadolint Dockerfile
fi

if [ "$failures" -gt 0 ]; then
  echo "== docker/ static checks: $failures failed"
  exit 1
fi
echo "== docker/ static checks: all passed"
