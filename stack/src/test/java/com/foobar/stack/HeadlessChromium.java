package com.foobar.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol with the JDK's WebSocket client:
 * open a page, evaluate JavaScript in it, take a screenshot. Enough for a test of a page that updates itself, without
 * a WebDriver.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration CALL_LIMIT = Duration.ofSeconds(20);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    /** The browser's executable on this machine's PATH, if there is one. */
    static Optional<Path> find() {
        return onPath("chromium", "chromium-browser");
    }

    /** The first of these programs found on the PATH. */
    static Optional<Path> onPath(String... programs) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : programs) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    static HeadlessChromium launch(Path executable, int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> browserUrl = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        browserUrl.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                browserUrl.completeExceptionally(e);
            }
            browserUrl.completeExceptionally(new IllegalStateException("chromium exited before it listened"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            URI browser = URI.create(browserUrl.get(30, TimeUnit.SECONDS));
            // The page target chromium opened for about:blank: its own WebSocket.
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
            String page = null;
            for (JsonNode target : JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                if (target.path("type").asText().equals("page")) {
                    page = target.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (page == null) {
                throw new IllegalStateException("chromium lists no page target at " + list);
            }
            return new HeadlessChromium(process, profile, http, URI.create(page));
        } catch (Exception | Error e) {
            process.destroyForcibly();
            deleteQuietly(profile);
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile, HttpClient http, URI page) {
        this.process = process;
        this.profile = profile;
        this.socket = http.newWebSocketBuilder().buildAsync(page, new Listener()).join();
    }

    /** Reassembles the protocol's messages, which may come in parts, and completes the call each one answers. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> call = message.has("id") ? calls.remove(message.get("id").asInt()) : null;
                    if (call != null) {
                        if (message.has("error")) {
                            call.completeExceptionally(new IllegalStateException("DevTools: " + message.get("error")));
                        } else {
                            call.complete(message.path("result"));
                        }
                    }
                } catch (IOException e) {
                    calls.values().forEach(c -> c.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).join();
        return answer.get(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Opens {@code url} and returns once its load event fired. */
    void open(URI url) throws Exception {
        call("Page.enable", JSON.createObjectNode());
        call("Page.navigate", JSON.createObjectNode().put("url", url.toString()));
        org.awaitility.Awaitility.await().atMost(CALL_LIMIT).pollInterval(Duration.ofMillis(100))
                .until(() -> "complete".equals(evaluate("document.readyState").asText()));
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable values only). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of what the page shows now. */
    byte[] screenshot() throws Exception {
        String data = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")).path("data").asText();
        return Base64.getDecoder().decode(data);
    }

    @Override
    public void close() {
        socket.abort();
        java.util.List<ProcessHandle> helpers = process.descendants().toList(); // unreachable once it is gone
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        helpers.forEach(ProcessHandle::destroyForcibly);
        deleteQuietly(profile);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
