package com.foobar.stack.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Tells whether a freshly started child is ready to serve. It is asked repeatedly until it says yes, the child
 * exits, or the start timeout passes; an exception counts as "not yet".
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** Per-attempt limit for {@link #httpOk(URI)}: a hung child must not stall the whole wait. */
    Duration HTTP_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    boolean isReady() throws Exception;

    /** Ready as soon as the child answers. */
    static ReadinessCheck none() {
        return () -> true;
    }

    /** Ready once {@code GET uri} answers 200. */
    static ReadinessCheck httpOk(URI uri) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_ATTEMPT_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(HTTP_ATTEMPT_TIMEOUT).GET().build();
        return () -> {
            try {
                return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        };
    }
}
