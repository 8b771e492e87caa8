package com.foobar.devdb;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.testcontainers.utility.DockerImageName;

/**
 * One pull of an image through the daemon, awaited with bounds and never retried. Testcontainers retries a failing
 * pull for two minutes; a daemon with no registry fails the first attempt at once, so one attempt is the answer.
 *
 * <p>Two bounds: the daemon must answer within {@code answerBound} (an error, or progress once a registry served
 * the manifest), and a download that started must end within {@code downloadBound}: a slow download is still a
 * way to have the image, a registry that never answers is not.
 */
final class ImagePull implements ResultCallback<PullResponseItem> {
    private final CountDownLatch answered = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Closeable stream;
    private volatile String error;

    private ImagePull() {
    }

    /** Pulls {@code image}; empty when the pull succeeded, else the daemon's one-line reason. */
    static Optional<String> once(DockerClient docker, String image, Duration answerBound, Duration downloadBound) {
        DockerImageName name = DockerImageName.parse(image);
        ImagePull pull = new ImagePull();
        try {
            docker.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).exec(pull);
            if (!pull.answered.await(answerBound.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of("the daemon gave no answer within " + answerBound.toSeconds() + " s");
            }
            if (!pull.ended.await(downloadBound.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of("the download did not end within " + downloadBound.toMinutes() + " min");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while pulling");
        } catch (RuntimeException e) {
            return Optional.of(DaemonMessage.of(e));
        } finally {
            pull.close();
        }
        return Optional.ofNullable(pull.error);
    }

    @Override
    public void onStart(Closeable stream) {
        this.stream = stream;
    }

    @Override
    public void onNext(PullResponseItem item) {
        if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
            fail(item.getErrorDetail().getMessage());
        }
        answered.countDown();
    }

    /** Not ResultCallback.Adapter's onError: that logs the daemon's refusal with a stack trace. */
    @Override
    public void onError(Throwable e) {
        fail(DaemonMessage.of(e));
        answered.countDown();
        ended.countDown();
    }

    @Override
    public void onComplete() {
        answered.countDown();
        ended.countDown();
    }

    private void fail(String message) {
        if (error == null) {
            error = DaemonMessage.oneLine(message);
        }
    }

    /** Stops listening to the pull: its answer is in, or it took longer than its bound. */
    @Override
    public void close() {
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing more to stop
            }
        }
        ended.countDown();
        answered.countDown();
    }
}
