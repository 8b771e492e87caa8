package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.webapp.WebAppConfig;
import com.foobar.webapp.net.TrustedProxies;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule "web servers accept only the load balancer", as compose.yaml implements it with its pair of balancers:
 * the app network has a pinned private IPv4 subnet, lb-1, lb-2, the web tier's monitoring agent and the overview have
 * fixed addresses on it (a balancer's is its namespace holder's, lb-N-netns), and the web servers'
 * FOOBAR_TRUSTED_PROXIES, parsed by the webapp's own {@link WebAppConfig}, admits exactly those and the loopback
 * address of their own healthcheck,
 * and no other address of the subnet. Each check runs on the file as it is and
 * with FOOBAR_APP_NET moved, so that the subnet, the fixed addresses and the trusted list cannot drift apart.
 */
class TrustedProxiesContractTest {
    private static final String APP = "app";
    private static final List<String> WEB = List.of("web-1", "web-2");
    /**
     * The only peers (besides loopback) web trusts: the balancers, and the two readers of the web servers' own port,
     * the web tier's monitoring agent (/metrics) and the overview (/api/status).
     */
    private static final List<String> TRUSTED_SERVICES = List.of("lb-1", "lb-2", "agent-web", "overview");
    /**
     * Fixed on app but not trusted by the web servers: the load-balancer tier's agent, which the balancers' admin
     * listener admits by app's subnet and which never asks a web server.
     */
    private static final List<String> FIXED_UNTRUSTED = List.of("agent-lb");
    private static final String APP_NET_VARIABLE = "FOOBAR_APP_NET";
    private static final Pattern APP_NET_REFERENCE = Pattern.compile("\\$\\{" + APP_NET_VARIABLE + "(:?-([^}]*))?}");
    private static final Pattern PROBE_URL = Pattern.compile("https?://[^\\s\"']+");
    private static final List<Ipv4Range> RFC_1918 = List.of(
            Ipv4Range.parse("10.0.0.0/8"), Ipv4Range.parse("172.16.0.0/12"), Ipv4Range.parse("192.168.0.0/16"));
    /** Where Docker carves networks it is not told a subnet for (its default-address-pools). */
    private static final List<Ipv4Range> DOCKER_DEFAULT_POOLS = List.of(
            Ipv4Range.parse("172.17.0.0/16"), Ipv4Range.parse("172.18.0.0/15"), Ipv4Range.parse("172.20.0.0/14"),
            Ipv4Range.parse("172.24.0.0/13"), Ipv4Range.parse("192.168.0.0/16"));

    /** The file as users start it, and with the app network moved the way the README says. */
    static Stream<Named<ComposeFile>> composeFiles() {
        return Stream.of(Named.of("as shipped", ComposeFile.load(StackFiles.COMPOSE)),
                Named.of(APP_NET_VARIABLE + "=10.99.42",
                        ComposeFile.load(StackFiles.COMPOSE, Map.of(APP_NET_VARIABLE, "10.99.42"))));
    }

