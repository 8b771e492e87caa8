package com.foobar.dbfailover.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
import java.util.Optional;
import java.util.Set;

/**
 * Reads the configuration from a YAML file, the environment, or both (the environment wins, key by key), as a
 * container wants it. Every error names its key, {@code failover_after: "5x" is not a duration like 500ms or 5s}, or
 * the variable it came from, {@code FOOBAR_FAILOVER_AFTER (failover_after): ...}; unknown keys and unknown
 * {@code FOOBAR_FAILOVER_*} variables are errors, so a typo never falls back to a default silently.
 */
public final class ConfigLoader {
    /** The file to read, when {@code --config} is not given. */
    public static final String ENV_CONFIG = "FOOBAR_FAILOVER_CONFIG";
    public static final String ENV_PREFIX = "FOOBAR_FAILOVER_";

    /** Environment variable to the key it sets ({@code nodes} takes {@code name=host:port,...}). */
    static final Map<String, String> ENV_KEYS = envKeys();

    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> BOOLEAN_KEYS =
            Set.of("confirm_with_replicas", "enforce_writable_primary", "replication.ssl");
    private static final Set<String> INTEGER_KEYS = Set.of("events_kept");

    private ConfigLoader() {
    }

    private static Map<String, String> envKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("FOOBAR_FAILOVER_NODES", "nodes");
        m.put("FOOBAR_FAILOVER_USER", "user");
        m.put("FOOBAR_FAILOVER_PASSWORD", "password");
        m.put("FOOBAR_FAILOVER_REPLICATION_USER", "replication.user");
        m.put("FOOBAR_FAILOVER_REPLICATION_PASSWORD", "replication.password");
        m.put("FOOBAR_FAILOVER_REPLICATION_SSL", "replication.ssl");
        m.put("FOOBAR_FAILOVER_FLAVOR", "flavor");
        m.put("FOOBAR_FAILOVER_AFTER", "failover_after");
        m.put("FOOBAR_FAILOVER_CHECK_INTERVAL", "check_interval");
        m.put("FOOBAR_FAILOVER_CONNECT_TIMEOUT", "connect_timeout");
        m.put("FOOBAR_FAILOVER_PROBE_TIMEOUT", "probe_timeout");
        m.put("FOOBAR_FAILOVER_CATCH_UP_TIMEOUT", "catch_up_timeout");
        m.put("FOOBAR_FAILOVER_CONFIRM_WITH_REPLICAS", "confirm_with_replicas");
        m.put("FOOBAR_FAILOVER_ENFORCE_WRITABLE_PRIMARY", "enforce_writable_primary");
        m.put("FOOBAR_FAILOVER_SEMI_SYNC", "semi_sync");
        m.put("FOOBAR_FAILOVER_STATUS_BIND", "status.bind");
        m.put("FOOBAR_FAILOVER_JDBC_OPTIONS", "jdbc_options");
        m.put("FOOBAR_FAILOVER_EVENTS_KEPT", "events_kept");
        return Map.copyOf(m);
    }

    /**
     * @param file the file given with {@code --config}; when empty, {@code FOOBAR_FAILOVER_CONFIG} names it, and
     *             without either the environment alone configures
     */
    public static FailoverConfig load(Optional<Path> file, Map<String, String> env) throws ConfigException {
        Optional<Path> path = file.isPresent() ? file
                : Optional.ofNullable(env.get(ENV_CONFIG)).filter(s -> !s.isBlank()).map(Path::of);
        ObjectNode root;
        if (path.isPresent()) {
            root = readFile(path.get(), file.isPresent() ? "--config" : ENV_CONFIG);
        } else {
            root = JsonNodeFactory.instance.objectNode();
        }
        Map<String, String> sources = applyEnvironment(root, env);
        try {
            return new Walker().config(new Node("", root));
        } catch (ConfigException e) {
            throw sourced(e, sources);
        }
    }

    /** Parses YAML text alone (tests, {@code --check} of a string). */
    public static FailoverConfig parse(String yaml) throws ConfigException {
        return new Walker().config(new Node("", parseYaml(yaml, "yaml")));
    }

    private static ObjectNode readFile(Path file, String from) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(from, file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(from, file + " cannot be read: " + e.getMessage());
        }
        return parseYaml(text, file.toString());
    }

    private static ObjectNode parseYaml(String text, String what) throws ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? what : what + " line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(where, "invalid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(what, "must be a mapping of keys, not " + describe(root));
        }
        return (ObjectNode) root;
    }

    /** Puts the variables into the tree and returns which key came from which variable. */
    private static Map<String, String> applyEnvironment(ObjectNode root, Map<String, String> env) throws ConfigException {
        Map<String, String> sources = new HashMap<>();
        List<String> names = new ArrayList<>(env.keySet());
        names.sort(null);
        for (String var : names) {
            if (!var.startsWith(ENV_PREFIX) || var.equals(ENV_CONFIG)) {
                continue;
            }
            String key = ENV_KEYS.get(var);
            if (key == null) {
                List<String> known = new ArrayList<>(ENV_KEYS.keySet());
                known.add(ENV_CONFIG);
                known.sort(null);
                throw new ConfigException(var, "is not a known variable (known: " + String.join(", ", known) + ")");
            }
            String value = env.get(var);
            if (key.equals("nodes")) {
                root.set("nodes", nodesFromEnv(var, value));
                sources.put("nodes", var);
                continue;
            }
            ObjectNode parent = root;
            String[] path = key.split("\\.");
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = parent.get(path[i]);
                if (child == null || !child.isObject()) {
                    child = parent.putObject(path[i]);
                }
                parent = (ObjectNode) child;
            }
            String leaf = path[path.length - 1];
            JsonNode node = TextNode.valueOf(value);
            if (BOOLEAN_KEYS.contains(key) && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))) {
                node = BooleanNode.valueOf(Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)));
            } else if (INTEGER_KEYS.contains(key) && value.trim().matches("-?\\d{1,9}")) {
                node = IntNode.valueOf(Integer.parseInt(value.trim()));
            }
            parent.set(leaf, node);
            sources.put(key, var);
        }
        return sources;
    }

    /** {@code primary=db-1:3306,replica-1=db-2:3306}. */
    private static ArrayNode nodesFromEnv(String var, String value) throws ConfigException {
        ArrayNode nodes = JsonNodeFactory.instance.arrayNode();
        int i = 0;
        for (String item : value.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(var + " (nodes[" + i + "])", "\"" + item.trim() + "\" is not name=host:port");
            }
            ObjectNode n = nodes.addObject();
            n.put("name", item.substring(0, eq).trim());
            n.put("address", item.substring(eq + 1).trim());
            i++;
        }
        return nodes;
    }

    /** Prefixes an error's path with the variable its key came from. */
    private static ConfigException sourced(ConfigException e, Map<String, String> sources) {
        for (Map.Entry<String, String> s : sources.entrySet()) {
            String key = s.getKey();
            if (e.path().equals(key) || e.path().startsWith(key + ".") || e.path().startsWith(key + "[")) {
                return new ConfigException(s.getValue() + " (" + e.path() + ")", e.reason());
            }
        }
        return e;
    }

    static String describe(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "\"" + n.asText() + "\"";
    }

    /** A JSON node with its key path; remembers which keys were read so the rest can be rejected. */
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

        Node get(String key) {
            read.add(key);
            JsonNode v = json.get(key);
            return new Node(child(key), v == null || v.isNull() ? MissingNode.getInstance() : v);
        }

        boolean missing() {
            return json.isMissingNode();
        }

        Node object() throws ConfigException {
            if (!json.isObject()) {
                throw new ConfigException(path, "must be a mapping, not " + describe(json));
            }
            return this;
        }

        /**
         * Rejects keys nobody read: a typo must not fall back to a default. Called once a mapping's keys have all been
         * read, so the keys a section knows are the ones its code reads, named once.
         */
        void noOtherKeys() throws ConfigException {
            Iterator<String> names = json.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (!read.contains(k)) {
                    List<String> sorted = new ArrayList<>(read);
                    sorted.sort(null);
                    throw new ConfigException(child(k), "is not a known key (known here: " + String.join(", ", sorted) + ")");
                }
            }
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

        String text() throws ConfigException {
            if (json.isTextual() || json.isNumber() || json.isBoolean()) {
                return json.asText();
            }
            throw new ConfigException(path, "must be a string, not " + describe(json));
        }

        String text(String fallback) throws ConfigException {
            return missing() ? fallback : text();
        }

        boolean bool(boolean fallback) throws ConfigException {
            if (missing()) {
                return fallback;
            }
            if (!json.isBoolean()) {
                throw new ConfigException(path, describe(json) + " is not true or false");
            }
            return json.booleanValue();
        }

        int integer(int fallback) throws ConfigException {
            if (missing()) {
                return fallback;
            }
            if (!json.isIntegralNumber() || !json.canConvertToInt()) {
                throw new ConfigException(path, describe(json) + " is not a whole number");
            }
            return json.intValue();
        }

        Duration duration(Duration fallback) throws ConfigException {
            if (missing()) {
                return fallback;
            }
            Duration d = json.isIntegralNumber() && json.longValue() == 0 ? Duration.ZERO
                    : json.isTextual() ? Durations.parse(json.textValue()) : null;
            if (d == null) {
                throw new ConfigException(path, describe(json) + " is not a duration like 500ms, 5s or 1m");
            }
            return d;
        }

        <E extends Enum<E>> E choice(Class<E> type, E fallback) throws ConfigException {
            if (missing()) {
                return fallback;
            }
            String v = text().trim();
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(path, "\"" + v + "\" is not one of " + String.join(", ", names));
        }
    }

    private static final class Walker {
        FailoverConfig config(Node root) throws ConfigException {
            root.object();
            FailoverConfig.Builder b = FailoverConfig.builder();
            Node nodes = root.get("nodes");
            if (nodes.missing()) {
                throw new ConfigException("nodes", "is required (in the file, or FOOBAR_FAILOVER_NODES=name=host:port,...)");
            }
            for (Node n : nodes.list()) {
                n.object();
                Node name = n.get("name");
                if (name.missing()) {
                    throw new ConfigException(name.path, "is required");
                }
                Node address = n.get("address");
                if (address.missing()) {
                    throw new ConfigException(address.path, "is required");
                }
                HostPort at = HostPort.parse(address.path, address.text());
                Node replication = n.get("replication_address");
                HostPort seen = replication.missing() ? at : HostPort.parse(replication.path, replication.text());
                b.node(new NodeConfig(name.text().trim(), at.host(), at.port(), seen.host(), seen.port(),
                        n.get("candidate").bool(true)));
                n.noOtherKeys();
            }
            Node user = root.get("user");
            if (user.missing()) {
                throw new ConfigException("user", "is required (or FOOBAR_FAILOVER_USER)");
            }
            b.user(user.text(), root.get("password").text(""));
            Node replication = root.get("replication");
            if (replication.missing()) {
                throw new ConfigException("replication", "is required: the account replicas connect with (user, password)");
            }
            replication.object();
            Node replUser = replication.get("user");
            if (replUser.missing()) {
                throw new ConfigException(replUser.path, "is required");
            }
            b.replicationUser(replUser.text(), replication.get("password").text(""));
            b.replicationSsl(replication.get("ssl").bool(false));
            replication.noOtherKeys();
            b.flavor(root.get("flavor").choice(DatabaseFlavor.class, DatabaseFlavor.AUTO));
            b.failoverAfter(root.get("failover_after").duration(FailoverConfig.DEFAULT_FAILOVER_AFTER));
            b.checkInterval(root.get("check_interval").duration(FailoverConfig.DEFAULT_CHECK_INTERVAL));
            b.connectTimeout(root.get("connect_timeout").duration(FailoverConfig.DEFAULT_CONNECT_TIMEOUT));
            b.probeTimeout(root.get("probe_timeout").duration(FailoverConfig.DEFAULT_PROBE_TIMEOUT));
            b.catchUpTimeout(root.get("catch_up_timeout").duration(FailoverConfig.DEFAULT_CATCH_UP_TIMEOUT));
            b.confirmWithReplicas(root.get("confirm_with_replicas").bool(true));
            b.enforceWritablePrimary(root.get("enforce_writable_primary").bool(false));
            b.semiSync(root.get("semi_sync").choice(SemiSyncMode.class, SemiSyncMode.AUTO));
            Node status = root.get("status");
            if (!status.missing()) {
                status.object();
                Node bind = status.get("bind");
                if (!bind.missing()) {
                    HostPort hp = HostPort.parse(bind.path, bind.text(), true);
                    b.status(hp.host(), hp.port());
                }
                status.noOtherKeys();
            }
            b.jdbcOptions(root.get("jdbc_options").text(FailoverConfig.DEFAULT_JDBC_OPTIONS));
            b.eventsKept(root.get("events_kept").integer(FailoverConfig.DEFAULT_EVENTS_KEPT));
            root.noOtherKeys();
            return b.build();
        }
    }

    /** {@code host:port} or {@code [v6]:port}. */
    record HostPort(String host, int port) {
        static HostPort parse(String path, String text) throws ConfigException {
            return parse(path, text, false);
        }

        static HostPort parse(String path, String text, boolean portZeroAllowed) throws ConfigException {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            String host = colon > 0 ? t.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                host = "";
            }
            int port = -1;
            try {
                port = colon > 0 ? Integer.parseInt(t.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || host.contains(" ") || port < 0) {
                throw new ConfigException(path, "\"" + text + "\" is not host:port");
            }
            if (port > 65535 || (port == 0 && !portZeroAllowed)) {
                throw new ConfigException(path, "\"" + text + "\": \"" + port + "\" is not a port number ("
                        + (portZeroAllowed ? "0-65535, 0 for any free port" : "1-65535") + ")");
            }
            return new HostPort(host, port);
        }
    }
}
