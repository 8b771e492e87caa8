package com.foobar.webapp.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;

/** The one ObjectMapper: snake_case fields as the API documents them, ISO-8601 instants. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** Bodies of the shop's API are small; anything larger is refused before it is parsed. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }

    /** Reads a JSON object body, refusing anything else with a 400/413/415 that says why. */
    static JsonNode readObject(String contentType, InputStream in) throws IOException {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new UnsupportedMediaTypeException("body must be application/json");
        }
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new PayloadTooLargeException("body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException(BadRequestException.BODY, "body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException(BadRequestException.BODY, "body must be a JSON object");
        }
        return node;
    }

    /** Unknown fields are an error rather than silently ignored: a typo must not go unnoticed. */
    static void rejectUnknownFields(JsonNode node, java.util.Set<String> known) {
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new BadRequestException(name, "unknown field");
            }
        }
    }

    static String requiredString(JsonNode node, String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new BadRequestException(field, "is required");
        }
        if (!v.isTextual()) {
            throw new BadRequestException(field, "must be a string");
        }
        String s = v.asText().strip();
        if (s.isEmpty()) {
            throw new BadRequestException(field, "must not be blank");
        }
        if (s.codePointCount(0, s.length()) > maxLength) {
            throw new BadRequestException(field, "must be at most " + maxLength + " characters");
        }
        return s;
    }

    static String optionalString(JsonNode node, String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new BadRequestException(field, "must be a string");
        }
        String s = v.asText().strip();
        if (s.codePointCount(0, s.length()) > maxLength) {
            throw new BadRequestException(field, "must be at most " + maxLength + " characters");
        }
        return s;
    }

    static long requiredLong(JsonNode node, String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new BadRequestException(field, "is required");
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadRequestException(field, "must be an integer");
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw new BadRequestException(field, "must be between " + min + " and " + max);
        }
        return n;
    }
}
