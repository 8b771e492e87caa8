package com.foobar.stack.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to run one component as its own JVM: which main class with which arguments, environment and JVM options,
 * where its output goes, how to tell it is ready, and how long it may take to start and to stop.
 */
public final class ChildSpec {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final String mainClass;
    private final List<String> args;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final Path logFile;
    private final ReadinessCheck readiness;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final boolean restartable;
    private final String crashHint;
    private final Function<String, Optional<String>> stdoutRelay;
    private final Function<String, Optional<String>> stderrRelay;

    private ChildSpec(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.mainClass = Objects.requireNonNull(b.mainClass, "mainClass");
        this.args = List.copyOf(b.args);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.logFile = Objects.requireNonNull(b.logFile, "logFile");
        this.readiness = b.readiness;
        this.startTimeout = b.startTimeout;
        this.stopGrace = b.stopGrace;
        this.restartable = b.restartable;
        this.crashHint = b.crashHint;
        this.stdoutRelay = b.stdoutRelay;
        this.stderrRelay = b.stderrRelay;
    }

    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    public String name() {
        return name;
    }

    public String mainClass() {
        return mainClass;
    }

    public List<String> args() {
        return args;
    }

    public List<String> jvmOptions() {
        return jvmOptions;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Path logFile() {
        return logFile;
    }

    public ReadinessCheck readiness() {
        return readiness;
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    public Duration stopGrace() {
        return stopGrace;
    }

    /** Whether a crash of this child is restarted (unless the stack runs with {@code --no-restart}). */
    public boolean restartable() {
        return restartable;
    }

    /** What a crash of this child means for the user, said along with the crash; may be empty. */
    public String crashHint() {
        return crashHint;
    }

    /**
     * Picks the lines of the child's output (stdout and stderr) worth telling the user, such as db-failover's
     * decisions, and says how; every line still goes to the log. Null when nothing is relayed.
     */
    public Function<String, Optional<String>> stdoutRelay() {
        return stdoutRelay;
    }

    /**
     * As {@link #stdoutRelay()}, for standard error alone (where the components log): their standard output, which
     * may carry a line per request, goes to the log without passing through the stack. Unused when
     * {@link #stdoutRelay()} is set, which sees both streams. Null when nothing is relayed.
     */
    public Function<String, Optional<String>> stderrRelay() {
        return stderrRelay;
    }

    public static final class Builder {
        private final String name;
        private final String mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path logFile;
        private ReadinessCheck readiness = ReadinessCheck.none();
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration stopGrace = DEFAULT_STOP_GRACE;
        private boolean restartable = true;
        private String crashHint = "";
        private Function<String, Optional<String>> stdoutRelay;
        private Function<String, Optional<String>> stderrRelay;

        private Builder(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
        }

        public Builder args(String... values) {
            Collections.addAll(args, values);
            return this;
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        public Builder jvmOptions(String... values) {
            Collections.addAll(jvmOptions, values);
            return this;
        }

        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        public Builder readiness(ReadinessCheck check) {
            this.readiness = Objects.requireNonNull(check);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder stopGrace(Duration grace) {
            this.stopGrace = Objects.requireNonNull(grace);
            return this;
        }

        public Builder restartable(boolean value) {
            this.restartable = value;
            return this;
        }

        public Builder crashHint(String hint) {
            this.crashHint = Objects.requireNonNull(hint);
            return this;
        }

        public Builder stdoutRelay(Function<String, Optional<String>> relay) {
            this.stdoutRelay = Objects.requireNonNull(relay);
            return this;
        }

        public Builder stderrRelay(Function<String, Optional<String>> relay) {
            this.stderrRelay = Objects.requireNonNull(relay);
            return this;
        }

        public ChildSpec build() {
            return new ChildSpec(this);
        }
    }
}
