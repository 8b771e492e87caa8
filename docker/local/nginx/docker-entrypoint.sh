#!/bin/sh
# The part of the official nginx image's entrypoint that compose.split.yaml uses (20-envsubst-on-templates.sh):
# every /etc/nginx/templates/NAME.template becomes /etc/nginx/conf.d/NAME, with only the variables that are set
# substituted, so that nginx's own $variables stay.
set -eu
if [ "${1:-}" = nginx ]; then
	defined="$(env | cut -d= -f1 | sed 's/.*/${&}/' | tr '\n' ' ')"
	for template in /etc/nginx/templates/*.template; do
		[ -e "$template" ] || continue
		out="/etc/nginx/conf.d/$(basename "$template" .template)"
		envsubst "$defined" <"$template" >"$out"
		echo "docker-entrypoint.sh: rendered $template to $out" >&2
	done
fi
exec "$@"
