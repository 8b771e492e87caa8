package com.foobar.overview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class OverviewMainTest {

    @Test
    void flagsNameEachSourceAndDefaultTheFirstBalancersName() {
        OverviewConfig c = OverviewMain.parse(new String[] {"--balancer", "http://lb:9090", "--balancer",
            "lb-b=http://lb-b:9090", "--web", "web-1=http://web-1:8080", "--db-failover", "http://db-failover:9095",
            "--port", "0", "--interval", "1s"});
        assertThat(c.balancers()).extracting(OverviewConfig.Source::name).containsExactly("balancer", "lb-b");
        assertThat(c.webs().get(0).base()).isEqualTo(URI.create("http://web-1:8080"));
        assertThat(c.failover()).hasValue(URI.create("http://db-failover:9095"));
        assertThat(c.interval().toMillis()).isEqualTo(1000);
        assertThat(c.port()).isZero();
    }

    @Test
    void badFlagsAreOneLineNamingTheFlag() {
        assertThatThrownBy(() -> OverviewMain.parse(new String[] {"--web", "http://web-1:8080"}))
                .hasMessage("--web: http://web-1:8080 needs a name: NAME=URL");
        assertThatThrownBy(() -> OverviewMain.parse(new String[] {"--port", "70000"}))
                .hasMessage("--port: 70000 is not a port number (0-65535, 0 for any free port)");
        assertThatThrownBy(() -> OverviewMain.parse(new String[] {"--balancer", "lb:9090"}))
                .hasMessage("--balancer: lb:9090 is not an http:// URL");
        assertThatThrownBy(() -> OverviewMain.parse(new String[] {"--interval", "fast"}))
                .hasMessage("--interval: fast is not a duration (e.g. 500ms, 1s)");
        assertThatThrownBy(() -> OverviewMain.parse(new String[] {"--verbose"}))
                .hasMessage("--verbose: unknown flag");
        assertThatThrownBy(() -> OverviewMain.parse(new String[] {}))
                .hasMessage("nothing to watch: name at least one balancer, web server or db-failover");
        assertThatThrownBy(() -> OverviewMain.parse(new String[] {"--web", "a=http://x", "--web", "a=http://y"}))
                .hasMessage("web a: the name is used twice");
    }
}
