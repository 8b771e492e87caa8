package com.foobar.stack;

import com.foobar.webapp.web.ShopServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code --nginx}: the web server / application server split of the scaled step. One nginx in front of each
 * application server (web-N), serving the shop's static files from disk and passing everything else on.
 *
 * <p>On one machine every process talks over loopback, so the application server cannot tell the balancer from its
 * nginx by network. Each nginx therefore connects to its application server from an address of its own,
 * {@code 127.0.1.N} (Linux routes all of 127.0.0.0/8 to the loopback interface), and the application server trusts
 * only that address: a request from 127.0.0.1, where the balancer and a user's curl come from, gets 403.
 */
final class NginxTier {

    static final String TEMPLATE = "/com/foobar/stack/nginx/nginx.conf.template";
    /** Where the webapp jar keeps its static files (webapp's ShopServer serves /static/* from there). */
    static final String STATIC_RESOURCES = "com/foobar/webapp/public/static";
    /** Under the data directory: nginx-N/ (its nginx.conf, pid, temp files) and static/ (the extracted files). */
    static final String DIR = "nginx";
    /** Where the balancer reaches nginx from: it runs on this machine and connects over loopback. */
    static final String BALANCER_ADDRESS = "127.0.0.1";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    private NginxTier() {
    }

    /** Names as the table shows them: nginx-1 in front of web-1. */
    static String name(int n) {
        return "nginx-" + n;
    }

    /** The loopback address nginx-N connects to web-N from, and the only one web-N accepts requests from. */
    static String sourceAddress(int n) {
        return "127.0.1." + n;
    }

    /** The nginx to run, when not the one found on the PATH (and how the tests name one that is missing). */
    static final String ENV_PROGRAM = "FOOBAR_NGINX";

    /**
     * The nginx program: {@code $FOOBAR_NGINX} if set; else on the PATH, or Debian's /usr/sbin/nginx, which is not
     * on an ordinary user's PATH.
     */
    static Optional<Path> program() {
        String chosen = System.getenv(ENV_PROGRAM);
        if (chosen != null && !chosen.isBlank()) {
            Path p = Path.of(chosen);
            return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "nginx");
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        for (String known : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx")) {
            Path p = Path.of(known);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether this machine lets a socket bind {@code address}: Linux does for all of 127.0.0.0/8; macOS only for the
     * loopback aliases an administrator added ({@code sudo ifconfig lo0 alias 127.0.1.1}).
     */
    static boolean canBind(String address) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * nginx-N's configuration, from the template.
     *
     * @param dir        its own directory (pid file, temp files)
     * @param logs       where its access log goes
     * @param staticRoot the directory holding {@code static/}, the extracted files
     */
    static String config(int n, String listen, String appAddress, Path dir, Path logs, Path staticRoot) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name(n));
        values.put("app", "web-" + n);
        values.put("app_address", appAddress);
        values.put("listen", listen);
        values.put("source", sourceAddress(n));
        values.put("balancer", BALANCER_ADDRESS);
        values.put("dir", dir.toString());
        values.put("logs", logs.toString());
        values.put("static_root", staticRoot.toString());
        values.put("cache_control", ShopServer.STATIC_CACHE_CONTROL);
        // A master started as root hands its workers to "nobody", who may not read a data directory private to
        // root (a temporary one is mode 700): the workers run as the user who runs the stack instead.
        values.put("user", isRoot() ? "user root;\n" : "");
        return render(template(), values);
    }

    /** Replaces every {{key}}; a key the template uses and {@code values} lacks is a bug, not an empty string. */
    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the nginx template uses {{" + m.group(1) + "}}, which has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String template() {
        try (InputStream in = NginxTier.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the stack's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Copies the webapp's static files, as its jar (on this JVM's classpath) has them, to {@code root/static/},
     * replacing what an earlier start left there: nginx serves exactly the files the application server would.
     *
     * @return how many files were copied
     */
    static int extractStaticFiles(Path root) throws IOException {
        URL url = NginxTier.class.getClassLoader().getResource(STATIC_RESOURCES);
        if (url == null) {
            throw new IOException(STATIC_RESOURCES + " is not on the classpath (is the webapp in the stack's jar?)");
        }
        Path target = root.resolve("static");
        deleteTree(target);
        Files.createDirectories(target);
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("bad resource URL " + url, e);
        }
        if ("jar".equals(uri.getScheme())) {
            FileSystem jar;
            boolean ours = false;
            try {
                jar = FileSystems.newFileSystem(uri, Map.of());
                ours = true;
            } catch (FileSystemAlreadyExistsException e) {
                jar = FileSystems.getFileSystem(uri);
            }
            try {
                return copyTree(jar.provider().getPath(uri), target);
            } finally {
                if (ours) {
                    jar.close();
                }
            }
        }
        // Run from the build's classes directories (the tests): a plain directory.
        return copyTree(Path.of(uri), target);
    }

    private static int copyTree(Path from, Path to) throws IOException {
        int[] files = {0};
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                    files[0]++;
                }
            }
        }
        return files[0];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
