package dev.rlhf.backend.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/** Describes a JSON reading failure in terms of the client's document: field path and what was wrong. */
public final class JsonErrors {

    private JsonErrors() {
    }

    public static String describe(Throwable e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException f) {
            String expected = f.getTargetType() != null && f.getTargetType().isEnum()
                    ? "one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants())
                    : "a value of type " + simpleType(f.getTargetType());
            return field(f) + ": '" + f.getValue() + "' is not " + expected;
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return field(m) + ": " + firstLine(m.getOriginalMessage());
        }
        if (e instanceof JsonProcessingException p) {
            String where = p.getLocation() == null ? ""
                    : " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr();
            return "not valid JSON" + where + ": " + firstLine(p.getOriginalMessage());
        }
        return "not valid JSON";
    }

    private static String field(JsonMappingException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simpleType(Class<?> type) {
        return type == null ? "?" : type.getSimpleName();
    }

    /** Jackson messages name Java classes after the first line; clients must not see those. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.replaceAll("\\(class [^)]*\\)", "").replaceAll("`[a-z]+(\\.[a-zA-Z0-9_$]+)+`", "value").trim();
    }
}
