package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aSecondStackOnTheSameDataIsRefusedWithTheHoldersPid() throws Exception {
        Path data = dir.resolve("data");
        try (DataDirectory first = DataDirectory.lock(data)) {
            // Within one JVM the channel lock throws; across processes tryLock returns null. Both must refuse.
            assertThatThrownBy(() -> DataDirectory.lock(data))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageContaining("data directory " + data);
        }
        try (DataDirectory again = DataDirectory.lock(data)) {
            assertThat(Files.readString(data.resolve(DataDirectory.LOCK_FILE)))
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void wipeRemovesTheDataButKeepsTheLock() throws Exception {
        Path data = dir.resolve("data");
        try (DataDirectory d = DataDirectory.lock(data)) {
            assertThat(d.hasData()).isFalse();
            Files.createDirectories(data.resolve("db/primary/data"));
            Files.writeString(data.resolve("db/primary/data/ibdata1"), "x");
            Files.writeString(data.resolve("balancer.yml"), "x");
            assertThat(d.hasData()).isTrue();

            d.wipe();

            assertThat(d.hasData()).isFalse();
            assertThat(data.resolve(DataDirectory.LOCK_FILE)).exists();
        }
    }
}
