package com.foobar.webapp.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page fragment from {@code com/foobar/webapp/templates/NAME.html} with {@code {{key}}} slots. Every value is
 * HTML-escaped unless it is an {@link Html}, so escaping is the default and raw markup has to be asked for.
 * Templates are parsed once, when the app starts; a slot left without a value is a programming error.
 */
final class Template {

    private static final Pattern SLOT = Pattern.compile("\\{\\{([a-zA-Z][a-zA-Z0-9_]*)}}");

    private final String name;
    private final List<String> literals = new ArrayList<>();
    private final List<String> slots = new ArrayList<>();

    private Template(String name, String source) {
        this.name = name;
        Matcher m = SLOT.matcher(source);
        int last = 0;
        while (m.find()) {
            literals.add(source.substring(last, m.start()));
            slots.add(m.group(1));
            last = m.end();
        }
        literals.add(source.substring(last));
    }

    static Template load(String name) {
        String path = "/com/foobar/webapp/templates/" + name + ".html";
        try (InputStream in = Template.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("template " + path + " is missing from the classpath");
            }
            return new Template(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Html render(Map<String, ?> values) {
        StringBuilder out = new StringBuilder(256);
        for (int i = 0; i < slots.size(); i++) {
            out.append(literals.get(i));
            String slot = slots.get(i);
            if (!values.containsKey(slot)) {
                throw new IllegalArgumentException("template " + name + " has no value for {{" + slot + "}}");
            }
            Object v = values.get(slot);
            out.append(v instanceof Html h ? h.markup() : Html.escape(v == null ? "" : String.valueOf(v)));
        }
        out.append(literals.get(literals.size() - 1));
        return new Html(out.toString());
    }
}
