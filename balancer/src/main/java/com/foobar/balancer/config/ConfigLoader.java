package com.foobar.balancer.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.foobar.balancer.lb.HashKeys;
import com.foobar.balancer.lb.LoadBalancingPolicies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads the YAML configuration. Jackson only turns the text into a tree; the walk over that tree is ours, so that every
 * error names its exact field path ({@code pools.web.servers[1].address: "web-2:80x" is not host:port}) and unknown
 * keys are errors rather than silently ignored typos.
 */
public final class ConfigLoader {
    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {
    }

    public static BalancerConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "no such file");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage());
        }
        return parse(text);
    }

    public static BalancerConfig parse(String yaml) throws ConfigException {
        return parse(yaml, System::getenv);
    }

    /** {@code environment} gives the values of the {@code ${NAME}} in string values ({@link EnvironmentExpansion}). */
    public static BalancerConfig parse(String yaml, java.util.function.Function<String, String> environment)
            throws ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "yaml" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(where, "invalid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException("", "the configuration is empty");
        }
        return new ConfigLoader.Walker().config(new Node("", new EnvironmentExpansion(environment).expand(root)));
    }

    /** A JSON node with its field path; tracks which keys of an object were read so the rest can be rejected. */
    private static final class Node {
        final String path;
        final JsonNode json;
        private final Set<String> read = new HashSet<>();

        Node(String path, JsonNode json) {
            this.path = path;
            this.json = json;
        }

        String child(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            read.add(key);
            JsonNode v = json.get(key);
            return v != null && !v.isNull();
        }

        Node get(String key) {
            read.add(key);
            JsonNode v = json.get(key);
            return new Node(child(key), v == null || v.isNull() ? MissingNode.getInstance() : v);
        }

        Node require(String key) throws ConfigException {
            Node n = get(key);
            if (n.json.isMissingNode()) {
                // A misspelt required key is the likelier mistake than a forgotten one: name it as what it is.
                String typo = unreadKeyLike(key);
                if (typo != null) {
                    throw new ConfigException(child(typo), "is not a known key (did you mean " + key + "?)");
                }
                throw new ConfigException(n.path, "is required");
            }
            return n;
        }

        /** A key of this mapping nobody read yet that is one or two edits away from {@code key}, or null. */
        private String unreadKeyLike(String key) {
            if (!json.isObject()) {
                return null;
            }
            Iterator<String> names = json.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (!read.contains(k) && editDistance(k, key) <= 2) {
                    return k;
                }
            }
            return null;
        }

        Node object() throws ConfigException {
            if (!json.isObject()) {
                throw new ConfigException(path, "must be a mapping, not " + describe(json));
            }
            return this;
        }

        List<Node> list() throws ConfigException {
            if (!json.isArray()) {
                throw new ConfigException(path, "must be a list, not " + describe(json));
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < json.size(); i++) {
                out.add(new Node(path + "[" + i + "]", json.get(i)));
            }
            return out;
        }

        /**
         * Rejects keys nobody read: a typo must not silently fall back to a default. Called once a mapping's keys have
         * all been read, so the keys a section knows are the ones its code reads, named once.
         */
        void noOtherKeys() throws ConfigException {
            Iterator<String> names = json.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (!read.contains(k)) {
                    List<String> known = new ArrayList<>(read);
                    known.sort(null);
                    throw new ConfigException(child(k), "is not a known key (known here: " + String.join(", ", known) + ")");
                }
            }
        }

        String text() throws ConfigException {
            if (json.isTextual()) {
                return json.textValue();
            }
            if (json.isNumber() || json.isBoolean()) {
                return json.asText();
            }
            throw new ConfigException(path, "must be a string, not " + describe(json));
        }

        String nonEmptyText() throws ConfigException {
            String t = text().trim();
            if (t.isEmpty()) {
                throw new ConfigException(path, "must not be empty");
            }
            return t;
        }

        int integer(int min, int max) throws ConfigException {
            if (!json.isIntegralNumber() || !json.canConvertToInt()) {
                throw new ConfigException(path, quote(json) + " is not a whole number");
            }
            int v = json.intValue();
            if (v < min || v > max) {
                throw new ConfigException(path, v + " is out of range " + min + "-" + max);
            }
            return v;
        }

        boolean bool() throws ConfigException {
            if (!json.isBoolean()) {
                throw new ConfigException(path, quote(json) + " is not true or false");
            }
            return json.booleanValue();
        }

        Duration duration(Duration min) throws ConfigException {
            Duration d;
            if (json.isIntegralNumber() && json.longValue() == 0) {
                d = Duration.ZERO;
            } else if (json.isTextual()) {
                d = Durations.parse(json.textValue());
                if (d == null) {
                    throw new ConfigException(path, quote(json) + " is not a duration like 500ms, 1s, 2m or 1h30m");
                }
            } else {
                throw new ConfigException(path, quote(json) + " is not a duration like 500ms, 1s, 2m or 1h30m");
            }
            if (d.compareTo(min) < 0) {
                throw new ConfigException(path, quote(json) + " is shorter than the minimum " + Durations.format(min));
            }
            return d;
        }

        /** A byte size: a whole number of bytes or a number with k, m or g (powers of 1024), e.g. {@code 10m}. */
        long size(long min, long max) throws ConfigException {
            long v;
            if (json.isIntegralNumber() && json.canConvertToLong()) {
                v = json.longValue();
            } else if (json.isTextual()) {
                String t = json.textValue().trim().toLowerCase(Locale.ROOT);
                if (t.endsWith("b")) {
                    t = t.substring(0, t.length() - 1);
                }
                long unit = 1;
                if (!t.isEmpty()) {
                    char u = t.charAt(t.length() - 1);
                    unit = u == 'k' ? 1L << 10 : u == 'm' ? 1L << 20 : u == 'g' ? 1L << 30 : 1;
                    if (unit != 1) {
                        t = t.substring(0, t.length() - 1);
                    }
                }
                if (t.isEmpty() || t.length() > 12 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new ConfigException(path, quote(json) + " is not a size like 1048576, 512k, 10m or 1g");
                }
                v = Long.parseLong(t) * unit;
            } else {
                throw new ConfigException(path, quote(json) + " is not a size like 1048576, 512k, 10m or 1g");
            }
            if (v < min || v > max) {
                throw new ConfigException(path, quote(json) + " is out of range " + min + "-" + max + " bytes");
            }
            return v;
        }

        /** A list of strings, or a single string read as a list of one. */
        List<String> texts() throws ConfigException {
            List<Node> items = json.isTextual() ? List.of(this) : list();
            List<String> out = new ArrayList<>();
            for (Node n : items) {
                out.add(n.nonEmptyText());
            }
            return out;
        }

        List<Cidr> cidrs() throws ConfigException {
            List<Node> items = json.isTextual() ? List.of(this) : list();
            List<Cidr> out = new ArrayList<>();
            for (Node n : items) {
                try {
                    out.add(Cidr.parse(n.text()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(n.path, e.getMessage());
                }
            }
            return out;
        }

        /** A {@code host:port} to listen on (port 0: any free one). */
        HostPort hostPort() throws ConfigException {
            String t = text();
            try {
                return HostPort.parse(t.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path, e.getMessage());
            }
        }

        /** A {@code host:port} to connect to (port 1-65535). */
        HostPort connectable() throws ConfigException {
            String t = text();
            try {
                return HostPort.parseConnectable(t.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(path, e.getMessage());
            }
        }
    }

    /** Levenshtein's distance (insertions, deletions, substitutions), small strings only: config keys. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String describe(JsonNode n) {
        if (n.isMissingNode()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return quote(n);
    }

    private static String quote(JsonNode n) {
        return n.isTextual() ? '"' + n.textValue() + '"' : n.toString();
    }

    /** One walk over one document. */
    private static final class Walker {
        private static final int MAX_RETRIES = 10;
        private static final Duration MAX_DNS_TIMEOUT = Duration.ofSeconds(30);

        BalancerConfig config(Node root) throws ConfigException {
            root.object();
            // First: each pool's resolve_interval is checked against the DNS floor.
            DnsConfig dns = root.has("dns") ? dns(root.get("dns").object()) : DnsConfig.DEFAULT;
            Map<String, PoolConfig> pools = pools(root.require("pools"), dns);
            List<Cidr> trusted = root.has("trusted_proxies") ? root.get("trusted_proxies").cidrs() : List.of();
            List<ListenerConfig> listeners = listeners(root.require("listeners"), pools, trusted);
            Path dataDir = BalancerConfig.DEFAULT_DATA_DIR;
            if (root.has("data_dir")) {
                Node d = root.get("data_dir");
                try {
                    dataDir = Path.of(d.nonEmptyText());
                } catch (java.nio.file.InvalidPathException e) {
                    throw new ConfigException(d.path, quote(d.json) + " is not a directory path");
                }
            }
            AdminConfig admin = root.has("admin") ? admin(root.get("admin").object()) : AdminConfig.DEFAULT;
            ClientTimeouts timeouts = root.has("client_timeouts")
                    ? clientTimeouts(root.get("client_timeouts").object()) : ClientTimeouts.DEFAULT;
            AccessLogConfig accessLog = root.has("access_log") ? accessLog(root.get("access_log")) : AccessLogConfig.DEFAULT;
            int workers = root.has("workers") ? workers(root.get("workers")) : BalancerConfig.AUTO_WORKERS;
            root.noOtherKeys();
            checkBindsDistinct(listeners, admin);
            checkRedirects(listeners);
            return new BalancerConfig(listeners, pools, admin, timeouts, accessLog, dataDir, dns, workers);
        }

        /** A number of event loops, or {@code auto} for one per core. */
        private int workers(Node n) throws ConfigException {
            if (n.json.isTextual() && n.json.textValue().trim().equals("auto")) {
                return BalancerConfig.AUTO_WORKERS;
            }
            if (!n.json.isIntegralNumber()) {
                throw new ConfigException(n.path, quote(n.json) + " is not a number of workers or auto");
            }
            return n.integer(1, BalancerConfig.MAX_WORKERS);
        }

        private DnsConfig dns(Node n) throws ConfigException {
            List<HostPort> nameservers = new ArrayList<>();
            if (n.has("nameservers")) {
                Node list = n.get("nameservers");
                for (Node item : list.json.isTextual() ? List.of(list) : list.list()) {
                    nameservers.add(nameserver(item));
                }
                if (nameservers.isEmpty()) {
                    throw new ConfigException(list.path, "must list at least one name server (leave it out to use"
                            + " the system's, from /etc/resolv.conf)");
                }
            }
            Duration minTtl = n.has("min_ttl") ? n.get("min_ttl").duration(DnsConfig.MIN_MIN_TTL) : DnsConfig.DEFAULT_MIN_TTL;
            Duration timeout = DnsConfig.DEFAULT_TIMEOUT;
            if (n.has("timeout")) {
                Node t = n.get("timeout");
                timeout = t.duration(Duration.ofMillis(10));
                if (timeout.compareTo(MAX_DNS_TIMEOUT) > 0) {
                    throw new ConfigException(t.path, quote(t.json) + " is longer than the maximum "
                            + Durations.format(MAX_DNS_TIMEOUT));
                }
            }
            n.noOtherKeys();
            return new DnsConfig(nameservers, minTtl, timeout);
        }

        /** {@code 10.0.0.2}, {@code 10.0.0.2:5353}, {@code ::1} or {@code [::1]:5353}; port 53 when none is given. */
        private HostPort nameserver(Node n) throws ConfigException {
            String t = n.nonEmptyText();
            HostPort hp = new HostPort(t, DnsConfig.DEFAULT_PORT);
            if (!hp.isIpLiteral()) {
                try {
                    hp = HostPort.parse(t.indexOf(':') < 0 ? t + ":" + DnsConfig.DEFAULT_PORT : t);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(n.path, '"' + t + "\" is not a name server address like 10.0.0.2 or"
                            + " 10.0.0.2:53");
                }
                if (!hp.isIpLiteral()) {
                    throw new ConfigException(n.path, '"' + t + "\" is not an IP address (a name server cannot be"
                            + " found by name)");
                }
                if (hp.port() == 0) {
                    throw new ConfigException(n.path, '"' + t + "\": \"0\" is not a port number ("
                            + HostPort.CONNECT_PORTS + ")");
                }
            }
            return hp;
        }

        private Map<String, PoolConfig> pools(Node node, DnsConfig dns) throws ConfigException {
            node.object();
            if (node.json.isEmpty()) {
                throw new ConfigException(node.path, "must define at least one pool");
            }
            Map<String, PoolConfig> pools = new LinkedHashMap<>();
            Iterator<String> names = node.json.fieldNames();
            List<String> ordered = new ArrayList<>();
            names.forEachRemaining(ordered::add);
            for (String name : ordered) {
                Node pool = node.get(name);
                checkName(pool.path, name, "pool name");
                pools.put(name, pool(name, pool.object(), dns));
            }
            return pools;
        }

        private PoolConfig pool(String name, Node n, DnsConfig dns) throws ConfigException {
            String algorithm = PoolConfig.DEFAULT_ALGORITHM;
            if (n.has("algorithm")) {
                Node a = n.get("algorithm");
                algorithm = a.nonEmptyText().toLowerCase(Locale.ROOT);
                if (!LoadBalancingPolicies.names().contains(algorithm)) {
                    throw new ConfigException(a.path, '"' + a.text() + "\" is not a known algorithm (known: "
                            + String.join(", ", LoadBalancingPolicies.names()) + ")");
                }
            }
            String hashKey = null;
            if (n.has("hash_key")) {
                Node h = n.get("hash_key");
                hashKey = h.nonEmptyText();
                String problem = HashKeys.problem(hashKey);
                if (problem != null) {
                    throw new ConfigException(h.path, '"' + hashKey + "\" " + problem);
                }
            }
            HostPort discover = null;
            if (n.has("discover")) {
                Node d = n.get("discover");
                discover = d.connectable();
                if (discover.isIpLiteral()) {
                    throw new ConfigException(d.path, '"' + discover.toString()
                            + "\" is an IP address: discover takes a name whose address records are the servers");
                }
            }
            List<ServerConfig> servers = discover != null && !n.has("servers") ? List.of()
                    : servers(n.require("servers"));
            HealthCheckConfig health = n.has("health_check") ? healthCheck(n.get("health_check")) : null;
            OutlierDetectionConfig outlier = n.has("outlier_detection")
                    ? outlierDetection(n.get("outlier_detection").object()) : OutlierDetectionConfig.DEFAULT;
            Duration slowStart = n.has("slow_start") ? n.get("slow_start").duration(Duration.ZERO) : PoolConfig.DEFAULT_SLOW_START;
            int retries = n.has("retries") ? n.get("retries").integer(0, MAX_RETRIES) : PoolConfig.DEFAULT_RETRIES;
            Duration connect = n.has("connect_timeout")
                    ? n.get("connect_timeout").duration(Duration.ofMillis(1)) : PoolConfig.DEFAULT_CONNECT_TIMEOUT;
            Duration response = n.has("response_timeout")
                    ? n.get("response_timeout").duration(Duration.ofMillis(1)) : PoolConfig.DEFAULT_RESPONSE_TIMEOUT;
            KeepAliveConfig keepAlive = n.has("keepalive") ? keepAlive(n.get("keepalive").object()) : KeepAliveConfig.DEFAULT;
            ProxyHeadersConfig headers = n.has("proxy_headers")
                    ? proxyHeaders(n.get("proxy_headers").object()) : ProxyHeadersConfig.DEFAULT;
            Duration resolveInterval = PoolConfig.DEFAULT_RESOLVE_INTERVAL;
            if (n.has("resolve_interval")) {
                Node r = n.get("resolve_interval");
                resolveInterval = r.duration(Duration.ZERO);
                // The floor is the soonest a name is asked again; an interval under it could never be kept.
                if (!resolveInterval.isZero() && resolveInterval.compareTo(dns.minTtl()) < 0) {
                    throw new ConfigException(r.path, quote(r.json) + " is shorter than dns.min_ttl ("
                            + Durations.format(dns.minTtl()) + "); lower dns.min_ttl or use 0s to resolve once");
                }
            } else if (resolveInterval.compareTo(dns.minTtl()) < 0) {
                resolveInterval = dns.minTtl(); // a floor raised above the default interval raises the interval too
            }
            n.noOtherKeys();
            return new PoolConfig(name, algorithm, hashKey, servers, health, outlier, slowStart, retries, connect,
                    response, keepAlive, headers, resolveInterval, discover);
        }

        private List<ServerConfig> servers(Node node) throws ConfigException {
            List<Node> items = node.list();
            if (items.isEmpty()) {
                throw new ConfigException(node.path, "must list at least one server");
            }
            List<ServerConfig> servers = new ArrayList<>();
            Map<String, String> namePaths = new HashMap<>();
            Map<HostPort, String> addressNames = new HashMap<>();
            for (Node s : items) {
                s.object();
                String name = uniqueName(s, namePaths, "server name");
                Node addressNode = s.require("address");
                HostPort address = addressNode.connectable();
                String sameAddress = addressNames.putIfAbsent(address, name);
                if (sameAddress != null) {
                    throw new ConfigException(addressNode.path, '"' + address.toString()
                            + "\" is already the address of server \"" + sameAddress + '"');
                }
                int weight = ServerConfig.DEFAULT_WEIGHT;
                if (s.has("weight")) {
                    Node w = s.get("weight");
                    if (!w.json.isIntegralNumber()) {
                        throw new ConfigException(w.path, quote(w.json) + " is not a whole number");
                    }
                    if (w.json.longValue() < 1) {
                        throw new ConfigException(w.path, w.json.asText() + " is less than 1");
                    }
                    weight = w.integer(1, ServerConfig.MAX_WEIGHT);
                }
                boolean backup = s.has("backup") && s.get("backup").bool();
                s.noOtherKeys();
                servers.add(new ServerConfig(name, address, weight, backup));
            }
            return servers;
        }

        private HealthCheckConfig healthCheck(Node n) throws ConfigException {
            n.object();
            String path = HealthCheckConfig.DEFAULT_PATH;
            if (n.has("path")) {
                Node p = n.get("path");
                path = p.nonEmptyText();
                if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                    throw new ConfigException(p.path, '"' + path + "\" is not a URL path starting with /");
                }
            }
            Duration interval = n.has("interval")
                    ? n.get("interval").duration(Duration.ofMillis(10)) : HealthCheckConfig.DEFAULT_INTERVAL;
            Duration timeout = n.has("timeout")
                    ? n.get("timeout").duration(Duration.ofMillis(1)) : HealthCheckConfig.DEFAULT_TIMEOUT;
            int rise = n.has("rise") ? n.get("rise").integer(1, 100) : HealthCheckConfig.DEFAULT_RISE;
            int fall = n.has("fall") ? n.get("fall").integer(1, 100) : HealthCheckConfig.DEFAULT_FALL;
            StatusRanges expect = StatusRanges.DEFAULT;
            if (n.has("expect_status")) {
                Node e = n.get("expect_status");
                try {
                    expect = StatusRanges.parse(e.text());
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException(e.path, ex.getMessage());
                }
            }
            String host = null;
            if (n.has("host")) {
                Node h = n.get("host");
                host = h.nonEmptyText();
                if (host.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                    throw new ConfigException(h.path, '"' + host + "\" is not a valid Host header value");
                }
            }
            n.noOtherKeys();
            return new HealthCheckConfig(path, interval, timeout, rise, fall, expect, host);
        }

        private OutlierDetectionConfig outlierDetection(Node n) throws ConfigException {
            int failures = n.has("consecutive_failures")
                    ? n.get("consecutive_failures").integer(0, 1000) : OutlierDetectionConfig.DEFAULT_CONSECUTIVE_FAILURES;
            int fiveXx = n.has("consecutive_5xx")
                    ? n.get("consecutive_5xx").integer(0, 1000) : OutlierDetectionConfig.DEFAULT_CONSECUTIVE_5XX;
            Duration base = n.has("base_ejection_time")
                    ? n.get("base_ejection_time").duration(Duration.ofMillis(1)) : OutlierDetectionConfig.DEFAULT_BASE_EJECTION_TIME;
            int percent = n.has("max_ejection_percent")
                    ? n.get("max_ejection_percent").integer(0, 100) : OutlierDetectionConfig.DEFAULT_MAX_EJECTION_PERCENT;
            Duration max = OutlierDetectionConfig.DEFAULT_MAX_EJECTION_TIME;
            if (n.has("max_ejection_time")) {
                Node m = n.get("max_ejection_time");
                max = m.duration(Duration.ofMillis(1));
                if (max.compareTo(base) < 0) {
                    throw new ConfigException(m.path, "must not be shorter than base_ejection_time (" + Durations.format(base) + ")");
                }
            } else if (max.compareTo(base) < 0) {
                max = base;
            }
            n.noOtherKeys();
            return new OutlierDetectionConfig(failures, fiveXx, base, percent, max);
        }

        private ProxyHeadersConfig proxyHeaders(Node n) throws ConfigException {
            List<String> forwarded = ProxyHeadersConfig.FORWARDED;
            if (n.has("forwarded")) {
                Node f = n.get("forwarded");
                forwarded = new ArrayList<>();
                // An empty list is allowed: the servers get no X-Forwarded-* at all.
                for (Node item : f.json.isTextual() ? List.of(f) : f.list()) {
                    String v = item.nonEmptyText().toLowerCase(Locale.ROOT);
                    if (!ProxyHeadersConfig.FORWARDED.contains(v)) {
                        throw new ConfigException(item.path, '"' + item.text() + "\" is not one of "
                                + String.join(", ", ProxyHeadersConfig.FORWARDED));
                    }
                    forwarded.add(v);
                }
            }
            boolean via = !n.has("via") || n.get("via").bool();
            boolean requestId = !n.has("request_id") || n.get("request_id").bool();
            n.noOtherKeys();
            return new ProxyHeadersConfig(forwarded.contains("for"), forwarded.contains("proto"),
                    forwarded.contains("host"), forwarded.contains("port"), via, requestId);
        }

        private KeepAliveConfig keepAlive(Node n) throws ConfigException {
            int maxIdle = n.has("max_idle") ? n.get("max_idle").integer(0, 100_000) : KeepAliveConfig.DEFAULT_MAX_IDLE_PER_SERVER;
            Duration idle = n.has("idle_timeout")
                    ? n.get("idle_timeout").duration(Duration.ofMillis(1)) : KeepAliveConfig.DEFAULT_IDLE_TIMEOUT;
            n.noOtherKeys();
            return new KeepAliveConfig(maxIdle, idle);
        }

        private List<ListenerConfig> listeners(Node node, Map<String, PoolConfig> pools, List<Cidr> trusted)
                throws ConfigException {
            List<Node> items = node.list();
            if (items.isEmpty()) {
                throw new ConfigException(node.path, "must define at least one listener");
            }
            List<ListenerConfig> out = new ArrayList<>();
            Map<String, String> names = new HashMap<>();
            for (Node l : items) {
                l.object();
                String name = uniqueName(l, names, "listener name");
                HostPort bind = l.require("bind").hostPort();
                List<RouteConfig> routes = new ArrayList<>();
                if (l.has("routes")) {
                    for (Node r : l.get("routes").list()) {
                        routes.add(route(r.object(), pools));
                    }
                }
                String defaultPool = null;
                if (l.has("default_pool")) {
                    Node d = l.get("default_pool");
                    defaultPool = poolRef(d, pools);
                }
                int redirect = ListenerConfig.NO_REDIRECT;
                if (l.has("redirect_to_https")) {
                    redirect = l.get("redirect_to_https").integer(1, 65535);
                }
                if (routes.isEmpty() && defaultPool == null && redirect == ListenerConfig.NO_REDIRECT) {
                    throw new ConfigException(l.child("routes"),
                            "is required unless default_pool or redirect_to_https is set");
                }
                TlsConfig tls = l.has("tls") ? tls(l.get("tls").object()) : null;
                if (tls != null && redirect != ListenerConfig.NO_REDIRECT) {
                    throw new ConfigException(l.child("redirect_to_https"),
                            "makes no sense on a listener that itself has tls");
                }
                String hsts = null;
                if (l.has("hsts")) {
                    Node h = l.get("hsts");
                    hsts = h.nonEmptyText();
                    if (tls == null) {
                        throw new ConfigException(h.path, "needs tls on this listener (browsers ignore HSTS over http)");
                    }
                    if (!hsts.startsWith("max-age=") || hsts.chars().anyMatch(c -> c < ' ' || c >= 127)) {
                        throw new ConfigException(h.path, '"' + hsts + "\" is not a Strict-Transport-Security value"
                                + " like max-age=31536000; includeSubDomains");
                    }
                }
                FirewallConfig firewall = firewall(l, trusted);
                HttpLimitsConfig limits = limits(l);
                Http2Config http2 = l.has("http2") ? http2(l.get("http2"), tls) : Http2Config.DEFAULT;
                l.noOtherKeys();
                out.add(new ListenerConfig(name, bind, routes, defaultPool, tls, hsts, redirect, firewall, limits,
                        http2));
            }
            return out;
        }

        private TlsConfig tls(Node t) throws ConfigException {
            List<TlsConfig.Certificate> certs = new ArrayList<>();
            if (t.has("certificates")) {
                for (Node c : t.get("certificates").list()) {
                    c.object();
                    Node cert = c.require("cert");
                    Node key = c.require("key");
                    certs.add(new TlsConfig.Certificate(path(cert), path(key)));
                    c.noOtherKeys();
                }
                if (certs.isEmpty()) {
                    throw new ConfigException(t.child("certificates"), "must list at least one {cert, key}");
                }
            }
            List<String> auto = new ArrayList<>();
            if (t.has("auto")) {
                Node a = t.get("auto");
                List<Node> names = a.json.isTextual() ? List.of(a) : a.list();
                for (Node n : names) {
                    String host = n.nonEmptyText().toLowerCase(Locale.ROOT);
                    boolean ok = host.length() <= 253 && host.chars().allMatch(c -> (c >= 'a' && c <= 'z')
                            || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '*' || c == ':');
                    if (!ok) {
                        throw new ConfigException(n.path, '"' + n.text() + "\" is not a host name or IP address");
                    }
                    auto.add(host);
                }
                if (auto.isEmpty()) {
                    throw new ConfigException(a.path, "must list at least one name");
                }
            }
            if (certs.isEmpty() == auto.isEmpty()) {
                throw new ConfigException(t.path, certs.isEmpty() ? "needs certificates or auto"
                        : "has both certificates and auto; use one");
            }
            List<String> protocols = TlsConfig.DEFAULT_PROTOCOLS;
            if (t.has("protocols")) {
                protocols = oneOf(t.get("protocols"), TlsConfig.SUPPORTED_PROTOCOLS, "a TLS version");
            }
            List<String> alpn = TlsConfig.DEFAULT_ALPN;
            if (t.has("alpn")) {
                alpn = oneOf(t.get("alpn"), TlsConfig.SUPPORTED_ALPN, "an ALPN protocol");
            }
            String engine = TlsConfig.ENGINE_AUTO;
            if (t.has("engine")) {
                Node e = t.get("engine");
                engine = e.nonEmptyText().trim().toLowerCase(Locale.ROOT);
                if (!TlsConfig.ENGINES.contains(engine)) {
                    throw new ConfigException(e.path, quote(e.json) + " is not a TLS engine (auto, openssl or jdk)");
                }
            }
            boolean resumption = !t.has("session_resumption") || t.get("session_resumption").bool();
            t.noOtherKeys();
            return new TlsConfig(certs, auto, protocols, alpn, engine, resumption);
        }

        private List<String> oneOf(Node list, List<String> supported, String what) throws ConfigException {
            List<Node> items = list.json.isTextual() ? List.of(list) : list.list();
            List<String> out = new ArrayList<>();
            for (Node n : items) {
                String v = n.nonEmptyText();
                if (!supported.contains(v)) {
                    throw new ConfigException(n.path, '"' + v + "\" is not " + what + " supported here ("
                            + String.join(", ", supported) + ")");
                }
                if (!out.contains(v)) {
                    out.add(v);
                }
            }
            if (out.isEmpty()) {
                throw new ConfigException(list.path, "must not be empty");
            }
            return out;
        }

        private Path path(Node n) throws ConfigException {
            String v = n.nonEmptyText();
            try {
                return Path.of(v);
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException(n.path, '"' + v + "\" is not a file path");
            }
        }

        private FirewallConfig firewall(Node l, List<Cidr> defaultTrusted) throws ConfigException {
            List<Cidr> allow = l.has("allow") ? l.get("allow").cidrs() : List.of();
            List<Cidr> deny = l.has("deny") ? l.get("deny").cidrs() : List.of();
            int perIp = l.has("max_connections_per_ip")
                    ? l.get("max_connections_per_ip").integer(1, 1_000_000) : FirewallConfig.UNLIMITED;
            RateLimitConfig rate = null;
            if (l.has("rate_limit")) {
                Node r = l.get("rate_limit").object();
                Node rpsNode = r.require("requests_per_second");
                if (!rpsNode.json.isNumber() || !(rpsNode.json.doubleValue() > 0)
                        || rpsNode.json.doubleValue() > 1_000_000) {
                    throw new ConfigException(rpsNode.path, quote(rpsNode.json)
                            + " is not a number of requests per second above 0 (at most 1000000)");
                }
                double rps = rpsNode.json.doubleValue();
                int burst = r.has("burst") ? r.get("burst").integer(1, 1_000_000) : RateLimitConfig.defaultBurst(rps);
                String key = RateLimitConfig.KEY_SOURCE_IP;
                if (r.has("key")) {
                    Node k = r.get("key");
                    key = k.nonEmptyText();
                    if (!key.equals(RateLimitConfig.KEY_SOURCE_IP)) {
                        throw new ConfigException(k.path, '"' + key + "\" is not a rate-limit key (known: "
                                + RateLimitConfig.KEY_SOURCE_IP + ")");
                    }
                }
                r.noOtherKeys();
                rate = new RateLimitConfig(rps, burst, key);
            }
            List<Cidr> trusted = l.has("trusted_proxies") ? l.get("trusted_proxies").cidrs() : defaultTrusted;
            return new FirewallConfig(allow, deny, perIp, rate, trusted);
        }

        private Http2Config http2(Node h, TlsConfig tls) throws ConfigException {
            h.object();
            if (tls == null) {
                throw new ConfigException(h.path, "needs tls on this listener (h2 is offered through TLS ALPN)");
            }
            if (!tls.alpn().contains("h2")) {
                throw new ConfigException(h.path, "has no effect: this listener's tls.alpn does not offer h2");
            }
            int streams = h.has("max_concurrent_streams") ? h.get("max_concurrent_streams")
                    .integer(1, Http2Config.MAX_CONCURRENT_STREAMS_LIMIT) : Http2Config.DEFAULT_MAX_CONCURRENT_STREAMS;
            int window = h.has("initial_window_size") ? (int) h.get("initial_window_size")
                    .size(Http2Config.MIN_WINDOW_SIZE, Http2Config.MAX_WINDOW_SIZE)
                    : Http2Config.DEFAULT_INITIAL_WINDOW_SIZE;
            h.noOtherKeys();
            return new Http2Config(streams, window);
        }

        private HttpLimitsConfig limits(Node l) throws ConfigException {
            int line = l.has("max_request_line") ? (int) l.get("max_request_line").size(256, 1 << 20)
                    : HttpLimitsConfig.DEFAULT_MAX_REQUEST_LINE;
            int header = l.has("max_header_size") ? (int) l.get("max_header_size").size(1024, 1 << 20)
                    : HttpLimitsConfig.DEFAULT_MAX_HEADER_SIZE;
            long body = l.has("max_body_size") ? l.get("max_body_size").size(0, Long.MAX_VALUE / 2)
                    : HttpLimitsConfig.NO_BODY_LIMIT;
            HttpLimitsConfig.UnderscorePolicy underscores = HttpLimitsConfig.UnderscorePolicy.ALLOW;
            if (l.has("headers_with_underscores")) {
                Node u = l.get("headers_with_underscores");
                String v = u.nonEmptyText();
                underscores = null;
                for (HttpLimitsConfig.UnderscorePolicy p : HttpLimitsConfig.UnderscorePolicy.values()) {
                    if (p.yamlName().equals(v)) {
                        underscores = p;
                    }
                }
                if (underscores == null) {
                    throw new ConfigException(u.path, '"' + v + "\" is not allow, drop or reject");
                }
            }
            return new HttpLimitsConfig(line, header, body, underscores);
        }

        private void checkRedirects(List<ListenerConfig> listeners) throws ConfigException {
            for (int i = 0; i < listeners.size(); i++) {
                ListenerConfig lc = listeners.get(i);
                if (lc.redirectToHttps() != ListenerConfig.NO_REDIRECT && lc.bind().port() != 0
                        && lc.redirectToHttps() == lc.bind().port()) {
                    throw new ConfigException("listeners[" + i + "].redirect_to_https", lc.redirectToHttps()
                            + " is this listener's own port; it must be the HTTPS listener's port");
                }
            }
        }

        private RouteConfig route(Node r, Map<String, PoolConfig> pools) throws ConfigException {
            List<String> hosts = new ArrayList<>();
            if (r.has("hosts")) {
                Node h = r.get("hosts");
                List<Node> hostNodes = h.json.isTextual() ? List.of(h) : h.list();
                for (Node hn : hostNodes) {
                    String host = hn.nonEmptyText().toLowerCase(Locale.ROOT);
                    if (host.endsWith(".")) {
                        host = host.substring(0, host.length() - 1);
                    }
                    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
                        throw new ConfigException(hn.path, '"' + hn.text() + "\" must be a host name without a port");
                    }
                    if (host.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == '/')) {
                        throw new ConfigException(hn.path, '"' + hn.text() + "\" is not a host name");
                    }
                    hosts.add(host);
                }
            }
            String prefix = RouteConfig.DEFAULT_PATH_PREFIX;
            if (r.has("path_prefix")) {
                Node p = r.get("path_prefix");
                prefix = p.nonEmptyText();
                if (!prefix.startsWith("/") || prefix.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                    throw new ConfigException(p.path, '"' + prefix + "\" is not a URL path starting with /");
                }
            }
            String pool = poolRef(r.require("pool"), pools);
            r.noOtherKeys();
            return new RouteConfig(hosts, prefix, pool);
        }

        private String poolRef(Node n, Map<String, PoolConfig> pools) throws ConfigException {
            String name = n.nonEmptyText();
            if (!pools.containsKey(name)) {
                throw new ConfigException(n.path, '"' + name + "\" is not a defined pool (defined: "
                        + String.join(", ", pools.keySet()) + ")");
            }
            return name;
        }

        private AdminConfig admin(Node n) throws ConfigException {
            HostPort bind = n.has("bind") ? n.get("bind").hostPort() : AdminConfig.DEFAULT_BIND;
            List<Cidr> allow = n.has("allow") ? n.get("allow").cidrs() : AdminConfig.DEFAULT_ALLOW;
            List<Cidr> deny = n.has("deny") ? n.get("deny").cidrs() : List.of();
            n.noOtherKeys();
            return new AdminConfig(bind, allow, deny);
        }

        private ClientTimeouts clientTimeouts(Node n) throws ConfigException {
            Duration header = n.has("header") ? n.get("header").duration(Duration.ofMillis(1)) : ClientTimeouts.DEFAULT_HEADER;
            Duration idle = n.has("idle") ? n.get("idle").duration(Duration.ofMillis(1)) : ClientTimeouts.DEFAULT_IDLE;
            Duration send = n.has("send") ? n.get("send").duration(Duration.ofMillis(1)) : ClientTimeouts.DEFAULT_SEND;
            Duration tunnel = n.has("tunnel")
                    ? n.get("tunnel").duration(Duration.ofMillis(1)) : ClientTimeouts.DEFAULT_TUNNEL;
            n.noOtherKeys();
            return new ClientTimeouts(header, idle, send, tunnel);
        }

        private AccessLogConfig accessLog(Node n) throws ConfigException {
            // YAML 1.1 reads a bare `off` as the boolean false.
            if (n.json.isBoolean() && !n.json.booleanValue()) {
                return AccessLogConfig.OFF;
            }
            String v = n.nonEmptyText();
            if (v.equals("stdout")) {
                return AccessLogConfig.STDOUT;
            }
            if (v.equals("off")) {
                return AccessLogConfig.OFF;
            }
            try {
                return AccessLogConfig.file(Path.of(v));
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException(n.path, '"' + v + "\" is not stdout, off or a file path");
            }
        }

        private void checkBindsDistinct(List<ListenerConfig> listeners, AdminConfig admin) throws ConfigException {
            Map<HostPort, String> binds = new HashMap<>();
            for (int i = 0; i < listeners.size(); i++) {
                HostPort b = listeners.get(i).bind();
                if (b.port() != 0 && binds.putIfAbsent(b, "listeners[" + i + "]") != null) {
                    throw new ConfigException("listeners[" + i + "].bind", '"' + b.toString()
                            + "\" is already bound by " + binds.get(b));
                }
            }
            HostPort a = admin.bind();
            if (a.port() != 0 && binds.containsKey(a)) {
                throw new ConfigException("admin.bind", '"' + a.toString() + "\" is already bound by " + binds.get(a));
            }
        }

        /** The item's required name, valid, and not the name of an earlier item ({@code seen}: name to its path). */
        private static String uniqueName(Node item, Map<String, String> seen, String what) throws ConfigException {
            Node nameNode = item.require("name");
            String name = nameNode.nonEmptyText();
            checkName(nameNode.path, name, what);
            String earlier = seen.putIfAbsent(name, nameNode.path);
            if (earlier != null) {
                throw new ConfigException(nameNode.path, '"' + name + "\" is a duplicate " + what + " (first at "
                        + earlier + ")");
            }
            return name;
        }

        private static void checkName(String path, String name, String what) throws ConfigException {
            if (name.isEmpty() || name.length() > 64) {
                throw new ConfigException(path, "a " + what + " must have 1 to 64 characters");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '.';
                if (!ok) {
                    throw new ConfigException(path, '"' + name + "\" is not a valid " + what
                            + " (letters, digits, '-', '_', '.')");
                }
            }
        }
    }
}
