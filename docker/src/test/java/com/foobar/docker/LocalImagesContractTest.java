package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * compose.local.yaml, for machines with no image registry, changes only where images come from: the images
 * of the services, the build arguments that pick the base image and the jars' source, and profiles for the services
 * whose images cannot be made from Debian. Everything it names is built by local-images.sh.
 */
class LocalImagesContractTest {
    private static final ComposeFile LOCAL = ComposeFile.load(StackFiles.DOCKER.resolve("compose.local.yaml"));
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);
    private static final String SCRIPT = StackFiles.read(StackFiles.DOCKER.resolve("local-images.sh"));

    @Test
    void overridesOnlyWhereImagesComeFrom() {
        assertThat(COMPOSE.serviceNames()).containsAll(LOCAL.serviceNames());
        for (String service : LOCAL.serviceNames()) {
            JsonNode override = LOCAL.service(service);
            List<String> keys = new ArrayList<>();
            override.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as(service).isSubsetOf("image", "build", "profiles");
            if (override.has("build")) {
                List<String> buildKeys = new ArrayList<>();
                override.path("build").fieldNames().forEachRemaining(buildKeys::add);
                assertThat(buildKeys).as("%s build", service).containsExactly("args");
                Map<String, String> args = new java.util.HashMap<>();
                override.path("build").path("args").fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
                if (buildsTheJavaImages(service)) {
                    assertThat(args).as("%s build args", service).containsOnlyKeys("JRE_IMAGE", "JDK_IMAGE", "JARS")
                            .containsEntry("JARS", "host");
                } else {
                    // foobar/keepalived: only its Debian base changes; keepalived still comes from Debian's archive.
                    assertThat(args).as("%s build args", service)
                            .containsExactly(Map.entry("DEBIAN_IMAGE", "foobar-local/debian:bookworm"));
                }
            }
        }
    }

    @Test
    void everyServiceThatBuildsTakesTheHostJarsOnTheLocalJre() {
        for (String service : COMPOSE.serviceNames()) {
            if (buildsTheJavaImages(service)) {
                assertThat(LOCAL.service(service).path("build").path("args").path("JRE_IMAGE").asText())
                        .as(service).isEqualTo("foobar-local/jre:17");
            }
        }
    }

    @Test
    void everyImageItNamesIsOneLocalImagesBuilds() {
        Set<String> named = new java.util.TreeSet<>();
        for (String service : LOCAL.serviceNames()) {
            JsonNode s = LOCAL.service(service);
            if (s.has("image")) {
                named.add(s.path("image").asText());
            }
            s.path("build").path("args").fields().forEachRemaining(e -> {
                if (e.getKey().endsWith("_IMAGE")) {
                    named.add(e.getValue().asText());
                }
            });
        }
        assertThat(named).containsExactlyInAnyOrder("foobar-local/jre:17", "foobar-local/mariadb:bookworm",
                "foobar-local/prometheus:bookworm", "foobar-local/mysqld-exporter:bookworm",
                "foobar-local/debian:bookworm");
        assertThat(SCRIPT).contains("build foobar-local/jre:17 ", "build foobar-local/mariadb:$SUITE ",
                "build foobar-local/prometheus:$SUITE ", "build foobar-local/mysqld-exporter:$SUITE ",
                "SUITE=bookworm", "BASE=foobar-local/debian:$SUITE");
        // Every service that builds an image gets its base from here.
        for (String service : COMPOSE.serviceNames()) {
            if (COMPOSE.service(service).has("build")) {
                assertThat(LOCAL.serviceNames()).as("compose.local.yaml overrides the base of %s", service).contains(service);
            }
        }
    }

    /** Services built from docker/Dockerfile (the JRE images), as opposed to docker/keepalived. */
    private static boolean buildsTheJavaImages(String service) {
        JsonNode build = COMPOSE.service(service).path("build");
        return build.isObject() && build.path("dockerfile").asText().equals("docker/Dockerfile");
    }

    @Test
    void leavesOutWhatDebianDoesNotPackageAndRunsTheMariadbFlavour() {
        for (String service : List.of("grafana", "k6")) {
            assertThat(LOCAL.service(service).path("profiles").toString()).as(service).contains("registry-only");
        }
        // The database stand-in is MariaDB: the environment local-images.sh prints picks that flavour.
        assertThat(SCRIPT).contains("FOOBAR_DB_FLAVOR=mariadb", "COMPOSE_FILE=compose.yaml:compose.local.yaml");
    }
}
