package com.foobar.webapp.web;

import java.util.Objects;

/** HTML that is already safe to emit as is; everything else put into a {@link Template} gets escaped. */
record Html(String markup) {

    static final Html EMPTY = new Html("");

    Html {
        Objects.requireNonNull(markup, "markup");
    }

    /** Escapes text for use in element content and in quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    static Html join(Iterable<Html> parts) {
        StringBuilder sb = new StringBuilder();
        for (Html h : parts) {
            sb.append(h.markup);
        }
        return new Html(sb.toString());
    }

    @Override
    public String toString() {
        return markup;
    }
}
