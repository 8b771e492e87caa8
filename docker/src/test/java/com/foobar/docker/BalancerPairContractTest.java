package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.docker.TrustedProxiesContractTest.Ipv4Range;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The balancer pair (no single point of failure in front) as compose.yaml and the keepalived image define it: a virtual IP on a pinned front
 * network that no container can be given, each keepalived pointed at the other balancer by unicast, with only the
 * capabilities VRRP needs, and the keepalived.conf its entrypoint renders from that environment (the script run for
 * real, on this machine, with bash): BACKUP on both sides, no preemption unless asked, a track script that asks the
 * balancer's own admin API, timings that take the VIP from a dead balancer within two seconds, and a one-line error
 * naming the variable for every bad setting.
 */
class BalancerPairContractTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);
    private static final Path ENTRYPOINT = StackFiles.DOCKER.resolve("keepalived/foobar-keepalived");
    private static final Path KEEPALIVED_DOCKERFILE = StackFiles.DOCKER.resolve("keepalived/Dockerfile");
    private static final String FRONT = "front";
    private static final String FRONT_NET_VARIABLE = "FOOBAR_FRONT_NET";
    private static final Pattern FRONT_NET_REFERENCE = Pattern.compile("\\$\\{" + FRONT_NET_VARIABLE + "(:?-([^}]*))?}");
    private static final List<Ipv4Range> RFC_1918 = List.of(
            Ipv4Range.parse("10.0.0.0/8"), Ipv4Range.parse("172.16.0.0/12"), Ipv4Range.parse("192.168.0.0/16"));
    private static final List<Ipv4Range> DOCKER_DEFAULT_POOLS = List.of(
            Ipv4Range.parse("172.17.0.0/16"), Ipv4Range.parse("172.18.0.0/15"), Ipv4Range.parse("172.20.0.0/14"),
            Ipv4Range.parse("172.24.0.0/13"), Ipv4Range.parse("192.168.0.0/16"));

    static Stream<Named<ComposeFile>> composeFiles() {
        return Stream.of(Named.of("as shipped", COMPOSE),
                Named.of(FRONT_NET_VARIABLE + "=10.99.43",
                        ComposeFile.load(StackFiles.COMPOSE, Map.of(FRONT_NET_VARIABLE, "10.99.43"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void theVipIsAFixedAddressOfThePinnedFrontNetworkThatDockerNeverHandsOut(ComposeFile compose) {
        JsonNode front = compose.at("/networks/front");
        assertThat(front.path("internal").asBoolean(false)).as("front carries published ports: not internal").isFalse();
        assertThat(front.path("enable_ipv6").isBoolean() && !front.path("enable_ipv6").asBoolean()).as("IPv4 only").isTrue();
        assertThat(front.path("ipam").path("config").size()).as("one IPAM subnet").isEqualTo(1);
        JsonNode ipam = front.path("ipam").path("config").get(0);
        Ipv4Range subnet = Ipv4Range.parse(ipam.path("subnet").asText());
        Ipv4Range dynamic = Ipv4Range.parse(ipam.path("ip_range").asText());
        int gateway = Ipv4Range.address(ipam.path("gateway").asText());
        assertThat(RFC_1918).as("%s is private", subnet).anyMatch(r -> r.contains(subnet));
        for (Ipv4Range pool : DOCKER_DEFAULT_POOLS) {
            assertThat(subnet.overlaps(pool)).as("%s overlaps Docker's default pool %s", subnet, pool).isFalse();
        }
        Ipv4Range app = Ipv4Range.parse(compose.at("/networks/app/ipam/config/0/subnet").asText());
        assertThat(subnet.overlaps(app)).as("front %s and app %s", subnet, app).isFalse();
        assertThat(subnet.contains(dynamic)).isTrue();

        String vip = vip(compose);
        Set<Integer> fixed = new HashSet<>();
        for (String[] holder : List.of(new String[] {"VIP", vip},
                new String[] {"lb-1", compose.ipv4AddressOn("lb-1", FRONT)},
                new String[] {"lb-2", compose.ipv4AddressOn("lb-2", FRONT)},
                // The site's name server: clients are configured with its address.
                new String[] {"dns", compose.ipv4AddressOn("dns", FRONT)})) {
            assertThat(holder[1]).as("%s has a fixed address on front", holder[0]).isNotNull();
            int address = Ipv4Range.address(holder[1]);
            assertThat(subnet.containsAddress(address)).as("%s %s inside %s", holder[0], holder[1], subnet).isTrue();
            assertThat(address).as("%s %s", holder[0], holder[1]).isNotIn(subnet.first(), subnet.last(), gateway);
            assertThat(dynamic.containsAddress(address))
                    .as("%s %s is inside ip_range %s, where Docker hands out addresses", holder[0], holder[1], dynamic)
                    .isFalse();
            assertThat(fixed.add(address)).as("%s %s is taken twice", holder[0], holder[1]).isTrue();
        }
        // Nothing else holds a fixed address on front: k6 (and any `docker run --network`) gets one from ip_range.
        for (String service : compose.serviceNames()) {
            if (compose.namespaceOwner(service).equals(service) && !service.startsWith("lb-") && !service.equals("dns")) {
                assertThat(compose.ipv4AddressOn(service, FRONT)).as("%s on front", service).isNull();
            }
        }
    }

    @Test
    void theFrontNetworkIsMovedByOneVariableWithOneDefault() {
        Matcher m = FRONT_NET_REFERENCE.matcher(StackFiles.read(StackFiles.COMPOSE));
        Set<String> defaults = new TreeSet<>();
        int references = 0;
        while (m.find()) {
            references++;
            defaults.add(String.valueOf(m.group(2)));
        }
        // subnet, gateway, ip_range, two holders, the VIP and the peer of each keepalived, the dns service's address
        // and answer, k6's name server, the balancers' admin.allow.
        assertThat(references).isGreaterThanOrEqualTo(10);
        assertThat(defaults).as("every ${%s} has the same default", FRONT_NET_VARIABLE).hasSize(1);
        ComposeFile moved = ComposeFile.load(StackFiles.COMPOSE, Map.of(FRONT_NET_VARIABLE, "10.99.43"));
        assertThat(moved.at("/networks/front/ipam/config/0/subnet").asText()).isEqualTo("10.99.43.0/24");
        assertThat(vip(moved)).isEqualTo("10.99.43.10");
        // k6 finds the VIP through the site's name server, on the moved network too.
        assertThat(moved.service("k6").path("dns").get(0).asText()).isEqualTo("10.99.43.53");
        assertThat(moved.environment("lb-1").get("FOOBAR_FRONT_NET")).isEqualTo("10.99.43");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composeFiles")
    void eachKeepalivedSharesItsBalancersNamespaceAndNamesTheOtherBalancerAsItsPeer(ComposeFile compose) {
        Set<Integer> priorities = new HashSet<>();
        for (int n = 1; n <= 2; n++) {
            int other = 3 - n;
            String keepalived = "keepalived-" + n;
            Map<String, String> env = compose.environment(keepalived);
            assertThat(compose.namespaceOwner(keepalived)).isEqualTo(compose.namespaceOwner("lb-" + n));
            assertThat(env.get("KEEPALIVED_NAME")).isEqualTo("lb-" + n);
            assertThat(env.get("KEEPALIVED_PEERS")).as("%s's unicast peer", keepalived)
                    .isEqualTo(compose.ipv4AddressOn("lb-" + other, FRONT));
            assertThat(env.get("KEEPALIVED_VIP")).isEqualTo(vip(compose));
            // The interface and source address are found at start from the VIP's subnet, not hard-wired: Docker
            // names interfaces in the order networks attach.
            assertThat(env).doesNotContainKeys("KEEPALIVED_INTERFACE", "KEEPALIVED_SOURCE");
            assertThat(priorities.add(Integer.parseInt(env.get("KEEPALIVED_PRIORITY"))))
                    .as("priorities differ, so that a simultaneous start has one winner").isTrue();
        }
        assertThat(Integer.parseInt(compose.environment("keepalived-1").get("KEEPALIVED_PRIORITY")))
                .as("lb-1 wins a simultaneous start").isGreaterThan(
                        Integer.parseInt(compose.environment("keepalived-2").get("KEEPALIVED_PRIORITY")));
    }

    @Test
    void preemptionIsOffByDefaultOnBothAndOneVariableTurnsItOn() {
        ComposeFile on = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_VIP_PREEMPT", "true"));
        for (String keepalived : List.of("keepalived-1", "keepalived-2")) {
            assertThat(COMPOSE.environment(keepalived).get("KEEPALIVED_PREEMPT")).as(keepalived).isEqualTo("false");
            assertThat(on.environment(keepalived).get("KEEPALIVED_PREEMPT")).as(keepalived).isEqualTo("true");
        }
        assertThat(render(COMPOSE, "keepalived-1").output).contains("    state BACKUP\n", "    nopreempt\n");
        Rendered preempting = render(on, "keepalived-1");
        assertThat(preempting.output).contains("    state BACKUP\n").doesNotContain("nopreempt");
    }

    @Test
    void keepalivedRunsWithOnlyTheCapabilitiesVrrpNeeds() {
        for (String keepalived : List.of("keepalived-1", "keepalived-2")) {
            JsonNode s = COMPOSE.service(keepalived);
            assertThat(s.path("image").asText()).isEqualTo("foobar/keepalived:latest");
            assertThat(s.path("cap_drop").toString()).isEqualTo("[\"ALL\"]");
            Set<String> added = new TreeSet<>();
            s.path("cap_add").forEach(c -> added.add(c.asText()));
            assertThat(added).as("%s cap_add", keepalived).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW", "SETUID", "SETGID");
            assertThat(s.path("privileged").asBoolean(false)).isFalse();
            assertThat(s.path("read_only").asBoolean()).isTrue();
            assertThat(s.path("tmpfs").toString()).contains("/run");
            assertThat(s.path("security_opt").toString()).contains("no-new-privileges:true");
            assertThat(s.path("restart").asText()).isEqualTo("unless-stopped");
            assertThat(COMPOSE.healthcheckCommand(keepalived)).isEqualTo("foobar-keepalived status");
        }
        // The entrypoint checks the same four before it starts keepalived (without SETUID/SETGID keepalived cannot
        // run its track script and counts it as passed).
        assertThat(StackFiles.read(ENTRYPOINT)).contains("12:NET_ADMIN 13:NET_RAW 7:SETUID 6:SETGID");
    }

    @Test
    void theKeepalivedImageIsDebiansPackageOnABaseGivenByABuildArgument() {
        String dockerfile = StackFiles.read(KEEPALIVED_DOCKERFILE);
        assertThat(dockerfile).contains("ARG DEBIAN_IMAGE=debian:bookworm-slim\nFROM ${DEBIAN_IMAGE}\n")
                .containsPattern("apt-get install -y --no-install-recommends keepalived curl iproute2")
                .contains("useradd --system", "keepalived_script")
                .contains("COPY foobar-keepalived /usr/local/bin/foobar-keepalived")
                .contains("ENTRYPOINT [\"foobar-keepalived\"]")
                .contains("HEALTHCHECK", "CMD [\"foobar-keepalived\", \"status\"]")
                .doesNotContainPattern("(?m)^#\\s*syntax\\s*=");
    }

    @Test
    void rendersAVrrpInstanceThatTracksTheBalancersOwnAdminApiForEachNode() throws Exception {
        var balancer = ConfigLoader.load(StackFiles.BALANCER_YML);
        String checkUrl = "http://127.0.0.1:" + balancer.admin().bind().port() + "/api/status";
        // The same URL the balancer's own healthcheck asks.
        assertThat(COMPOSE.healthcheckCommand("lb-1")).contains(checkUrl);
        for (int n = 1; n <= 2; n++) {
            String keepalived = "keepalived-" + n;
            Rendered r = render(COMPOSE, keepalived);
            assertThat(r.exitCode).as(r.errors).isZero();
            Map<String, String> env = COMPOSE.environment(keepalived);
            String source = COMPOSE.ipv4AddressOn("lb-" + n, FRONT);
            assertThat(r.output).contains(
                    "    router_id lb-" + n + "\n",
                    "    vrrp_version 3\n",
                    "    script_user keepalived_script\n",
                    "    enable_script_security\n",
                    "    script \"/usr/bin/curl -fsS -o /dev/null --max-time 0.8 " + checkUrl + "\"\n",
                    "    interface eth1\n",
                    "    priority " + env.get("KEEPALIVED_PRIORITY") + "\n",
                    "    unicast_src_ip " + source + "\n",
                    "    unicast_peer {\n        " + env.get("KEEPALIVED_PEERS") + "\n    }\n",
                    "    virtual_ipaddress {\n        " + vip(COMPOSE) + "/32 dev eth1\n    }\n",
                    "    track_script {\n        balancer\n    }\n",
                    "    notify \"/usr/local/bin/foobar-keepalived notify\" root\n");
            assertThat(r.output).containsOnlyOnce("vrrp_instance ").containsOnlyOnce("vrrp_script ");
        }
    }

    @Test
    void theDefaultTimingsTakeTheVipFromADeadBalancerWithinTwoSeconds() {
        String conf = render(COMPOSE, "keepalived-2").output;
        Duration interval = Duration.ofMillis(Math.round(1000 * number(conf, "interval")));
        long fall = Math.round(number(conf, "fall"));
        Duration advert = Duration.ofMillis(Math.round(1000 * number(conf, "advert_int")));
        int lowestPriority = Math.min(Integer.parseInt(COMPOSE.environment("keepalived-1").get("KEEPALIVED_PRIORITY")),
                Integer.parseInt(COMPOSE.environment("keepalived-2").get("KEEPALIVED_PRIORITY")));
        // RFC 9568 (VRRPv3) 6.1: Skew_Time = ((256 - priority) * Advertisement_Interval) / 256.
        Duration skew = advert.multipliedBy(256 - lowestPriority).dividedBy(256);
        // A dead balancer (connection refused): FAULT at the fall-th failed check, at most interval * fall after
        // death; the FAULT advert (priority 0) makes the peer master after its skew.
        assertThat(interval.multipliedBy(fall).plus(skew)).as("balancer dead -> VIP moved")
                .isLessThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(interval.multipliedBy(fall)).as("dead balancer gives up the VIP").isLessThanOrEqualTo(Duration.ofSeconds(2));
        // A whole node gone silent (its namespace lost): Master_Down_Interval = 3 * advert + skew.
        assertThat(advert.multipliedBy(3).plus(skew)).as("node silent -> VIP moved").isLessThanOrEqualTo(Duration.ofSeconds(2));
        // And a check never outlives its interval.
        double timeout = Double.parseDouble(conf.replaceAll("(?s).*--max-time ([0-9.]+).*", "$1"));
        assertThat(timeout).isLessThan(interval.toMillis() / 1000.0);
    }

    @Test
    void everyBadSettingStopsTheStartWithOneLineNamingTheVariable() {
        Map<String, String> good = new HashMap<>(nodeEnvironment(COMPOSE, "keepalived-1"));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("KEEPALIVED_VIP=", "KEEPALIVED_VIP: required");
        cases.put("KEEPALIVED_PRIORITY=255", "KEEPALIVED_PRIORITY: \"255\" is not a whole number from 1 to 254");
        cases.put("KEEPALIVED_PEERS=10.213.6.11", "KEEPALIVED_PEERS: 10.213.6.11 is this node's own address");
        cases.put("KEEPALIVED_PEERS=10.213.5.12", "KEEPALIVED_PEERS: 10.213.5.12 is not on eth1's link");
        cases.put("KEEPALIVED_PEERS=10.213.6.12,10.213.6.12", "KEEPALIVED_PEERS: 10.213.6.12 is given twice");
        cases.put("KEEPALIVED_VIP=10.213.7.10", "KEEPALIVED_VIP: 10.213.7.10 is not in 10.213.6.11/24");
        cases.put("KEEPALIVED_VIP=10.213.6.10/24", "KEEPALIVED_VIP: \"10.213.6.10/24\": give the address alone");
        cases.put("KEEPALIVED_VIP=10.213.6.256", "KEEPALIVED_VIP: \"10.213.6.256\" is not an IPv4 address");
        cases.put("KEEPALIVED_ADVERT_INT=50", "KEEPALIVED_ADVERT_INT: 50 s is out of range");
        cases.put("KEEPALIVED_PREEMPT=sometimes", "KEEPALIVED_PREEMPT: \"sometimes\" is not true or false");
        cases.put("KEEPALIVED_PREEMPT_DELAY=10", "KEEPALIVED_PREEMPT_DELAY: applies only with KEEPALIVED_PREEMPT=true");
        cases.put("KEEPALIVED_CHECK_TIMEOUT=1", "KEEPALIVED_CHECK_TIMEOUT: 1 s must be below KEEPALIVED_CHECK_INTERVAL");
        cases.put("KEEPALIVED_CHECK_INTERVAL=0.5", "KEEPALIVED_CHECK_INTERVAL: \"0.5\" is not a whole number from 1 to 3600");
        cases.put("KEEPALIVED_CHECK_URL=ftp://x", "KEEPALIVED_CHECK_URL: \"ftp://x\" is not an http(s) URL");
        cases.put("KEEPALIVED_VRID=0", "KEEPALIVED_VRID: \"0\" is not a whole number from 1 to 255");
        cases.put("KEEPALIVED_PRIOTIRY=100", "KEEPALIVED_PRIOTIRY: unknown setting (known: KEEPALIVED_VIP");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Map<String, String> env = new HashMap<>(good);
            String[] kv = c.getKey().split("=", 2);
            env.put(kv[0], kv[1]);
            Rendered r = run(env, "config");
            assertThat(r.exitCode).as("%s: %s", c.getKey(), r.errors).isEqualTo(2);
            assertThat(r.output).as("%s renders nothing", c.getKey()).isEmpty();
            assertThat(r.errors.lines().toList()).as("%s", c.getKey()).singleElement().asString()
                    .startsWith("foobar-keepalived: " + c.getValue());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String vip(ComposeFile compose) {
        String vip = compose.environment("keepalived-1").get("KEEPALIVED_VIP");
        assertThat(compose.environment("keepalived-2").get("KEEPALIVED_VIP")).as("one VIP for the pair").isEqualTo(vip);
        return vip;
    }

    private static double number(String conf, String key) {
        Matcher m = Pattern.compile("(?m)^\\s+" + key + " ([0-9.]+)$").matcher(conf);
        assertThat(m.find()).as("%s in\n%s", key, conf).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * A keepalived service's compose environment, plus what the entrypoint finds by itself in the container (the
     * interface holding the VIP's subnet and this node's address on it), given here so that it renders anywhere.
     */
    private static Map<String, String> nodeEnvironment(ComposeFile compose, String keepalived) {
        Map<String, String> env = new HashMap<>(compose.environment(keepalived));
        String node = "lb-" + keepalived.substring(keepalived.length() - 1);
        String prefix = compose.at("/networks/front/ipam/config/0/subnet").asText().replaceAll(".*/", "");
        env.put("KEEPALIVED_INTERFACE", "eth1");
        env.put("KEEPALIVED_SOURCE", compose.ipv4AddressOn(node, FRONT) + "/" + prefix);
        return env;
    }

    private static Rendered render(ComposeFile compose, String keepalived) {
        return run(nodeEnvironment(compose, keepalived), "config");
    }

    record Rendered(int exitCode, String output, String errors) {
    }

    /** The entrypoint, run with bash on this machine, with exactly {@code env} (and PATH) as its environment. */
    private static Rendered run(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", ENTRYPOINT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            var out = p.getInputStream();
            var err = p.getErrorStream();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("foobar-keepalived " + String.join(" ", args) + " did not end in 20 s");
            }
            return new Rendered(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8),
                    new String(err.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run bash " + ENTRYPOINT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
