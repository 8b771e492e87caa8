package com.foobar.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Prometheus series names a module's code registers through Micrometer, read from its sources: each
 * {@code Counter.builder("a.b")}, {@code registry.timer("a.b")} and the like, turned into the names Micrometer's
 * Prometheus registry exposes ({@code a_b_total}, {@code a_b_seconds_bucket}, ...). Also the string literals of the
 * module, which hold its tag keys. This keeps the dashboard honest without starting every service.
 */
final class MeterNames {
    /** A meter name: a string literal, or a constant of the same file ({@code static final String X = "a.b"}). */
    private static final String NAME = "(\"[a-z][a-z0-9_.]*\"|[A-Z][A-Z0-9_]*)";
    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Timer|Gauge|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer|TimeGauge)"
                    + "\\s*\\.\\s*builder\\(\\s*" + NAME);
    private static final Pattern SHORTHAND = Pattern.compile(
            "\\.\\s*(counter|timer|gauge|summary|more\\(\\)\\s*\\.\\s*timeGauge|more\\(\\)\\s*\\.\\s*counter)\\(\\s*"
                    + NAME);
    private static final Pattern CONSTANT = Pattern.compile(
            "\\bstatic\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([a-z][a-z0-9_.]*)\"\\s*;");
    private static final Pattern LITERAL = Pattern.compile("\"([A-Za-z0-9_.-]+)\"");
    private static final List<String> UNITS = List.of("seconds", "bytes", "milliseconds", "percent", "ratio");

    final Map<String, String> series = new TreeMap<>();
    final Set<String> literals = new TreeSet<>();
    /** Whether the module binds HikariCP's own meters to its registry. */
    boolean bindsHikariMeters;

    private MeterNames() {
    }

    static MeterNames of(Path module) {
        MeterNames names = new MeterNames();
        Path sources = module.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return names;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                names.scan(Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private void scan(String source) {
        bindsHikariMeters |= source.contains("MicrometerMetricsTrackerFactory");
        Map<String, String> constants = new TreeMap<>();
        Matcher c = CONSTANT.matcher(source);
        while (c.find()) {
            constants.put(c.group(1), c.group(2));
        }
        Matcher b = BUILDER.matcher(source);
        while (b.find()) {
            add(b.group(1), resolve(b.group(2), constants));
        }
        Matcher s = SHORTHAND.matcher(source);
        while (s.find()) {
            String kind = s.group(1).replaceAll(".*\\.\\s*", "");
            add(switch (kind) {
                case "counter" -> "Counter";
                case "timer" -> "Timer";
                case "gauge" -> "Gauge";
                case "timeGauge" -> "TimeGauge";
                default -> "DistributionSummary";
            }, resolve(s.group(2), constants));
        }
        Matcher l = LITERAL.matcher(source);
        while (l.find()) {
            literals.add(l.group(1));
        }
    }

    /** The meter name a literal or constant stands for; null for a constant defined elsewhere. */
    private static String resolve(String token, Map<String, String> constants) {
        return token.startsWith("\"") ? token.substring(1, token.length() - 1) : constants.get(token);
    }

    private void add(String kind, String meter) {
        if (meter == null) {
            return;
        }
        String base = meter.replace('.', '_');
        switch (kind) {
            case "Counter", "FunctionCounter" -> series.put(base.endsWith("_total") ? base : base + "_total", meter);
            case "Timer", "FunctionTimer" -> {
                for (String suffix : List.of("_seconds_count", "_seconds_sum", "_seconds_max", "_seconds_bucket")) {
                    series.put(base + suffix, meter);
                }
            }
            case "LongTaskTimer" -> {
                for (String suffix : List.of("_seconds_active_count", "_seconds_duration_sum", "_seconds_max")) {
                    series.put(base + suffix, meter);
                }
            }
            case "TimeGauge" -> series.put(base + "_seconds", meter);
            case "DistributionSummary" -> {
                for (String unit : withNoUnit()) {
                    for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
                        series.put(base + unit + suffix, meter);
                    }
                }
            }
            default -> {
                for (String unit : withNoUnit()) {
                    series.put(base + unit, meter);
                }
            }
        }
    }

    /** A gauge or summary may carry a base unit, which Micrometer appends; the sources do not say it by name. */
    private static List<String> withNoUnit() {
        return Stream.concat(Stream.of(""), UNITS.stream().map(u -> "_" + u)).toList();
    }
}
