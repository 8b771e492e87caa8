# Stand-in for prom/prometheus on a machine with no image registry: Debian's prometheus package, laid out as the
# official image is (entrypoint the prometheus binary, config /etc/prometheus/prometheus.yml, data in /prometheus,
# user nobody, busybox-style wget for the healthcheck). Built by docker/local-images.sh; used through
# docker/compose.local.yaml.
ARG BASE_IMAGE=foobar-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus wget \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /prometheus /usr/share/prometheus \
    && chown nobody:nogroup /prometheus \
    && for d in consoles console_libraries; do \
         [ -e /usr/share/prometheus/$d ] || ln -s /etc/prometheus/$d /usr/share/prometheus/$d; \
       done
USER nobody
WORKDIR /prometheus
VOLUME ["/prometheus"]
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
