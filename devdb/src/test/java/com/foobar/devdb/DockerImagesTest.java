package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;

/**
 * The image check answers within seconds, without a registry: an image nobody has is reported with the daemon's
 * reason (or the missing engine), one present in the engine is there without a pull.
 */
class DockerImagesTest {
    /** A name no registry serves; with no registry the daemon refuses its pull at once. */
    static final String NO_SUCH_IMAGE = "foobar-test/no-such-image:0";
    private static final Duration SECONDS_NOT_MINUTES = Duration.ofSeconds(10);

    @Test
    void anImageNobodyHasIsUnavailableWithinSecondsSayingWhy() {
        long t0 = System.nanoTime();
        Optional<String> why = DockerImages.unavailableReason(NO_SUCH_IMAGE);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(SECONDS_NOT_MINUTES);
        assertThat(why).hasValueSatisfying(reason -> {
            assertThat(reason).doesNotContain("\n");
            if (DockerEngine.local().client().isPresent()) {
                assertThat(reason).startsWith(NO_SUCH_IMAGE + " is not in the local Docker engine and cannot be pulled: ")
                        .doesNotContain("Status 500", "{\"message\"");
            } else {
                assertThat(reason).startsWith(NO_SUCH_IMAGE + " cannot be run: no Docker engine");
            }
        });
    }

    @Test
    void withoutAnEngineTheReasonSaysSoAndTheEngineIsAskedOnce() {
        AtomicInteger lookUps = new AtomicInteger();
        DockerImages images = new DockerImages(() -> {
            lookUps.incrementAndGet();
            return DockerEngine.absent("no Docker engine answers (test)");
        }, DockerImages.RYUK_IMAGE);

        assertThat(images.whyNot("mysql:8.4")).contains("mysql:8.4 cannot be run: no Docker engine answers (test)");
        assertThat(images.whyNot("mysql:8.4")).contains("mysql:8.4 cannot be run: no Docker engine answers (test)");
        assertThat(lookUps).hasValue(1);
    }

    @Test
    void anImageInTheEngineIsThereWithoutAPullButStillNeedsTheReaper(@TempDir Path dir) throws Exception {
        Optional<DockerClient> client = DockerEngine.local().client();
        assumeTrue(client.isPresent(), "needs a Docker engine: " + DockerEngine.local().absence().orElse(""));
        DockerClient docker = client.get();
        String image = "foobar-test/devdb-present:" + UUID.randomUUID().toString().substring(0, 8);
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nLABEL purpose=foobar-devdb-test\n");
        String id = docker.buildImageCmd(dockerfile.toFile()).withTags(Set.of(image))
                .exec(new BuildImageResultCallback()).awaitImageId(60, TimeUnit.SECONDS);
        try {
            DockerImages images = new DockerImages(DockerEngine::local, NO_SUCH_IMAGE);
            assertThat(images.have(image)).isEmpty();
            assertThat(images.whyNot(image)).hasValueSatisfying(reason -> assertThat(reason)
                    .startsWith(NO_SUCH_IMAGE + " is not in the local Docker engine and cannot be pulled: ")
                    .endsWith("(Testcontainers starts it before any container; TESTCONTAINERS_RYUK_DISABLED=true does without it)"));
            assertThat(new DockerImages(DockerEngine::local, null).whyNot(image)).isEmpty();
        } finally {
            docker.removeImageCmd(id).withForce(true).exec();
        }
    }

    @Test
    void theReaperImageIsTheOneTestcontainersStarts() throws Exception {
        Constructor<?> ryuk = Class.forName("org.testcontainers.utility.RyukContainer").getDeclaredConstructor();
        ryuk.setAccessible(true);
        GenericContainer<?> container = (GenericContainer<?>) ryuk.newInstance();
        // RemoteDockerImage names its image without pulling it; the test fails when an upgrade changes Ryuk's tag.
        assertThat(container.getImage().toString()).contains("imageName=" + DockerImages.RYUK_IMAGE);
    }
}