    @Test
    void theAppNetworkIsMovedByOneVariableWithOneDefault() {
        Matcher m = APP_NET_REFERENCE.matcher(StackFiles.read(StackFiles.COMPOSE));
        Set<String> defaults = new TreeSet<>();
        int references = 0;
        while (m.find()) {
            references++;
            defaults.add(String.valueOf(m.group(2)));
        }
        // subnet, gateway, ip_range, three fixed addresses, and the two trusted lists (three references each).
        assertThat(references).as("references to ${%s}", APP_NET_VARIABLE).isGreaterThanOrEqualTo(12);
        assertThat(defaults).as("every ${%s} has the same default", APP_NET_VARIABLE).hasSize(1);
        assertThat(defaults.iterator().next()).matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        ComposeFile moved = ComposeFile.load(StackFiles.COMPOSE, Map.of(APP_NET_VARIABLE, "10.99.42"));
        assertThat(subnet(moved)).isEqualTo(Ipv4Range.parse("10.99.42.0/24"));
        assertThat(moved.ipv4AddressOn("lb-1", APP)).isEqualTo("10.99.42.10");
        assertThat(moved.ipv4AddressOn("lb-2", APP)).isEqualTo("10.99.42.11");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void theAppNetworkHasOnePinnedPrivateIpv4SubnetOutsideDockersDefaultPools(ComposeFile compose) {
        JsonNode app = compose.at("/networks/app");
        assertThat(app.path("internal").asBoolean()).as("app is internal").isTrue();
        // Over IPv6 a balancer would reach the web servers from an address outside the trusted list.
        assertThat(app.path("enable_ipv6").isBoolean()).as("app states enable_ipv6").isTrue();
        assertThat(app.path("enable_ipv6").asBoolean()).as("app is IPv4 only").isFalse();
        assertThat(app.path("ipam").path("config").size()).as("app has exactly one IPAM subnet").isEqualTo(1);
        Ipv4Range subnet = subnet(compose);
        assertThat(RFC_1918).as("%s is in a private (RFC 1918) range", subnet).anyMatch(r -> r.contains(subnet));
        for (Ipv4Range pool : DOCKER_DEFAULT_POOLS) {
            assertThat(subnet.overlaps(pool)).as("%s overlaps Docker's default pool %s", subnet, pool).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void onlyTheTrustedAndTheBalancersAgentHoldFixedAddressesAndNothingDynamicCanTakeThem(ComposeFile compose) {
        Ipv4Range subnet = subnet(compose);
        JsonNode ipam = compose.at("/networks/app/ipam/config/0");
        Ipv4Range dynamic = Ipv4Range.parse(ipam.path("ip_range").asText());
        int gateway = Ipv4Range.address(ipam.path("gateway").asText());
        assertThat(subnet.contains(dynamic)).as("ip_range %s inside %s", dynamic, subnet).isTrue();
        assertThat(subnet.containsAddress(gateway)).as("gateway inside %s", subnet).isTrue();

        Set<Integer> fixed = new HashSet<>();
        List<String> trustedNamespaces = Stream.concat(TRUSTED_SERVICES.stream(), FIXED_UNTRUSTED.stream())
                .map(compose::namespaceOwner).toList();
        for (String service : compose.serviceNames()) {
            if (!compose.namespaceOwner(service).equals(service)) {
                continue; // joins another's namespace: its address is the owner's, checked there
            }
            String text = compose.ipv4AddressOn(service, APP);
            if (!trustedNamespaces.contains(service)) {
                assertThat(text).as("%s must take a dynamic address from ip_range", service).isNull();
                continue;
            }
            assertThat(text).as("%s has a fixed address on app", service).isNotNull();
            int address = Ipv4Range.address(text);
            assertThat(subnet.containsAddress(address)).as("%s: %s inside %s", service, text, subnet).isTrue();
            assertThat(address).as("%s: %s is the network or broadcast address", service, text)
                    .isNotIn(subnet.first(), subnet.last());
            assertThat(address).as("%s: %s is the gateway (the host's side of the bridge)", service, text)
                    .isNotEqualTo(gateway);
            assertThat(dynamic.containsAddress(address))
                    .as("%s: %s is inside ip_range %s, where Docker hands out addresses", service, text, dynamic)
                    .isFalse();
            assertThat(fixed.add(address)).as("%s: %s is taken twice", service, text).isTrue();
        }
        assertThat(fixed).hasSize(TRUSTED_SERVICES.size() + FIXED_UNTRUSTED.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void webServersTrustExactlyBothBalancersTheirAgentTheOverviewAndTheLoopbackOfTheirHealthcheck(ComposeFile compose) {
        List<String> expected = new ArrayList<>();
        for (String service : TRUSTED_SERVICES) {
            expected.add(compose.ipv4AddressOn(service, APP) + "/32");
        }
        expected.add("127.0.0.1/32");
        for (String web : WEB) {
            TrustedProxies trusted = trustedProxiesOf(compose, web);
            assertThat(trusted.ranges()).as("FOOBAR_TRUSTED_PROXIES of %s: nothing broader than needed", web)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void noOtherAddressOfTheAppNetworkIsTrusted(ComposeFile compose) throws UnknownHostException {
        Ipv4Range subnet = subnet(compose);
        Set<Integer> allowed = new HashSet<>();
        for (String service : TRUSTED_SERVICES) {
            allowed.add(Ipv4Range.address(compose.ipv4AddressOn(service, APP)));
        }
        for (String web : WEB) {
            TrustedProxies trusted = trustedProxiesOf(compose, web);
            List<String> admitted = new ArrayList<>();
            for (long a = Integer.toUnsignedLong(subnet.first()); a <= Integer.toUnsignedLong(subnet.last()); a++) {
                if (trusted.contains(Ipv4Range.inet((int) a))) {
                    admitted.add(Ipv4Range.format((int) a));
                }
            }
            List<String> expected = allowed.stream().map(Ipv4Range::format).toList();
            assertThat(admitted).as("addresses of %s that %s admits", subnet, web)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void theWebHealthcheckProbesFromALoopbackAddressTheGateAdmits(ComposeFile compose) throws Exception {
        for (String web : WEB) {
            Matcher m = PROBE_URL.matcher(compose.healthcheckCommand(web));
            assertThat(m.find()).as("%s healthcheck has a URL", web).isTrue();
            URI probe = URI.create(m.group());
            assertThat(probe.getHost()).as("%s probes itself over IPv4 loopback", web).isEqualTo("127.0.0.1");
            // Only /health is open to loopback without trust; /ready (what compose waits on) needs the address.
            assertThat(probe.getPath()).isEqualTo(WebAppContract.READY);
            assertThat(trustedProxiesOf(compose, web).contains(InetAddress.getByName(probe.getHost())))
                    .as("%s trusts the source of its own healthcheck", web).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void theBalancersTheAgentAndTheOverviewReachTheWebServersOnlyOverAppFromTheirFixedAddresses(ComposeFile compose)
            throws Exception {
        // A connection leaves from the address on the network the two containers share: that must be app, where
        // the address is the fixed, trusted one.
        for (String service : TRUSTED_SERVICES) {
            for (String web : WEB) {
                List<String> shared = new ArrayList<>(compose.networks(service));
                shared.retainAll(compose.networks(web));
                assertThat(shared).as("networks %s shares with %s", service, web).containsExactly(APP);
            }
        }
        // The balancers' agent and the overview read the balancers' admin port from their app address: the balancer
        // must let them in (with the subnet compose gives it).
        for (String reader : List.of("agent-lb", "overview")) {
            InetAddress address = InetAddress.getByName(compose.ipv4AddressOn(reader, APP));
            assertThat(ConfigLoader.parse(StackFiles.read(StackFiles.BALANCER_YML), compose.environment("lb-1")::get)
                    .admin().admits(address))
                    .as("balancer.yml admin.allow admits %s at %s", reader, address.getHostAddress()).isTrue();
        }
    }

    private static TrustedProxies trustedProxiesOf(ComposeFile compose, String web) {
        TrustedProxies trusted = WebAppConfig.fromArgs(new String[0], compose.environment(web)).trustedProxies();
        assertThat(trusted.isEmpty()).as("%s sets FOOBAR_TRUSTED_PROXIES: otherwise it accepts anyone", web).isFalse();
        return trusted;
    }

    private static Ipv4Range subnet(ComposeFile compose) {
        return Ipv4Range.parse(compose.at("/networks/app/ipam/config/0/subnet").asText());
    }

    /** An IPv4 CIDR range, as unsigned 32-bit arithmetic on ints. */
    record Ipv4Range(int network, int prefix) {
        private static final Pattern LITERAL = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

        static Ipv4Range parse(String cidr) {
            int slash = cidr.indexOf('/');
            assertThat(slash).as("%s is ADDRESS/PREFIX", cidr).isPositive();
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            assertThat(prefix).as("prefix of %s", cidr).isBetween(0, 32);
            int address = address(cidr.substring(0, slash));
            assertThat(address & ~mask(prefix)).as("%s has host bits set", cidr).isZero();
            return new Ipv4Range(address, prefix);
        }

        static int address(String literal) {
            Matcher m = LITERAL.matcher(literal);
            assertThat(m.matches()).as("%s is an IPv4 literal", literal).isTrue();
            int out = 0;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(m.group(i));
                assertThat(octet).as("octet of %s", literal).isBetween(0, 255);
                out = out << 8 | octet;
            }
            return out;
        }

        static String format(int address) {
            return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
        }

        static InetAddress inet(int address) throws UnknownHostException {
            return InetAddress.getByAddress(new byte[] {
                    (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
        }

        private static int mask(int prefix) {
            return prefix == 0 ? 0 : -1 << (32 - prefix);
        }

        int first() {
            return network;
        }

        int last() {
            return network | ~mask(prefix);
        }

        boolean containsAddress(int address) {
            return (address & mask(prefix)) == network;
        }

        boolean contains(Ipv4Range other) {
            return other.prefix >= prefix && containsAddress(other.network);
        }

        boolean overlaps(Ipv4Range other) {
            return contains(other) || other.contains(this);
        }

        @Override
        public String toString() {
            return format(network) + "/" + prefix;
        }
    }
}
