package com.foobar.docker;

import com.foobar.webapp.WebAppConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web services' environment, parsed by the webapp's own {@link WebAppConfig#fromArgs}, exactly as the container's
 * {@code java -jar webapp.jar} (no flags) will: every variable is one the webapp reads, it points at the MySQL
 * services with the credentials they create, and the port is the one the balancer, Prometheus and the healthcheck use.
 */
class WebAppEnvironmentContractTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);
    private static final List<String> WEB = List.of("web-1", "web-2");

    @Test
    void everyFoobarVariableIsOneTheWebappReads() throws Exception {
        Set<String> accepted = acceptedEnvironmentVariables();
        assertThat(accepted).as("the variables compose files and operators set").contains("FOOBAR_PORT", "FOOBAR_NAME", "FOOBAR_DB_PRIMARY",
                "FOOBAR_DB_REPLICAS", "FOOBAR_DB_USER", "FOOBAR_DB_PASSWORD");
        for (String web : WEB) {
            Set<String> used = new TreeSet<>(COMPOSE.environment(web).keySet());
            assertThat(accepted).as("variables of %s", web).containsAll(used);
            assertThat(used).as("%s sets every database variable", web).contains("FOOBAR_PORT", "FOOBAR_NAME",
                    "FOOBAR_DB_PRIMARY", "FOOBAR_DB_REPLICAS", "FOOBAR_DB_USER", "FOOBAR_DB_PASSWORD");
            // Web servers accept only the load balancer (TrustedProxiesContractTest checks the value).
            assertThat(used).as("%s restricts its peers", web).contains("FOOBAR_TRUSTED_PROXIES");
        }
    }

    @Test
    void theWebappAcceptsTheEnvironmentAndListensWhereItIsProbed() {
        for (String web : WEB) {
            WebAppConfig config = WebAppConfig.fromArgs(new String[0], COMPOSE.environment(web));
            assertThat(config.name()).isEqualTo(web);
            assertThat(config.bind()).as("%s listens on the container's interfaces", web).isEqualTo("0.0.0.0");
            String probe = COMPOSE.healthcheckCommand(web);
            assertThat(probe).as("healthcheck of %s", web)
                    .contains("http://127.0.0.1:" + config.port() + WebAppContract.READY);
            assertThat(config.primaryUrl()).as("%s has a primary: the slim image has no embedded database", web)
                    .isPresent();
        }
        // The image's own HEALTHCHECK, for runs without compose: liveness on FOOBAR_PORT, whose default it sets.
        String dockerfile = StackFiles.read(StackFiles.DOCKERFILE);
        assertThat(dockerfile).contains("ENV FOOBAR_PORT=8080")
                .contains("http://127.0.0.1:${FOOBAR_PORT}" + WebAppContract.HEALTH);
    }

    @Test
    void theDatabaseUrlsPointAtTheMysqlServicesWithTheCredentialsTheyCreate() {
        Map<String, String> primary = COMPOSE.environment("mysql-primary");
        Map<String, String> replica = COMPOSE.environment("mysql-replica");
        for (String key : List.of("MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD")) {
            assertThat(replica.get(key)).as("%s is the same on both nodes", key).isEqualTo(primary.get(key));
        }
        for (String web : WEB) {
            WebAppConfig config = WebAppConfig.fromArgs(new String[0], COMPOSE.environment(web));
            assertDatabaseUrl(web, config.primaryUrl().orElseThrow(), "mysql-primary", primary);
            assertThat(config.replicaUrls()).as("replicas of %s", web).hasSize(1);
            assertDatabaseUrl(web, config.replicaUrls().get(0), "mysql-replica", replica);
            assertThat(config.dbUser()).isEqualTo(primary.get("MYSQL_USER"));
            assertThat(config.dbPassword()).isEqualTo(primary.get("MYSQL_PASSWORD"));
        }
    }

    private static void assertDatabaseUrl(String web, String jdbcUrl, String service, Map<String, String> mysqlEnv) {
        assertThat(jdbcUrl).startsWith("jdbc:mysql://");
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        assertThat(uri.getHost()).as("%s: %s", web, jdbcUrl).isEqualTo(service);
        assertThat(uri.getPort()).as("%s: %s", web, jdbcUrl).isEqualTo(3306);
        assertThat(uri.getPath()).as("%s: %s", web, jdbcUrl).isEqualTo("/" + mysqlEnv.get("MYSQL_DATABASE"));
        assertThat(COMPOSE.networks(web)).as("%s shares a network with %s", web, service)
                .containsAnyElementsOf(COMPOSE.networks(service));
    }

    /** The webapp's own list: its {@code ENV_*} constants (package-private, so read reflectively). */
    private static Set<String> acceptedEnvironmentVariables() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field f : WebAppConfig.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && f.getName().startsWith("ENV_")) {
                f.setAccessible(true);
                names.add((String) f.get(null));
            }
        }
        return names;
    }
}
