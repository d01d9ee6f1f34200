package dev.extractor.client.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP request a {@link WireFormat} makes of a {@link RequestSpec}: where to {@code POST}, with which headers
 * (authentication, API version, {@code Accept}), and the body. The client adds the caller's own headers and query
 * parameters ({@code ExtractorBuilder.header}, {@code queryParameter}) and sends it. Immutable.
 */
public final class WireRequest {

    private final String url;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String contentType;

    private WireRequest(String url, Map<String, String> headers, byte[] body, String contentType) {
        this.url = Objects.requireNonNull(url, "url");
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = Objects.requireNonNull(body, "body").clone();
        this.contentType = Objects.requireNonNull(contentType, "contentType");
    }

    /**
     * A JSON request ({@code Content-Type: application/json; charset=utf-8}).
     *
     * @param url the absolute http(s) URL, query included
     * @param headers the headers, in order
     * @param body the body
     * @return the request
     */
    public static WireRequest json(String url, Map<String, String> headers, byte[] body) {
        return new WireRequest(url, headers, body, "application/json; charset=utf-8");
    }

    /**
     * The absolute URL, query included.
     *
     * @return the absolute URL, query included
     */
    public String url() {
        return url;
    }

    /**
     * The headers, in order (the API key among them: never log them).
     *
     * @return the headers, in order
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * The body (a copy).
     *
     * @return the body (a copy)
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body's content type.
     *
     * @return the body's content type
     */
    public String contentType() {
        return contentType;
    }

    /** The URL without its query, and the header names: never their values, which hold the key. */
    @Override
    public String toString() {
        int q = url.indexOf('?');
        return "WireRequest[POST " + (q < 0 ? url : url.substring(0, q) + "?(query hidden)") + ", headers "
                + headers.keySet() + ", " + body.length + " bytes]";
    }
}
