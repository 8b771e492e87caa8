package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A compose file read the way compose reads it, for the parts these checks need: {@code ${VAR:-default}} interpolation
 * (with the defaults, as on a machine with no .env), YAML anchors and aliases ({@code x-db-hosts: &db-hosts} ...
 * {@code extra_hosts: *db-hosts}), and the short and long forms of environment, ports, networks and depends_on
 * normalised.
 */
final class ComposeFile {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    static ComposeFile load(Path file) {
        return load(file, Map.of());
    }

    /** As compose reads the file with these variables set (the rest take their defaults). */
    static ComposeFile load(Path file, Map<String, String> variables) {
        return parse(StackFiles.read(file), variables);
    }

    static ComposeFile parse(String yaml) {
        return parse(yaml, Map.of());
    }

    static ComposeFile parse(String yaml, Map<String, String> variables) {
        // SnakeYAML, not Jackson's YAML parser, reads the text: Jackson returns an alias as the anchor's name.
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(interpolate(yaml, variables));
        JsonNode root = YAML.valueToTree(tree);
        resolveExtends(root, variables);
        return new ComposeFile(root);
    }

    /**
     * Replaces each service's {@code extends: {file, service}} by the merge compose makes: the extended service
     * (read from the file, relative to docker/, with the same variables) overlaid by the service's own keys; lists of
     * volumes are joined, mappings merged key by key, anything else the service's own.
     */
    private static void resolveExtends(JsonNode root, Map<String, String> variables) {
        root.path("services").fields().forEachRemaining(entry -> {
            JsonNode ext = entry.getValue().path("extends");
            if (ext.isMissingNode()) {
                return;
            }
            String file = ext.path("file").asText();
            String name = ext.path("service").asText();
            JsonNode base = load(StackFiles.fromCompose(file), variables).root().path("services").path(name);
            if (!base.isObject()) {
                throw new IllegalArgumentException("service " + entry.getKey() + " extends " + name + " of " + file
                        + ", which has no such service");
            }
            ObjectNode merged = ((ObjectNode) base).deepCopy();
            entry.getValue().fields().forEachRemaining(own -> {
                JsonNode inherited = merged.get(own.getKey());
                if (own.getKey().equals("volumes") && inherited != null && inherited.isArray()) {
                    ((ArrayNode) inherited).addAll((ArrayNode) own.getValue());
                } else if (inherited != null && inherited.isObject() && own.getValue().isObject()) {
                    ((ObjectNode) inherited).setAll((ObjectNode) own.getValue());
                } else {
                    merged.set(own.getKey(), own.getValue());
                }
            });
            merged.remove("extends");
            ((ObjectNode) root.path("services")).set(entry.getKey(), merged);
        });
    }

    /** Replaces {@code ${VAR:-default}} by its default; a variable without one is an error here (no .env is used). */
    static String interpolate(String text) {
        return interpolate(text, Map.of());
    }

