#!/usr/bin/env bash
# Builds, from Debian alone, the images the compose stack needs on a machine whose Docker engine reaches no image
# registry (no Docker Hub): CI here, an air-gapped lab. Together with compose.local.yaml it runs the same compose.yaml
# users run; only where the images come from differs.
#
#   docker/local-images.sh              # builds what is missing or stale, prints the commands to use them
#   docker/local-images.sh --print-env  # only prints the environment compose needs (for `eval`)
#
# What it builds (each image carries a label with the hash of its inputs, and is rebuilt only when they change):
#   foobar-local/debian:bookworm      debootstrap --variant=minbase bookworm, imported (needs root and debootstrap)
#   foobar-local/jre:17               Debian's OpenJDK 17 JRE and curl: stands in for eclipse-temurin:17-jre
#   foobar-local/mariadb:bookworm     Debian's mariadb-server (10.11) with an entrypoint that keeps the official
#                                     mariadb image's contract: stands in for mariadb:11.4 (FOOBAR_DB_FLAVOR=mariadb)
#   foobar-local/prometheus:bookworm  Debian's prometheus: stands in for prom/prometheus (the collector and the agents)
#   foobar-local/mysqld-exporter:bookworm  Debian's prometheus-mysqld-exporter: stands in for prom/mysqld-exporter
#   foobar-local/nginx:bookworm       Debian's nginx (1.22) with the official image's template entrypoint: stands in
#                                     for nginx:1.27-bookworm, the base of the web-nginx target of the split topology
#                                     (compose.split.yaml; FOOBAR_NGINX_IMAGE, printed below, points its build there)
# Not built, because Debian packages neither: Grafana and k6. compose.local.yaml leaves them out.
#
# The jars are not built in a container (containers here cannot reach Maven Central over TLS): build them on the host
# first (`./mvnw -B verify`, or `./mvnw -pl balancer,webapp -am package -DskipTests`), and compose.local.yaml makes
# the Dockerfile copy them (build arg JARS=host) instead of running Maven.
set -euo pipefail
cd "$(dirname "$0")"

SUITE=bookworm
MIRROR=http://deb.debian.org/debian
BASE=foobar-local/debian:$SUITE
LABEL=org.foobar.inputs

# The first docker CLI on PATH that builds with BuildKit: one with the buildx plugin, or one older than 23 (BuildKit
# built in). On a machine with Debian's docker.io next to a newer CLI without plugins, that is Debian's 20.10 in
# /usr/bin, not the one first on PATH.
buildkit_docker() {
	local cli major
	for cli in $(type -aP docker); do
		if "$cli" buildx version >/dev/null 2>&1; then
			echo "$cli"
			return
		fi
		major="$("$cli" version -f '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)"
		if [ -n "$major" ] && [ "$major" -lt 23 ] 2>/dev/null; then
			echo "$cli"
			return
		fi
	done
	return 1
}

print_env() {
	# BuildKit: the Dockerfile's stage selection (JARS=host) needs it; compose v1 uses it through the docker CLI.
	local cli
	cli="$(buildkit_docker)" || { echo "local-images: no docker CLI here builds with BuildKit (no buildx plugin, none older than 23)" >&2; return 1; }
	if [ "$cli" != "$(type -P docker)" ]; then
		echo "export PATH=${cli%/docker}:\$PATH"
	fi
	cat <<-EOF
		export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1 FOOBAR_DB_FLAVOR=mariadb
		export COMPOSE_FILE=compose.yaml:compose.local.yaml
		export FOOBAR_NGINX_IMAGE=foobar-local/nginx:$SUITE FOOBAR_JARS=host
	EOF
}
if [ "${1:-}" = --print-env ]; then
	print_env
	exit 0
fi
[ $# -eq 0 ] || { echo "usage: $0 [--print-env]" >&2; exit 2; }

DOCKER="$(buildkit_docker)" || { echo "local-images: no docker CLI here builds with BuildKit (no buildx plugin, none older than 23)" >&2; exit 1; }
docker() { "$DOCKER" "$@"; }
docker info >/dev/null 2>&1 || { echo "local-images: the Docker engine does not answer (is dockerd running?)" >&2; exit 1; }

step() { printf '== local-images: %s\n' "$*"; }
inputs_of() { docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }
hash_of() { sha256sum | cut -c1-16; }

# The base: a minimal Debian with the whole archive (updates and security) in its sources.
base_recipe="debootstrap --variant=minbase $SUITE $MIRROR; main $SUITE $SUITE-updates $SUITE-security; v1"
base_key="$(printf '%s' "$base_recipe" | hash_of)"
if [ "$(inputs_of "$BASE")" = "$base_key" ]; then
	step "$BASE is up to date"
else
	command -v debootstrap >/dev/null || { echo "local-images: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
	[ "$(id -u)" -eq 0 ] || { echo "local-images: debootstrap needs root" >&2; exit 1; }
	step "building $BASE with debootstrap (about a minute)"
	root="$(mktemp -d)"
	trap 'rm -rf "$root"' EXIT
	debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$root.log" 2>&1 \
		|| { tail -20 "$root.log" >&2; rm -f "$root.log"; exit 1; }
	rm -f "$root.log"
	cat >"$root/etc/apt/sources.list" <<-EOF
		deb $MIRROR $SUITE main
		deb $MIRROR $SUITE-updates main
		deb ${MIRROR%/debian}/debian-security $SUITE-security main
	EOF
	# As Debian's own container images: no recommends, no caches left in layers.
	printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90foobar-local"
	rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
	tar -C "$root" -c . | docker import --change "LABEL $LABEL=$base_key" --change 'CMD ["bash"]' - "$BASE" >/dev/null
	rm -rf "$root"
	trap - EXIT
fi

# build IMAGE DOCKERFILE [CONTEXT]: rebuilt when the base, the Dockerfile or a file of the context changed. Without a
# context the Dockerfile copies nothing and gets an empty one.
build() {
	local image="$1" dockerfile="$2" context="${3:-}" key empty=
	key="$( (echo "$base_key"; cat "$dockerfile"; [ -z "$context" ] || find "$context" -type f | LC_ALL=C sort | xargs cat) | hash_of)"
	if [ "$(inputs_of "$image")" = "$key" ]; then
		step "$image is up to date"
		return
	fi
	step "building $image"
	if [ -z "$context" ]; then
		empty="$(mktemp -d)"
		context="$empty"
	fi
	DOCKER_BUILDKIT=1 docker build -q --label "$LABEL=$key" --build-arg "BASE_IMAGE=$BASE" -t "$image" \
		-f "$dockerfile" "$context" >/dev/null
	[ -z "$empty" ] || rmdir "$empty"
}
build foobar-local/jre:17 local/jre.Dockerfile
build foobar-local/mariadb:$SUITE local/mariadb/Dockerfile local/mariadb
build foobar-local/prometheus:$SUITE local/prometheus.Dockerfile
build foobar-local/mysqld-exporter:$SUITE local/mysqld-exporter.Dockerfile
build foobar-local/nginx:$SUITE local/nginx/Dockerfile local/nginx

step "done. To run the compose stack on these images (from docker/):"
print_env | sed 's/^/    /'
echo "    docker-compose up --build     # or: docker compose up --build"
