package com.foobar.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chaos.jar run} options. Every error names the flag: {@code --scenarios: unknown scenario "kill-all"}.
 *
 * @param shortForm  CI's form: a few seconds around each fault
 * @param compose    against the compose project instead of the no-Docker stack
 * @param scenarios  the scenarios to run, in the suite's order; empty: all
 * @param outDir     where latest.md and the plots go
 * @param root       the repository root (the stack jar and docker/ are found from it)
 * @param work       where the stack's throw-away data directory and logs go
 * @param keepWork   keep {@code work} afterwards
 * @param commit     the commit measured, for the report
 * @param reads      reads per second of the load
 * @param writes     writes per second of the load
 */
record RunOptions(boolean shortForm, boolean compose, List<String> scenarios, Path outDir, Path root, Path work,
                  boolean keepWork, String commit, int reads, int writes) {

    static final String USAGE = String.join("\n",
            "usage: chaos.jar run [options]",
            "  --short            CI's form: a few seconds of load around each fault",
            "  --compose          against a compose project of docker/compose.yaml instead of the no-Docker stack",
            "  --scenarios a,b    a subset of: kill-web, rolling-restart, kill-replica, kill-primary, "
                    + "old-primary-back, kill-active-lb",
            "  --out-dir DIR      where latest.md and the plots go (default chaos/results, with --compose "
                    + "chaos/results/compose; --short: chaos/target/results-short)",
            "  --root DIR         the repository root (default: the working directory)",
            "  --work DIR         the stack's throw-away data directory and logs (default: a new temporary one)",
            "  --keep-work        keep it afterwards",
            "  --commit TEXT      the commit measured, for the report",
            "  --reads N          reads per second (default 80)",
            "  --writes N         writes per second (default 20)",
            "");

    static final List<String> SCENARIOS = List.of("kill-web", "rolling-restart", "kill-replica", "kill-primary",
            "old-primary-back", "kill-active-lb");

    static RunOptions parse(List<String> args) {
        boolean shortForm = false;
        boolean compose = false;
        List<String> scenarios = new ArrayList<>();
        Path outDir = null;
        Path root = Path.of("").toAbsolutePath();
        Path work = null;
        boolean keepWork = false;
        String commit = "unknown";
        int reads = 80;
        int writes = 20;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--short" -> shortForm = true;
                case "--compose" -> compose = true;
                case "--keep-work" -> keepWork = true;
                case "--scenarios" -> {
                    for (String s : value(args, ++i, flag).split(",")) {
                        String name = s.trim();
                        if (!SCENARIOS.contains(name)) {
                            throw new IllegalArgumentException(flag + ": unknown scenario \"" + name + "\" (one of "
                                    + String.join(", ", SCENARIOS) + ")");
                        }
                        scenarios.add(name);
                    }
                }
                case "--out-dir" -> outDir = Path.of(value(args, ++i, flag));
                case "--root" -> root = Path.of(value(args, ++i, flag)).toAbsolutePath();
                case "--work" -> work = Path.of(value(args, ++i, flag)).toAbsolutePath();
                case "--commit" -> commit = value(args, ++i, flag);
                case "--reads" -> reads = rate(flag, value(args, ++i, flag));
                case "--writes" -> writes = rate(flag, value(args, ++i, flag));
                default -> throw new IllegalArgumentException(flag + ": unknown option");
            }
        }
        if (reads + writes == 0) {
            throw new IllegalArgumentException("--reads, --writes: at least one must be above 0");
        }
        if (outDir == null) {
            outDir = root.resolve(shortForm ? "chaos/target/results-short"
                    : compose ? "chaos/results/compose" : "chaos/results");
        }
        return new RunOptions(shortForm, compose, List.copyOf(scenarios), outDir.toAbsolutePath(), root, work,
                keepWork, commit, reads, writes);
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(flag + ": needs a value");
        }
        return args.get(i);
    }

    private static int rate(String flag, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0 || n > 5000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": \"" + value + "\" is not a rate from 0 to 5000 per second");
        }
    }

    boolean wants(String scenario) {
        return scenarios.isEmpty() || scenarios.contains(scenario);
    }
}
