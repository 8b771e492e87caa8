package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoReasonsTest {

    @TempDir
    Path dir;

    @Test
    void aDirectoryThatCannotBeCreatedIsGivenItsReasonNotItsPathAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path target = file.resolve("data");

        IOException failure = createDirectories(target);

        assertThat(IoReasons.failed("create", target, failure)).isEqualTo("cannot create it: Not a directory");
    }

    @Test
    void theJdksPathOnlyExceptionsAreNamedInWords() {
        // Thrown with nothing but the path as their message; the root user of a test machine cannot provoke the
        // first one on a real directory.
        assertThat(IoReasons.reason(new AccessDeniedException("/srv/data"))).isEqualTo("Permission denied");
        assertThat(IoReasons.failed("create", Path.of("/srv/data/x"), new AccessDeniedException("/srv/data")))
                .isEqualTo("cannot create /srv/data: Permission denied");
    }

    private static IOException createDirectories(Path target) {
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError(target + " was created");
    }
}
