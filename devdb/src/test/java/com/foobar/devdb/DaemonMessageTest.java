package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.Test;

class DaemonMessageTest {
    @Test
    void theDaemonsSentenceIsTakenOutOfDockerJavasJsonWrapping() {
        InternalServerErrorException e = new InternalServerErrorException("{\"message\":\"Get \\\"https://registry-1.docker.io/v2/\\\": dial tcp: lookup registry-1.docker.io: no such host\"}\n");
        assertThat(DaemonMessage.of(e))
                .isEqualTo("Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host");
    }

    @Test
    void goEscapesAreUndoneAndAnyTextEndsOnOneShortLine() {
        assertThat(DaemonMessage.oneLine("Status 404: {\"message\":\"pull access denied \\u003cnone\\u003e\"}"))
                .isEqualTo("pull access denied <none>");
        assertThat(DaemonMessage.oneLine("first line\n\tsecond line ")).isEqualTo("first line second line");
        assertThat(DaemonMessage.oneLine("x".repeat(1000))).hasSize(300).endsWith("...");
    }

    @Test
    void aWrapperWithoutMessageGivesItsCausesMessage() {
        RuntimeException e = new RuntimeException(null, new IllegalStateException("Could not find a valid Docker environment"));
        assertThat(DaemonMessage.of(e)).isEqualTo("Could not find a valid Docker environment");
        assertThat(DaemonMessage.of(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
