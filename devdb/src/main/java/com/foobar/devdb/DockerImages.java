package com.foobar.devdb;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Answers within seconds whether Testcontainers can start a container of an image here: a Docker engine answers, and
 * the image is in it or one pull of it succeeds.
 *
 * <p>Why: left to itself, Testcontainers finds out by trying, and on a machine with Docker but no registry (offline, an
 * air-gapped runner) it retries each failing pull for two minutes before it fails, and it does so for its own Ryuk
 * container first, even to answer {@code isDockerAvailable()}. Here: an inspect, then at most one pull through the
 * daemon, which fails at once when no registry answers ({@link ImagePull}). Ryuk's image counts as needed too, since
 * Testcontainers starts it before any container (unless {@code TESTCONTAINERS_RYUK_DISABLED=true}).
 *
 * <p>Image names go through Testcontainers' {@link ImageNameSubstitutor}, so a configured registry mirror or prefix is
 * asked, as Testcontainers itself would. Answers are kept for the JVM: images rarely come or go during a test run,
 * and every test class asks again.
 */
public final class DockerImages {
    /**
     * The image of the resource reaper Testcontainers starts before any container ({@code RyukContainer}, package
     * private there); {@code DockerImagesTest} fails when a Testcontainers upgrade changes it.
     */
    static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";
    /** How long the daemon may take to answer a pull: an error, or progress from a registry. */
    static final Duration ANSWER_BOUND = Duration.ofSeconds(15);
    /** How long a download that started may take (mysql:8.4 is some 600 MB). */
    static final Duration DOWNLOAD_BOUND = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(DockerImages.class);
    private static final DockerImages LOCAL = new DockerImages(DockerEngine::local,
            Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED")) ? null : RYUK_IMAGE);

    private final Supplier<DockerEngine> engine;
    private final String reaperImage;
    private final Map<String, Optional<String>> answers = new HashMap<>();

    /** {@code reaperImage}: what Testcontainers starts before any container; null when it starts nothing. */
    DockerImages(Supplier<DockerEngine> engine, String reaperImage) {
        this.engine = engine;
        this.reaperImage = reaperImage;
    }

    /**
     * Whether Testcontainers can start a container of {@code image} on this machine's Docker engine.
     *
     * @return empty when it can; else one line saying why not, e.g. {@code mysql:8.4 is not in the local Docker
     *     engine and cannot be pulled: <the daemon's message>}
     */
    public static Optional<String> unavailableReason(String image) {
        return LOCAL.whyNot(image);
    }

    /** As {@link #unavailableReason(String)}, on this instance's engine and reaper. */
    Optional<String> whyNot(String image) {
        Optional<String> why = have(image);
        if (why.isEmpty() && reaperImage != null) {
            why = have(reaperImage).map(reaper -> reaper + " (Testcontainers starts it before any container;"
                    + " TESTCONTAINERS_RYUK_DISABLED=true does without it)");
        }
        return why;
    }

    /** Whether {@code image} itself is in the engine or was pulled; asked once per image. */
    synchronized Optional<String> have(String image) {
        Optional<String> known = answers.get(image);
        if (known == null) {
            known = check(image);
            answers.put(image, known);
        }
        return known;
    }

    private Optional<String> check(String image) {
        DockerEngine docker = engine.get();
        if (docker.client().isEmpty()) {
            return Optional.of(image + " cannot be run: " + docker.absence().orElse("no Docker engine"));
        }
        DockerClient client = docker.client().get();
        String name = substituted(image);
        try {
            if (present(client, name)) {
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            return Optional.of(name + " cannot be looked up in the Docker engine: " + DaemonMessage.of(e));
        }
        long t0 = System.nanoTime();
        LOG.info("{} is not in the local Docker engine; pulling it once", name);
        Optional<String> failed = ImagePull.once(client, name, ANSWER_BOUND, DOWNLOAD_BOUND);
        if (failed.isEmpty() && !presentAfterPull(client, name)) {
            failed = Optional.of("the pull ended without it");
        }
        LOG.info("pull of {} {} after {} ms", name, failed.isEmpty() ? "succeeded" : "failed",
                (System.nanoTime() - t0) / 1_000_000);
        return failed.map(why -> name + " is not in the local Docker engine and cannot be pulled: " + why);
    }

    private static boolean present(DockerClient client, String name) {
        try {
            client.inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static boolean presentAfterPull(DockerClient client, String name) {
        try {
            return present(client, name);
        } catch (RuntimeException e) {
            LOG.debug("inspect of {} after its pull failed", name, e);
            return false;
        }
    }

    private static String substituted(String image) {
        try {
            return ImageNameSubstitutor.instance().apply(DockerImageName.parse(image)).asCanonicalNameString();
        } catch (RuntimeException e) {
            LOG.debug("image name substitution failed for {}; asking for it as is", image, e);
            return image;
        }
    }
}
