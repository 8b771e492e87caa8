package com.foobar.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The stack's data directory, locked for as long as the stack runs: two stacks on the same database files would
 * corrupt them. The lock is an OS file lock, so it goes away with the process, however it ends.
 */
final class DataDirectory implements AutoCloseable {

    static final String LOCK_FILE = "stack.lock";

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws StackStartException when another stack holds it, or it cannot be written
     */
    static DataDirectory lock(Path root) throws StackStartException {
        Path lockFile = root.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(root);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new StackStartException("another stack is running with the data directory " + root
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + ": stop it first, or give this one another --data-dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(
                    StandardCharsets.US_ASCII)), 0);
            return new DataDirectory(root, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StackStartException("cannot use the data directory " + root + ": " + IoReasons.reason(e), e);
        }
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    Path root() {
        return root;
    }

    Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** Deletes everything in the directory but the lock. */
    void wipe() throws StackStartException {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!entry.getFileName().toString().equals(LOCK_FILE)) {
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            throw new StackStartException("--fresh: cannot wipe " + root + ": " + e.getMessage(), e);
        }
    }

    /** Whether anything but the lock is there: a previous run's data. */
    boolean hasData() {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.anyMatch(p -> !p.getFileName().toString().equals(LOCK_FILE));
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // The lock goes with the channel anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing more to release.
            }
        }
    }
}
