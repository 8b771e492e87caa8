package com.foobar.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DnsMainTest {

    @Test
    void theBalancersAddressIsWwwAndTheApexAndMoreRecordsMayBeAdded() {
        DnsMain.Parsed p = DnsMain.parse(new String[] {"--address", "10.213.6.10", "--record",
            "lb-1.foobar.com=10.213.6.11", "--port", "0", "--ttl", "30"});
        assertThat(p.zone().answer("www.foobar.com", true, false).addresses()).hasToString("[/10.213.6.10]");
        assertThat(p.zone().answer("foobar.com", true, false).addresses()).hasToString("[/10.213.6.10]");
        assertThat(p.zone().answer("lb-1.foobar.com", true, false).addresses()).hasToString("[/10.213.6.11]");
        assertThat(p.zone().ttl().toSeconds()).isEqualTo(30);
        assertThat(p.bind().getPort()).isZero();
    }

    @Test
    void badFlagsAreOneLineNamingTheFlag() {
        assertThatThrownBy(() -> DnsMain.parse(new String[] {})).hasMessage("--address: is required (the load balancer's address)");
        assertThatThrownBy(() -> DnsMain.parse(new String[] {"--address", "lb.example"}))
                .hasMessage("--address: lb.example is not an IP address");
        assertThatThrownBy(() -> DnsMain.parse(new String[] {"--address", "10.0.0.256"}))
                .hasMessage("--address: 10.0.0.256 is not an IP address");
        assertThatThrownBy(() -> DnsMain.parse(new String[] {"--address", "10.0.0.1", "--record", "example.org=10.0.0.2"}))
                .hasMessage("--record example.org: is not in the zone foobar.com");
        assertThatThrownBy(() -> DnsMain.parse(new String[] {"--address", "10.0.0.1", "--port", "99999"}))
                .hasMessage("--port: 99999 is not a port number (0-65535, 0 for any free port)");
        assertThatThrownBy(() -> DnsMain.parse(new String[] {"--zone", "x"})).hasMessage("--zone: unknown flag");
    }
}
