package com.foobar.balancer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Environment variables in the configuration's string values: {@code ${NAME}}, or {@code ${NAME:-default}} for a
 * value used when NAME is unset or empty (the shell's and Docker Compose's syntax); {@code $$} is a literal
 * {@code $}. HAProxy expands {@code "${NAME}"} in its configuration the same way, and for the same reason: one file
 * for several deployments, with the addresses that differ between them (Compose's movable subnets) given by the
 * environment. Only string values are expanded, never keys or comments, and an unset variable without a default is
 * an error at its field path rather than an empty string that would mean something else.
 */
final class EnvironmentExpansion {
    private final Function<String, String> environment;

    EnvironmentExpansion(Function<String, String> environment) {
        this.environment = environment;
    }

    /** {@code node} with every string value expanded, in place. */
    JsonNode expand(JsonNode node) throws ConfigException {
        walk("", node);
        return node;
    }

    private void walk(String path, JsonNode node) throws ConfigException {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String at = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (f.getValue().isTextual()) {
                    f.setValue(TextNode.valueOf(expand(at, f.getValue().asText())));
                } else {
                    walk(at, f.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String at = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(expand(at, array.get(i).asText())));
                } else {
                    walk(at, array.get(i));
                }
            }
        }
    }

    String expand(String path, String value) throws ConfigException {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
            } else if (value.startsWith("$$", i)) {
                out.append('$');
                i += 2;
            } else if (value.startsWith("${", i)) {
                int end = value.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException(path, '"' + value + "\" has a ${ without its } (a literal $ is $$)");
                }
                out.append(variable(path, value.substring(i + 2, end)));
                i = end + 1;
            } else {
                // A lone $ (a password, a regex) is itself.
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String variable(String path, String expression) throws ConfigException {
        int dflt = expression.indexOf(":-");
        String name = dflt < 0 ? expression : expression.substring(0, dflt);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(path, "${" + expression + "} does not name an environment variable");
        }
        String value = environment.apply(name);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (dflt >= 0) {
            return expression.substring(dflt + 2);
        }
        throw new ConfigException(path, "${" + name + "} is not set (give it a default with ${" + name + ":-value})");
    }
}
