package com.foobar.balancer.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityConfigTest {

    private static final String POOLS = """
            pools:
              web:
                servers: [ { name: web-1, address: 127.0.0.1:8081 } ]
            """;

    private static String listener(String extra) {
        return "listeners:\n  - name: https\n    bind: 127.0.0.1:8443\n    default_pool: web\n" + extra + POOLS;
    }

    @Test
    void readsTheTlsAndFirewallKeysOutsideChecksRelyOn() throws Exception {
        BalancerConfig c = ConfigLoader.parse("""
                data_dir: /var/lib/balancer
                trusted_proxies: [10.0.0.0/8]
                listeners:
                  - name: https
                    bind: 0.0.0.0:8443
                    tls:
                      certificates:
                        - { cert: certs/foobar.pem, key: certs/foobar-key.pem }
                      protocols: [TLSv1.3, TLSv1.2]
                      alpn: [h2, http/1.1]
                    hsts: max-age=31536000
                    allow: [0.0.0.0/0, "::/0"]
                    deny: [192.0.2.0/24]
                    max_connections_per_ip: 100
                    rate_limit: { requests_per_second: 50, burst: 100, key: source-ip }
                    max_body_size: 10m
                    max_request_line: 4k
                    max_header_size: 32k
                    headers_with_underscores: reject
                    routes: [ { hosts: [www.foobar.com], pool: web } ]
                  - name: http
                    bind: 0.0.0.0:8080
                    redirect_to_https: 8443
                    trusted_proxies: [172.16.0.0/12]
                admin:
                  bind: 127.0.0.1:9090
                  allow: [127.0.0.1, 10.1.2.0/24]
                """ + POOLS);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/balancer"));
        ListenerConfig https = c.listener("https");
        assertThat(https.tls().certificates()).containsExactly(
                new TlsConfig.Certificate(Path.of("certs/foobar.pem"), Path.of("certs/foobar-key.pem")));
        assertThat(https.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(https.tls().alpn()).containsExactly("h2", "http/1.1");
        assertThat(https.hsts()).isEqualTo("max-age=31536000");
        FirewallConfig fw = https.firewall();
        assertThat(fw.admits(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(fw.admits(InetAddress.getByName("192.0.2.77"))).isFalse();
        assertThat(fw.admits(InetAddress.getByName("2001:db8::1"))).isTrue();
        assertThat(fw.maxConnectionsPerIp()).isEqualTo(100);
        assertThat(fw.rateLimit()).isEqualTo(new RateLimitConfig(50, 100, "source-ip"));
        assertThat(fw.trusts(InetAddress.getByName("10.9.8.7"))).isTrue();
        assertThat(https.limits()).isEqualTo(new HttpLimitsConfig(4096, 32768, 10L << 20,
                HttpLimitsConfig.UnderscorePolicy.REJECT));
        ListenerConfig http = c.listener("http");
        assertThat(http.redirectToHttps()).isEqualTo(8443);
        assertThat(http.tls()).isNull();
        assertThat(http.firewall().trusts(InetAddress.getByName("10.9.8.7"))).isFalse();
        assertThat(http.firewall().trusts(InetAddress.getByName("172.20.0.1"))).isTrue();
        assertThat(c.admin().admits(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(c.admin().admits(InetAddress.getByName("10.1.3.3"))).isFalse();
    }

    @Test
    void defaultsAreSecureWhereItMattersAndOpenWhereTrafficMustFlow() throws Exception {
        BalancerConfig c = ConfigLoader.parse(listener("    tls: { auto: [www.foobar.com, foobar.com] }\n"));
        ListenerConfig l = c.listener("https");
        assertThat(l.tls().auto()).containsExactly("www.foobar.com", "foobar.com");
        assertThat(l.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(l.tls().alpn()).containsExactly("h2", "http/1.1");
        // OpenSSL where it loads, and resumption on, as HAProxy and nginx do by default.
        assertThat(l.tls().engine()).isEqualTo("auto");
        assertThat(l.tls().sessionResumption()).isTrue();
        TlsConfig jdkNoResume = ConfigLoader.parse(listener(
                "    tls: { auto: [a.com], engine: JDK, session_resumption: false }\n")).listener("https").tls();
        assertThat(jdkNoResume.engine()).isEqualTo("jdk");
        assertThat(jdkNoResume.sessionResumption()).isFalse();
        assertThat(l.firewall().admitsAll()).isTrue();
        assertThat(l.firewall().trustedProxies()).isEmpty();
        assertThat(l.firewall().rateLimit()).isNull();
        assertThat(l.limits()).isEqualTo(HttpLimitsConfig.DEFAULT);
        assertThat(c.dataDir()).isEqualTo(Path.of("data/balancer"));
        // The admin listener takes loopback only unless told otherwise.
        assertThat(c.admin().admits(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(c.admin().admits(InetAddress.getByName("::1"))).isTrue();
        assertThat(c.admin().admits(InetAddress.getByName("192.168.1.10"))).isFalse();
        assertThat(ConfigLoader.parse(listener("    rate_limit: { requests_per_second: 20 }\n")).listener("https")
                .firewall().rateLimit()).isEqualTo(new RateLimitConfig(20, 20, "source-ip"));
    }

    @Test
    void cidrMatchesByPrefixAndKeepsFamiliesApart() throws Exception {
        Cidr net = Cidr.parse("10.1.2.3/23");
        assertThat(net).hasToString("10.1.2.0/23");
        assertThat(net.contains(InetAddress.getByName("10.1.3.255"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("10.1.4.0"))).isFalse();
        assertThat(Cidr.parse("::1").contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(Cidr.LOOPBACK).containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(listener("    tls: { certificates: [ { cert: a.pem } ] }\n"),
                        "listeners[0].tls.certificates[0].key: is required"),
                Arguments.of(listener("    tls: { auto: [a.com], certificates: [ { cert: a.pem, key: k.pem } ] }\n"),
                        "listeners[0].tls: has both certificates and auto; use one"),
                Arguments.of(listener("    tls: {}\n"), "listeners[0].tls: needs certificates or auto"),
                Arguments.of(listener("    tls: { auto: [a.com], protocols: [TLSv1.3, TLSv1.1] }\n"),
                        "listeners[0].tls.protocols[1]: \"TLSv1.1\" is not a TLS version supported here (TLSv1.3, TLSv1.2)"),
                Arguments.of(listener("    tls: { auto: [a.com], alpn: [spdy/3] }\n"),
                        "listeners[0].tls.alpn[0]: \"spdy/3\" is not an ALPN protocol supported here (h2, http/1.1)"),
                Arguments.of(listener("    tls: { auto: [\"a b.com\"] }\n"),
                        "listeners[0].tls.auto[0]: \"a b.com\" is not a host name or IP address"),
                Arguments.of(listener("    tls: { auto: [a.com], ciphers: [RC4] }\n"),
                        "listeners[0].tls.ciphers: is not a known key (known here: alpn, auto, certificates, engine, protocols, session_resumption)"),
                Arguments.of(listener("    tls: { auto: [a.com], engine: boringssl }\n"),
                        "listeners[0].tls.engine: \"boringssl\" is not a TLS engine (auto, openssl or jdk)"),
                Arguments.of(listener("    tls: { auto: [a.com], session_resumption: sometimes }\n"),
                        "listeners[0].tls.session_resumption: \"sometimes\" is not true or false"),
                Arguments.of(listener("    hsts: max-age=1\n"),
                        "listeners[0].hsts: needs tls on this listener (browsers ignore HSTS over http)"),
                Arguments.of(listener("    tls: { auto: [a.com] }\n    hsts: forever\n"),
                        "listeners[0].hsts: \"forever\" is not a Strict-Transport-Security value like max-age=31536000; includeSubDomains"),
                Arguments.of(listener("    redirect_to_https: 70000\n"),
                        "listeners[0].redirect_to_https: 70000 is out of range 1-65535"),
                Arguments.of(listener("    redirect_to_https: 8443\n"),
                        "listeners[0].redirect_to_https: 8443 is this listener's own port; it must be the HTTPS listener's port"),
                Arguments.of(listener("    allow: [10.0.0.0/33]\n"),
                        "listeners[0].allow[0]: \"10.0.0.0/33\" has a prefix longer than 32"),
                Arguments.of(listener("    deny: [example.com]\n"),
                        "listeners[0].deny[0]: \"example.com\" is not an address or CIDR block like 10.0.0.0/8"),
                Arguments.of(listener("    max_connections_per_ip: 0\n"),
                        "listeners[0].max_connections_per_ip: 0 is out of range 1-1000000"),
                Arguments.of(listener("    rate_limit: { requests_per_second: 0 }\n"),
                        "listeners[0].rate_limit.requests_per_second: 0 is not a number of requests per second above 0 (at most 1000000)"),
                Arguments.of(listener("    rate_limit: { requests_per_second: 5, key: \"header:X\" }\n"),
                        "listeners[0].rate_limit.key: \"header:X\" is not a rate-limit key (known: source-ip)"),
                Arguments.of(listener("    rate_limit: { requests_per_second: 5, per: ip }\n"),
                        "listeners[0].rate_limit.per: is not a known key (known here: burst, key, requests_per_second)"),
                Arguments.of(listener("    trusted_proxies: [10.0.0.0/8, nope]\n"),
                        "listeners[0].trusted_proxies[1]: \"nope\" is not an address or CIDR block like 10.0.0.0/8"),
                Arguments.of(listener("    max_body_size: 10x\n"),
                        "listeners[0].max_body_size: \"10x\" is not a size like 1048576, 512k, 10m or 1g"),
                Arguments.of(listener("    max_request_line: 10\n"),
                        "listeners[0].max_request_line: 10 is out of range 256-1048576 bytes"),
                Arguments.of(listener("    http2: { max_concurrent_streams: 50 }\n"),
                        "listeners[0].http2: needs tls on this listener (h2 is offered through TLS ALPN)"),
                Arguments.of(listener("    tls: { auto: [a.com], alpn: [http/1.1] }\n    http2: { max_concurrent_streams: 50 }\n"),
                        "listeners[0].http2: has no effect: this listener's tls.alpn does not offer h2"),
                Arguments.of(listener("    tls: { auto: [a.com] }\n    http2: { max_concurrent_streams: 0 }\n"),
                        "listeners[0].http2.max_concurrent_streams: 0 is out of range 1-10000"),
                Arguments.of(listener("    tls: { auto: [a.com] }\n    http2: { initial_window_size: 32m }\n"),
                        "listeners[0].http2.initial_window_size: \"32m\" is out of range 1024-16777216 bytes"),
                Arguments.of(listener("    tls: { auto: [a.com] }\n    http2: { enabled: false }\n"),
                        "listeners[0].http2.enabled: is not a known key (known here: initial_window_size, max_concurrent_streams)"),
                Arguments.of(listener("    headers_with_underscores: ignore\n"),
                        "listeners[0].headers_with_underscores: \"ignore\" is not allow, drop or reject"),
                Arguments.of(listener("") + "admin: { allow: [localhost] }\n",
                        "admin.allow[0]: \"localhost\" is not an address or CIDR block like 10.0.0.0/8"),
                Arguments.of(listener("") + "trusted_proxies: [300.1.1.1]\n",
                        "trusted_proxies[0]: \"300.1.1.1\" is not an address or CIDR block like 10.0.0.0/8"));
    }

    @Test
    void http2SettingsDefaultToTodaysAndAreReadFromTheListener() throws Exception {
        assertThat(ConfigLoader.parse(listener("    tls: { auto: [a.com] }\n")).listener("https").http2())
                .isEqualTo(new Http2Config(100, 65_535));
        assertThat(ConfigLoader.parse(listener("    tls: { auto: [a.com] }\n"
                + "    http2: { max_concurrent_streams: 250, initial_window_size: 1m }\n")).listener("https").http2())
                .isEqualTo(new Http2Config(250, 1 << 20));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void rejectsBadSecurityKeysWithTheFieldPath(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(expected);
    }

    @Test
    void aRedirectOnlyListenerNeedsNoRoutes() throws Exception {
        BalancerConfig c = ConfigLoader.parse("listeners:\n  - { name: http, bind: 127.0.0.1:8080, redirect_to_https: 8443 }\n"
                + POOLS);
        assertThat(c.listener("http").routes()).isEqualTo(List.of());
        assertThatThrownBy(() -> ConfigLoader.parse("listeners:\n  - { name: http, bind: 127.0.0.1:8080 }\n" + POOLS))
                .hasMessage("listeners[0].routes: is required unless default_pool or redirect_to_https is set");
    }
}
