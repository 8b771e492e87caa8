# Stand-in for eclipse-temurin:17-jre (the runtime base of docker/Dockerfile) on a machine with no image registry:
# Debian's OpenJDK 17 JRE and curl (the HEALTHCHECKs use it) on the Debian base local-images.sh imported.
# Built by docker/local-images.sh; used through docker/compose.local.yaml (build arg JRE_IMAGE).
ARG BASE_IMAGE=foobar-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless curl \
    && rm -rf /var/lib/apt/lists/*
CMD ["jshell"]
