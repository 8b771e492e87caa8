package com.foobar.balancer.proxy;

import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.config.RouteConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {

    private static Router router(String defaultPool, RouteConfig... routes) {
        return new Router(new ListenerConfig("public", HostPort.parse("127.0.0.1:0"), List.of(routes), defaultPool));
    }

    @Test
    void firstMatchingRouteWinsIgnoringHostCaseAndPort() {
        Router r = router(null,
                new RouteConfig(List.of("www.foobar.com"), "/api/", "api"),
                new RouteConfig(List.of("www.foobar.com", "foobar.com"), "/", "web"));
        assertThat(r.route("WWW.FOOBAR.COM:443", "/api/x")).isEqualTo("api");
        assertThat(r.route("foobar.com", "/api/x")).isEqualTo("web");
        assertThat(r.route("www.foobar.com", "/apix")).isEqualTo("web");
        assertThat(r.route("foobar.com.evil", "/")).isNull();
        assertThat(r.route("foobar.co", "/")).isNull();
    }

    @Test
    void routeWithoutHostsMatchesAnyHostAndMissingHost() {
        Router r = router(null, new RouteConfig(List.of(), "/static/", "static"));
        assertThat(r.route(null, "/static/a.css")).isEqualTo("static");
        assertThat(r.route("anything:8080", "/static/")).isEqualTo("static");
        assertThat(r.route("anything", "/other")).isNull();
        assertThat(r.miss("anything")).isEqualTo(Router.Miss.UNKNOWN_PATH);
    }

    @Test
    void defaultPoolTakesWhatNoRouteMatches() {
        Router r = router("web", new RouteConfig(List.of("api.foobar.com"), "/", "api"));
        assertThat(r.route("elsewhere", "/")).isEqualTo("web");
    }

    @Test
    void ipv6HostLiteralKeepsItsBracketsAndDropsThePort() {
        Router r = router(null, new RouteConfig(List.of("[::1]"), "/", "local"));
        assertThat(r.route("[::1]:8080", "/")).isEqualTo("local");
        assertThat(r.route("[::2]", "/")).isNull();
    }

    @Test
    void missIsUnknownHostWhenNoRouteNamesTheHost() {
        Router r = router(null, new RouteConfig(List.of("foobar.com"), "/app/", "web"));
        assertThat(r.miss("other.com")).isEqualTo(Router.Miss.UNKNOWN_HOST);
        assertThat(r.miss("FOOBAR.com:80")).isEqualTo(Router.Miss.UNKNOWN_PATH);
        assertThat(r.miss(null)).isEqualTo(Router.Miss.UNKNOWN_HOST);
    }
}
