package dev.extractor.testing;

import java.io.IOException;

/** The wire formats a {@link SimulatedModel} speaks, told apart by the request's path. */
enum WireFormat {
    /** {@code POST /v1/chat/completions}. */
    CHAT_COMPLETIONS,
    /** {@code POST /v1/responses}. */
    RESPONSES,
    /** {@code POST /v1/messages}. */
    ANTHROPIC,
    /** {@code POST /v1beta/models/{model}:streamGenerateContent} (and {@code :generateContent}). */
    GEMINI;

    /** The format served on {@code path} (without its query), or null. */
    static WireFormat of(String path) {
        if (path.equals(SimulatedModel.BASE_PATH + "/chat/completions")) {
            return CHAT_COMPLETIONS;
        }
        if (path.equals(SimulatedModel.BASE_PATH + "/responses")) {
            return RESPONSES;
        }
        if (path.equals(SimulatedModel.BASE_PATH + "/messages")) {
            return ANTHROPIC;
        }
        if ((path.startsWith("/v1beta/models/") || path.startsWith("/v1/models/"))
                && (path.endsWith(":streamGenerateContent") || path.endsWith(":generateContent"))) {
            return GEMINI;
        }
        return null;
    }

    /** Writes {@code reply} in this format; returns whether the connection may be reused. */
    boolean write(HttpConnection conn, SimulatedModel model, Reply reply, RecordedRequest request, long startNanos,
            boolean keepAlive) throws IOException {
        return switch (this) {
            case CHAT_COMPLETIONS -> new ChatReplyWriter(conn, model, reply, request, startNanos, keepAlive).write();
            case RESPONSES -> new ResponsesReplyWriter(conn, model, reply, request, startNanos, keepAlive).write();
            case ANTHROPIC -> new AnthropicReplyWriter(conn, model, reply, request, startNanos, keepAlive).write();
            case GEMINI -> {
                String target = request.path();
                int q = target.indexOf('?');
                String path = q < 0 ? target : target.substring(0, q);
                String query = q < 0 ? "" : target.substring(q + 1);
                int colon = path.lastIndexOf(':');
                String modelName = path.substring(path.indexOf("/models/") + "/models/".length(), colon);
                boolean stream = path.endsWith(":streamGenerateContent");
                boolean sse = ("&" + query + "&").contains("&alt=sse&");
                yield new GeminiReplyWriter(conn, model, reply, request, startNanos, keepAlive,
                        java.net.URLDecoder.decode(modelName, java.nio.charset.StandardCharsets.UTF_8), stream, sse)
                        .write();
            }
        };
    }
}