    /**
     * Replaces {@code ${VAR:-default}} by the variable's value when set and not empty, else by its default; a
     * variable without a default is an error here, since the stack must start with no .env file.
     */
    static String interpolate(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text.replace("$$", "\u0000"));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(2) == null) {
                throw new IllegalArgumentException("${" + m.group(1) + "} has no default: the stack must start "
                        + "with no .env file");
            }
            String value = variables.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null || value.isEmpty() ? m.group(2) : value));
        }
        m.appendTail(out);
        return out.toString().replace("\u0000", "$");
    }

    JsonNode root() {
        return root;
    }

    /**
     * This file with {@code override} applied, as {@code docker compose -f this -f override} merges them: mappings
     * (a service, its environment, depends_on, networks) merged key by key, the override winning; a service's volumes
     * merged by their path in the container (an override's mount replaces the one at the same path); any other value,
     * sequences included, the override's. (Compose appends some sequences, such as ports; no override here sets one.)
     */
    ComposeFile overriddenBy(ComposeFile override) {
        ObjectNode merged = root.deepCopy();
        mergeInto(merged, (ObjectNode) override.root, "");
        return new ComposeFile(merged);
    }

    private static void mergeInto(ObjectNode base, ObjectNode over, String path) {
        over.fields().forEachRemaining(e -> {
            JsonNode mine = base.get(e.getKey());
            String here = path + "/" + e.getKey();
            if (mine != null && mine.isObject() && e.getValue().isObject()) {
                mergeInto((ObjectNode) mine, (ObjectNode) e.getValue(), here);
            } else if (mine != null && mine.isArray() && e.getValue().isArray()
                    && here.matches("/services/[^/]+/volumes")) {
                ArrayNode volumes = ((ArrayNode) mine).deepCopy();
                for (JsonNode v : e.getValue()) {
                    String target = volumeTarget(v);
                    for (int i = volumes.size() - 1; i >= 0; i--) {
                        if (volumeTarget(volumes.get(i)).equals(target)) {
                            volumes.remove(i);
                        }
                    }
                    volumes.add(v);
                }
                base.set(e.getKey(), volumes);
            } else {
                base.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    private static String volumeTarget(JsonNode volume) {
        if (!volume.isTextual()) {
            return volume.path("target").asText();
        }
        String[] parts = volume.asText().split(":");
        return parts.length >= 2 ? parts[1] : parts[0];
    }

    List<String> serviceNames() {
        List<String> names = new ArrayList<>();
        root.path("services").fieldNames().forEachRemaining(names::add);
        return names;
    }

    JsonNode service(String name) {
        JsonNode s = root.path("services").path(name);
        if (s.isMissingNode()) {
            throw new AssertionError("compose.yaml has no service " + name + " (it has " + serviceNames() + ")");
        }
        return s;
    }

    /** The service's environment, from the mapping or the list form. */
    Map<String, String> environment(String service) {
        JsonNode env = service(service).path("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (env.isObject()) {
            env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        } else if (env.isArray()) {
            for (JsonNode item : env) {
                String s = item.asText();
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    /**
     * The service whose network namespace the service runs in: itself, or X for {@code network_mode: service:X}
     * (followed to the end). Its networks, addresses and published ports are the namespace's.
     */
    String namespaceOwner(String service) {
        String owner = service;
        for (int hops = 0; hops < 10; hops++) {
            String mode = service(owner).path("network_mode").asText("");
            if (!mode.startsWith("service:")) {
                return owner;
            }
            owner = mode.substring("service:".length());
        }
        throw new AssertionError(service + ": network_mode service: chain does not end");
    }

    /** The services that run in {@code owner}'s network namespace with {@code network_mode: service:owner}. */
    List<String> namespaceJoiners(String owner) {
        List<String> out = new ArrayList<>();
        for (String name : serviceNames()) {
            if (!name.equals(owner) && namespaceOwner(name).equals(owner)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The networks the service is on: its own, or those of the namespace it joins (network_mode: service:X). */
    List<String> networks(String service) {
        JsonNode n = service(namespaceOwner(service)).path("networks");
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (n.isObject()) {
            n.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * The fixed IPv4 address ({@code ipv4_address}) of the service on a network, or null; for a service that joins
     * another's namespace, that namespace's address.
     */
    String ipv4AddressOn(String service, String network) {
        JsonNode address = service(namespaceOwner(service)).path("networks").path(network).path("ipv4_address");
        return address.isTextual() ? address.asText() : null;
    }

    /** depends_on as service name to condition; the short (list) form means service_started. */
    Map<String, String> dependsOn(String service) {
        JsonNode d = service(service).path("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (d.isArray()) {
            d.forEach(x -> out.put(x.asText(), "service_started"));
        } else if (d.isObject()) {
            d.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
        }
        return out;
    }

    /** Published ports of the service's network namespace (a joiner's are its namespace owner's). */
    List<PortMapping> ports(String service) {
        List<PortMapping> out = new ArrayList<>();
        for (JsonNode p : service(namespaceOwner(service)).path("ports")) {
            out.add(PortMapping.parse(p));
        }
        return out;
    }

    /** The healthcheck test as one command line (CMD and CMD-SHELL forms alike), or empty. */
    String healthcheckCommand(String service) {
        JsonNode test = service(service).path("healthcheck").path("test");
        if (test.isTextual()) {
            return test.asText();
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            String part = test.get(i).asText();
            if (i == 0 && (part.equals("CMD") || part.equals("CMD-SHELL"))) {
                continue;
            }
            parts.add(part);
        }
        return String.join(" ", parts);
    }

    List<String> volumes(String service) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : service(service).path("volumes")) {
            out.add(v.isTextual() ? v.asText() : v.path("source").asText() + ":" + v.path("target").asText());
        }
        return out;
    }

    /** Host path (relative to the compose file) mounted at {@code target}, or null. */
    String bindSourceOf(String service, String target) {
        for (String v : volumes(service)) {
            String[] parts = v.split(":");
            if (parts.length >= 2 && parts[1].equals(target) && (parts[0].startsWith(".") || parts[0].startsWith("/"))) {
                return parts[0];
            }
        }
        return null;
    }

    JsonNode at(String pointer) {
        JsonNode n = root.at(pointer);
        return n == null ? MissingNode.getInstance() : n;
    }

    /** A published port: host address (may be empty), host port, container port. */
    record PortMapping(String hostIp, int hostPort, int containerPort) {
        static PortMapping parse(JsonNode node) {
            if (node.isObject()) {
                return new PortMapping(node.path("host_ip").asText(""), node.path("published").asInt(),
                        node.path("target").asInt());
            }
            String s = node.asText();
            int slash = s.indexOf('/');
            if (slash >= 0) {
                s = s.substring(0, slash);
            }
            String[] parts = s.split(":");
            return switch (parts.length) {
                case 1 -> new PortMapping("", 0, Integer.parseInt(parts[0]));
                case 2 -> new PortMapping("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                case 3 -> new PortMapping(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                default -> throw new IllegalArgumentException("unsupported port form: " + node);
            };
        }
    }
}
