package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foobar.webapp.web.ShopServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nginx configuration the stack writes, and the static files it gives nginx to serve. */
class NginxTierTest {

    @TempDir
    Path dir;

    @Test
    void theConfigurationComesFromTheTemplateWithEveryPlaceholderFilled() {
        String conf = NginxTier.config(2, "127.0.0.1:8182", "127.0.0.1:8082", dir.resolve("nginx-2"), dir.resolve("logs"),
                dir);

        assertThat(conf).doesNotContain("{{")
                .contains("listen 127.0.0.1:8182;")
                .contains("server 127.0.0.1:8082;")
                .contains("keepalive 16;")
                .contains("proxy_http_version 1.1;")
                .contains("proxy_set_header Connection \"\";")
                .contains("proxy_bind 127.0.1.2;")
                .contains("set_real_ip_from 127.0.0.1;")
                .contains("proxy_set_header X-Forwarded-For $remote_addr;")
                .contains("add_header Cache-Control \"" + ShopServer.STATIC_CACHE_CONTROL + "\" always;")
                .contains("add_header X-Served-By nginx-2 always;")
                .contains("root " + dir + ";");
        assertThatThrownBy(() -> NginxTier.render("a {{missing}} b", Map.of()))
                .hasMessageContaining("{{missing}}");
    }

    @Test
    void theStaticFilesAreTheWebappsOwnAndAnEarlierStartsAreReplaced() throws Exception {
        Files.createDirectories(dir.resolve("static"));
        Files.writeString(dir.resolve("static/stale.css"), "left by an older build");

        int copied = NginxTier.extractStaticFiles(dir);

        assertThat(copied).isGreaterThanOrEqualTo(3);
        assertThat(dir.resolve("static/stale.css")).doesNotExist();
        byte[] fromJar = NginxTierTest.class.getClassLoader()
                .getResourceAsStream(NginxTier.STATIC_RESOURCES + "/style.css").readAllBytes();
        assertThat(Files.readAllBytes(dir.resolve("static/style.css"))).isEqualTo(fromJar);
        assertThat(dir.resolve("static/app.js")).exists();
        assertThat(dir.resolve("static/logo.svg")).exists();
    }

    /** nginx itself accepts what the stack writes ({@code nginx -t}), where it is installed. */
    @Test
    void nginxAcceptsTheGeneratedConfiguration() throws Exception {
        Optional<Path> nginx = NginxTier.program();
        if (nginx.isEmpty() && System.getenv("FOOBAR_NGINX_REQUIRED") != null) {
            throw new AssertionError("FOOBAR_NGINX_REQUIRED is set, but nginx is not installed");
        }
        Assumptions.assumeTrue(nginx.isPresent(), "nginx is not installed (Debian: apt-get install nginx)");
        Path own = dir.resolve("nginx-1");
        Files.createDirectories(own.resolve("tmp"));
        Files.createDirectories(dir.resolve("logs"));
        Path conf = own.resolve("nginx.conf");
        Files.writeString(conf, NginxTier.config(1, "127.0.0.1:1", "127.0.0.1:2", own, dir.resolve("logs"), dir));

        Process t = new ProcessBuilder(nginx.get().toString(), "-t", "-p", own.toString(), "-c", conf.toString(), "-e",
                "stderr").redirectErrorStream(true).start();
        assertThat(t.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String said = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(t.exitValue()).as(said).isZero();
        assertThat(said).contains("syntax is ok").contains("test is successful");
    }
}
