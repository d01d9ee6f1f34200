package dev.extractor.openai;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a server says about an error, from the shapes seen in the wild: OpenAI's {@code {"error": {"message",
 * "type", "code", "param"}}}, {@code {"error": "text"}}, vLLM's and FastAPI's top-level {@code message} /
 * {@code detail}, Gemini's list {@code [{"error": ...}]}; anything else (an HTML page from a proxy) becomes the
 * message, abbreviated. Errors are rare, so a tree is fine here.
 */
record ErrorBody(String message, String type, String code, String param) {

    private static final JsonMapper MAPPER = dev.extractor.internal.JacksonCheck.newMapper();
    private static final int MAX_BODY = 500;

    static ErrorBody parse(String body) {
        if (body == null || body.isBlank()) {
            return new ErrorBody(null, null, null, null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return new ErrorBody(abbreviate(body.strip()), null, null, null);
        }
        if (root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        JsonNode err = root.get("error");
        if (err != null && err.isString()) {
            return new ErrorBody(err.asString(), text(root, "type"), text(root, "code"), text(root, "param"));
        }
        JsonNode node = err != null && err.isObject() ? err : root;
        String message = text(node, "message");
        if (message == null) {
            message = text(node, "detail");
        }
        if (message == null && node.get("detail") != null) {
            message = abbreviate(node.get("detail").toString());
        }
        if (message == null) {
            message = abbreviate(body.strip());
        }
        String type = text(node, "type");
        if (type == null) {
            type = text(node, "status"); // Google's {"code": 400, "status": "INVALID_ARGUMENT"}
        }
        return new ErrorBody(message, type, text(node, "code"), text(node, "param"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainer()) {
            return null;
        }
        String s = v.asString();
        return s.isEmpty() ? null : s;
    }

    static String abbreviate(String s) {
        return s.length() <= MAX_BODY ? s : s.substring(0, MAX_BODY) + "... (" + s.length() + " chars)";
    }

    /** {@code message (type: t, code: c, param: p)}, leaving out what is missing. */
    String describe() {
        StringBuilder sb = new StringBuilder(message == null ? "(no message)" : message);
        String sep = " (";
        if (type != null) {
            sb.append(sep).append("type: ").append(type);
            sep = ", ";
        }
        if (code != null) {
            sb.append(sep).append("code: ").append(code);
            sep = ", ";
        }
        if (param != null) {
            sb.append(sep).append("param: ").append(param);
            sep = ", ";
        }
        return sep.equals(", ") ? sb.append(')').toString() : sb.toString();
    }
}
