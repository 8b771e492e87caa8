package com.foobar.stack.process;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code ParentWatchingLauncher ExternalProgram <grace seconds> <program> [args...]}: a program that is not a JVM (the
 * machine's Prometheus), supervised as a child like the others. Launched through {@link ParentWatchingLauncher}, it
 * dies with the stack however the stack dies: this JVM's shutdown hook (SIGTERM from the supervisor, or the parent
 * gone) stops the program with SIGTERM, then SIGKILL after the grace period, and waits for it. Its output goes where
 * this JVM's goes (the component's log); its exit status is this JVM's.
 */
public final class ExternalProgram {

    private ExternalProgram() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: ExternalProgram <grace seconds> <program> [args...]");
            System.exit(2);
        }
        long grace = Long.parseLong(args[0]);
        Process program = new ProcessBuilder(Arrays.copyOfRange(args, 1, args.length)).inheritIO().start();
        Thread stop = new Thread(() -> {
            if (program.isAlive()) {
                program.destroy();
                try {
                    if (!program.waitFor(grace, TimeUnit.SECONDS)) {
                        program.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    program.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }, "external-program-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int status = program.waitFor();
        System.exit(status);
    }
}
