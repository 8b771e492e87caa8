# Stand-in for prom/mysqld-exporter on a machine with no image registry: Debian's prometheus-mysqld-exporter (0.14),
# laid out as the official image is (the binary at /bin/mysqld_exporter, /bin/sh, user nobody, wget for the
# healthcheck). compose.yaml's entrypoint uses only what both versions share: a client option file given with
# --config.my-cnf ([client] user, password, host, port) and --web.listen-address. Built by docker/local-images.sh;
# used through docker/compose.local.yaml.
ARG BASE_IMAGE=foobar-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus-mysqld-exporter wget \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/bin/prometheus-mysqld-exporter /bin/mysqld_exporter
USER nobody
EXPOSE 9104
ENTRYPOINT ["/bin/mysqld_exporter"]
