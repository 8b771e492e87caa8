package com.foobar.docker;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * docker/compose.yaml brought up for real by a test, through the compose command a user has (Compose v2's
 * {@code docker compose}, else v1's {@code docker-compose}), under its own project name, with the images from
 * wherever this machine can get them:
 * <ul>
 *   <li>{@code registry}: as users run it, images pulled from Docker Hub and built by the Dockerfile's Maven stage;
 *       the database flavour is {@code FOOBAR_DB_FLAVOR} (default mysql);</li>
 *   <li>{@code local}: on a machine with no image registry, the Debian stand-ins {@code docker/local-images.sh}
 *       builds and {@code compose.local.yaml}, with the jars built on the host and the mariadb flavour; the
 *       environment is exactly what {@code local-images.sh --print-env} tells a user to export.</li>
 * </ul>
 * {@code FOOBAR_COMPOSE_IMAGES=registry|local} picks one; unset, the local stand-ins are used when they exist (someone
 * ran local-images.sh) and the registry otherwise. {@link #prepare} says why the stack cannot run here instead of
 * trying for minutes: no Docker engine, no compose, or an image that is neither local nor pullable.
 */
final class ComposeStack {
    static final String IMAGES_VARIABLE = "FOOBAR_COMPOSE_IMAGES";
    /** The base image local-images.sh makes first; its presence means the stand-ins were built on this machine. */
    static final String LOCAL_BASE_IMAGE = "foobar-local/debian:bookworm";

    private static final Duration QUICK = Duration.ofSeconds(30);
    private static final Duration PULL = Duration.ofMinutes(10);
    private static final Duration BUILD_STAND_INS = Duration.ofMinutes(15);

    private final String project;
    private final List<String> compose;
    private final String mode;
    private final Cli cli;

    private ComposeStack(String project, List<String> compose, String mode, Cli cli) {
        this.project = project;
        this.compose = compose;
        this.mode = mode;
        this.cli = cli;
    }

    /** Either a stack ready to come up, or the one-line reason it cannot on this machine. */
    record Preparation(ComposeStack stack, String unavailable) {
    }

    /**
     * Finds the compose command and the images. {@code variables} are compose variables of the test (ports, network);
     * {@code progress} shows the long steps (building the stand-ins) as they go.
     */
    static Preparation prepare(String project, Map<String, String> variables, Consumer<String> progress) {
        return prepare(project, variables, progress, List.of());
    }

    /**
     * As {@link #prepare(String, Map, Consumer)}, with {@code overrides} (e.g. {@code compose.split.yaml}) applied
     * after the files the mode uses, as {@code -f} would: they are appended to COMPOSE_FILE.
     */
    static Preparation prepare(String project, Map<String, String> variables, Consumer<String> progress,
                               List<String> overrides) {
        Cli bare = new Cli(StackFiles.DOCKER, Map.of());
        Cli.Result engine = bare.run(QUICK, "docker", "version", "-f", "{{.Server.Version}}");
        if (!engine.ok()) {
            return unavailable("no Docker engine answers (docker version: " + firstLine(engine.output()) + ")");
        }
        List<String> compose;
        if (bare.run(QUICK, "docker", "compose", "version").ok()) {
            compose = List.of("docker", "compose");
        } else if (bare.run(QUICK, "docker-compose", "version").ok()) {
            compose = List.of("docker-compose");
        } else {
            return unavailable("neither `docker compose` (Compose v2) nor `docker-compose` (v1) is installed");
        }

        String wanted = System.getenv().getOrDefault(IMAGES_VARIABLE, "").trim().toLowerCase(Locale.ROOT);
        String mode = switch (wanted) {
            case "local", "registry" -> wanted;
            case "" -> bare.run(QUICK, "docker", "image", "inspect", LOCAL_BASE_IMAGE).ok() ? "local" : "registry";
            default -> throw new IllegalArgumentException(IMAGES_VARIABLE + ": \"" + wanted
                    + "\" is not one of local, registry");
        };

        Map<String, String> env = new HashMap<>(variables);
        if (mode.equals("local")) {
            for (String jar : List.of("balancer/target/balancer.jar", "webapp/target/webapp-slim.jar",
                    "db-failover/target/db-failover.jar", "overview/target/overview.jar", "dns/target/dns.jar")) {
                if (!Files.isRegularFile(StackFiles.ROOT.resolve(jar))) {
                    return unavailable(jar + " is missing: the local images take the jars built on the host "
                            + "(./mvnw -pl balancer,webapp,db-failover,overview,dns -am package)");
                }
            }
            progress.accept("local images: docker/local-images.sh (builds only what is missing or changed)");
            bare.run(BUILD_STAND_INS, List.of("./local-images.sh"), progress).orFail();
            env.putAll(localEnvironment(bare));
        } else {
            String flavor = System.getenv().getOrDefault("FOOBAR_DB_FLAVOR", "mysql");
            String image = flavor.equals("mariadb") ? "mariadb:11.4" : "mysql:8.4";
            if (!bare.run(QUICK, "docker", "image", "inspect", image).ok()) {
                progress.accept("registry images: pulling " + image);
                Cli.Result pull = bare.run(PULL, "docker", "pull", image);
                if (!pull.ok()) {
                    return unavailable(image + " is not in the local engine and cannot be pulled ("
                            + firstLine(pull.output()) + "); on a machine with no registry, build the local "
                            + "stand-ins first: docker/local-images.sh");
                }
            }
        }
        if (!overrides.isEmpty()) {
            env.put("COMPOSE_FILE", env.getOrDefault("COMPOSE_FILE", "compose.yaml") + ":" + String.join(":", overrides));
        }
        return new Preparation(new ComposeStack(project, compose, mode, new Cli(StackFiles.DOCKER, env)), null);
    }

    private static Preparation unavailable(String reason) {
        return new Preparation(null, reason);
    }

    /** What `eval "$(./local-images.sh --print-env)"` exports, read back from a shell that did it. */
    private static Map<String, String> localEnvironment(Cli bare) {
        String out = bare.run(QUICK, "bash", "-c", "eval \"$(./local-images.sh --print-env)\" && env -0").orFail();
        Map<String, String> exported = new HashMap<>();
        for (String entry : out.split("\0")) {
            int eq = entry.indexOf('=');
            String name = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (List.of("PATH", "DOCKER_BUILDKIT", "COMPOSE_DOCKER_CLI_BUILD", "FOOBAR_DB_FLAVOR", "COMPOSE_FILE",
                    "FOOBAR_NGINX_IMAGE", "FOOBAR_JARS").contains(name)) {
                exported.put(name, entry.substring(eq + 1));
            }
        }
        return exported;
    }

    String mode() {
        return mode;
    }

    String project() {
        return project;
    }

    /** The database flavour the stack runs. */
    String dbFlavor() {
        return cli.environment().getOrDefault("FOOBAR_DB_FLAVOR",
                System.getenv().getOrDefault("FOOBAR_DB_FLAVOR", "mysql"));
    }

    /** Services `up` starts here: Grafana needs Docker Hub (no Debian package), so only the registry mode has it. */
    boolean hasGrafana() {
        return mode.equals("registry");
    }

    Cli.Result compose(Duration timeout, String... args) {
        return compose(timeout, null, args);
    }

    Cli.Result compose(Duration timeout, Consumer<String> progress, String... args) {
        List<String> command = new ArrayList<>(compose);
        command.add("-p");
        command.add(project);
        command.addAll(List.of(args));
        return cli.run(timeout, command, progress);
    }

    /** The docker CLI with the stack's environment (the same CLI compose builds with). */
    Cli.Result docker(Duration timeout, String... args) {
        return cli.run(timeout, Cli.concat(List.of("docker"), args));
    }

    /** The docker CLI with the stack's environment and {@code more} variables (e.g. for `docker stack deploy`). */
    Cli.Result docker(Duration timeout, Map<String, String> more, String... args) {
        Map<String, String> env = new HashMap<>(cli.environment());
        env.putAll(more);
        return new Cli(cli.workDir(), env).run(timeout, Cli.concat(List.of("docker"), args));
    }

    /** The id of the service's one container. */
    String container(String service) {
        String id = compose(QUICK, "ps", "-q", service).orFail();
        if (id.isEmpty() || id.contains("\n")) {
            throw new AssertionError("service " + service + " has " + (id.isEmpty() ? "no" : "several")
                    + " containers: " + id);
        }
        return id;
    }

    /** A Go template of `docker inspect` on the service's container, e.g. {@code {{.State.Health.Status}}}. */
    String inspect(String service, String template) {
        return docker(QUICK, "inspect", "-f", template, container(service)).orFail();
    }

    /** The service's address on one of the project's networks (by its short name, e.g. {@code app}). */
    String addressOn(String service, String network) {
        return inspect(service, "{{with index .NetworkSettings.Networks \"" + network(network)
                + "\"}}{{.IPAddress}}{{end}}");
    }

    /** The full name of one of the project's networks, as compose v1 and v2 both name it. */
    String network(String name) {
        return project + "_" + name;
    }

    /** Containers, networks and volumes that carry the project's compose label. */
    List<String> leftovers() {
        List<String> left = new ArrayList<>();
        String label = "label=com.docker.compose.project=" + project;
        for (String[] kind : List.of(new String[] {"container", "ls", "-a"}, new String[] {"network", "ls"},
                new String[] {"volume", "ls"})) {
            List<String> args = new ArrayList<>(List.of(kind));
            args.addAll(List.of("-q", "--filter", label));
            String ids = docker(QUICK, args.toArray(String[]::new)).orFail();
            for (String id : ids.split("\\s+")) {
                if (!id.isBlank()) {
                    left.add(kind[0] + " " + id);
                }
            }
        }
        return left;
    }

    /** A test setting from the environment, or its default when unset or blank. */
    static String setting(String variable, String defaultValue) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** A TCP port free on 127.0.0.1 now, for a published port of the stack under test. */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
