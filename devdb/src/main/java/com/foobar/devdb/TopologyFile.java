package com.foobar.devdb;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Which node took writes when devdb last looked, kept in {@code <dataDir>/topology.properties}. A failover tool
 * changes the roles while devdb runs (it promotes {@code replica-1}, fences {@code primary}); the next start on the
 * same data must not make the old primary the writer again just because of its name, and cannot tell from the
 * servers alone which of two nodes that replicate from nobody was fenced.
 */
final class TopologyFile {
    static final String FILE_NAME = "topology.properties";

    /** The writer and the nodes that were read-only and replicating from nobody (fenced, or restarted alone). */
    static final class Record {
        final String writer;
        final List<String> readOnly;

        Record(String writer, List<String> readOnly) {
            this.writer = Objects.requireNonNull(writer);
            this.readOnly = List.copyOf(readOnly);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Record && ((Record) o).writer.equals(writer) && ((Record) o).readOnly.equals(readOnly);
        }

        @Override
        public int hashCode() {
            return Objects.hash(writer, readOnly);
        }

        @Override
        public String toString() {
            return "writer " + writer + (readOnly.isEmpty() ? "" : ", read-only and alone: " + String.join(", ", readOnly));
        }
    }

    private TopologyFile() {
    }

    static Optional<Record> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            DevDbConsole.progress("warning: cannot read " + file + " (" + e.getMessage() + "); guessing the topology");
            return Optional.empty();
        }
        String writer = p.getProperty("writer", "").trim();
        if (writer.isEmpty()) {
            return Optional.empty();
        }
        List<String> readOnly = new ArrayList<>();
        for (String name : p.getProperty("read_only", "").split(",")) {
            if (!name.isBlank()) {
                readOnly.add(name.trim());
            }
        }
        return Optional.of(new Record(writer, readOnly));
    }

    static void write(Path dataDir, Record record) {
        Properties p = new Properties();
        p.setProperty("writer", record.writer);
        p.setProperty("read_only", String.join(",", record.readOnly));
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "." + FILE_NAME, ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "devdb: the roles of the nodes when devdb last looked; the next start keeps them");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            DevDbConsole.progress("warning: cannot write " + file + ": " + e.getMessage());
        }
    }
}
