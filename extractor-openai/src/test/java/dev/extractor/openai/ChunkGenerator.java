package dev.extractor.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates chat.completion.chunk payloads as servers write them and as they might: every envelope field in a
 * random order, random whitespace between tokens, strings written raw or escaped at random (short escapes,
 * {@code \\uXXXX} in either case, surrogate pairs raw or as two escapes, lone surrogates, control characters),
 * numbers in every JSON form, nulls, booleans, unknown fields holding nested objects, tool calls with and without
 * index, usage objects, refusals, errors, duplicated and escaped property names; and, on request, byte-level
 * mutations of them (invalid UTF-8, a stray quote or bracket, a truncation).
 *
 * <p>For each payload it also says, when it is certain, what text choice 0's deltas carry ({@link Payload#text}):
 * an oracle independent of both decoders.
 */
final class ChunkGenerator {

    /** One payload; {@code text} is choice 0's content, or null when the generator does not vouch for it. */
    record Payload(byte[] bytes, String text) {}

    /** A JSON number, written as this text. */
    private record Num(String text) {}

    /** A property name; {@code escaped}: written with at least one {@code \\u} escape. */
    private record Key(String name, boolean escaped) {}

    /** An object: key, value, key, value... (duplicates allowed, order kept). */
    private record Obj(List<Object> members) {}

    private static final String[] NUMBERS = {"0", "1", "-1", "7", "12", "1.5", "-0", "0.0", "1e2", "1E-2", "2.50",
        "12345678901234567890", "99999999999", "-0.0", "1e400", "123456789", "1234567890", "3.14159265358979323846",
        "-12.5e+3", "100"};
    private static final String[] TEXT_POOL = {"a", "b", "Z", "0", " ", "{", "}", "[", "]", ",", ":", "\"", "\\", "/",
        "\n", "\t", "\r", "\b", "\f", "\u0001", "\u001f", "\u007f", "é", "Ω", "☃", "世", "\u2028", "\uFEFF",
        "\uFFFF", "😀", "𝄞", "\uD83D", "\uDE00", "true", "null", "\\u0041", "items", "\"name\":"};
    private static final String[] IDS = {"chatcmpl-AbC123", "chatcmpl-B9xYz", "", "gen-1732-xyz", "résumé-1", "id\"q"};
    private static final String[] MODELS = {"gpt-4o-2024-08-06", "gpt-4o-mini", "", "llama-3.1-8b", "mod\u00e8le"};
    private static final String[] FINISH = {"stop", "length", "tool_calls", "content_filter", "", "function_call"};
    private static final byte[][] BAD_BYTES = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80,
        (byte) 0x80}, {(byte) 0xC3}, {0x00}, {0x1F}, {'"'}, {'\\'}, {'{'}, {'}'}, {'['}, {']'}, {','}, {':'},
        {'0'}, {'-'}, {'e'}, {' '}, {'\\', 'x'}, {'\\', 'u', '1'}};

    private final Random r;
    private final double whitespace; // per token gap, the chance of whitespace
    private final double escapes; // per character, the chance of an escape where none is needed
    private String id = IDS[0];
    private String model = MODELS[0];
    private String pendingHigh; // a high surrogate the last content ended with, for the next one to complete

    ChunkGenerator(long seed) {
        r = new Random(seed);
        whitespace = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.4;
        escapes = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.3;
    }

    /** A stream of {@code n} payloads (ids and models that mostly stay, now and then change). */
    List<Payload> stream(int n, double mutations) {
        List<Payload> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Payload p = payload();
            if (r.nextDouble() < mutations) {
                p = new Payload(mutate(p.bytes()), null);
            }
            out.add(p);
        }
        return out;
    }

    Payload payload() {
        if (r.nextInt(10) == 0) {
            id = pick(IDS);
        }
        if (r.nextInt(10) == 0) {
            model = pick(MODELS);
        }
        int kind = r.nextInt(100);
        StringBuilder text = new StringBuilder();
        boolean[] certain = {true};
        Object chunk;
        if (kind < 55) {
            chunk = envelope(list(choice(0, contentDelta(text), null, certain)), certain);
        } else if (kind < 62) {
            Obj delta = obj("role", "assistant", "content", "", "refusal", null);
            chunk = envelope(list(choice(0, delta, null, certain)), certain);
        } else if (kind < 72) {
            chunk = envelope(list(choice(0, toolDelta(), null, certain)), certain);
        } else if (kind < 76) {
            chunk = envelope(list(choice(0, obj(), pick(FINISH), certain)), certain);
        } else if (kind < 80) {
            chunk = envelope(list(), certain);
            ((Obj) chunk).members().addAll(list(new Key("usage", false), usage(certain)));
        } else if (kind < 83) {
            Obj delta = obj("content", null, "refusal", randomText());
            chunk = envelope(list(choice(0, delta, null, certain)), certain);
        } else if (kind < 86) {
            // several choices (n > 1), in any order
            List<Object> choices = new ArrayList<>();
            for (int c = r.nextInt(3) + 1; c > 0; c--) {
                int index = r.nextInt(3);
                StringBuilder t = index == 0 ? text : new StringBuilder();
                choices.add(choice(index, contentDelta(t), r.nextInt(4) == 0 ? pick(FINISH) : null, certain));
            }
            chunk = envelope(choices, certain);
        } else if (kind < 88) {
            certain[0] = false;
            chunk = r.nextBoolean() ? obj("error", obj("message", randomText(), "type", "server_error", "code", new Num("502")))
                    : envelope(list(choice(0, contentDelta(text), null, certain)), certain);
            if (chunk instanceof Obj o && o.members().get(0) instanceof Key k && !k.name().equals("error")) {
                o.members().addAll(list(new Key("error", false), r.nextBoolean() ? null : obj("message", "x")));
            }
        } else {
            certain[0] = false;
            chunk = chaos(0);
        }
        byte[] bytes = write(chunk);
        return new Payload(bytes, certain[0] ? text.toString() : null);
    }

    // ------------------------------------------------------------------ shapes

    private Obj envelope(List<Object> choices, boolean[] certain) {
        List<Object[]> fields = new ArrayList<>();
        fields.add(new Object[] {"id", r.nextInt(20) == 0 ? randomValue(1) : id});
        fields.add(new Object[] {"object", "chat.completion.chunk"});
        fields.add(new Object[] {"created", new Num(Integer.toString(1_700_000_000 + r.nextInt(1000)))});
        fields.add(new Object[] {"model", r.nextInt(20) == 0 ? randomValue(1) : model});
        if (r.nextBoolean()) {
            fields.add(new Object[] {"service_tier", r.nextBoolean() ? "default" : null});
        }
        fields.add(new Object[] {"system_fingerprint", r.nextBoolean() ? "fp_" + Integer.toHexString(r.nextInt())
                : null});
        fields.add(new Object[] {"choices", new ArrayList<>(choices)});
        if (r.nextBoolean()) {
            fields.add(new Object[] {"usage", null});
        }
        if (r.nextInt(3) == 0) {
            fields.add(new Object[] {"obfuscation", randomAscii(r.nextInt(12))});
        }
        if (r.nextInt(4) == 0) {
            fields.add(new Object[] {"x_" + r.nextInt(100), randomValue(2)});
        }
        if (r.nextInt(8) == 0) {
            fields.add(new Object[] {"prompt_filter_results", list(obj("prompt_index", new Num("0"),
                    "content_filter_results", obj("hate", obj("filtered", false, "severity", "safe"))))});
        }
        if (r.nextInt(3) > 0) {
            java.util.Collections.shuffle(fields, r);
        }
        Obj o = new Obj(new ArrayList<>());
        for (Object[] f : fields) {
            o.members().add(key((String) f[0]));
            o.members().add(f[1]);
        }
        return o;
    }

    private Obj choice(int index, Obj delta, String finish, boolean[] certain) {
        List<Object[]> fields = new ArrayList<>();
        if (index != 0 || r.nextInt(10) > 0) {
            fields.add(new Object[] {"index", new Num(Integer.toString(index))});
        }
        fields.add(new Object[] {r.nextInt(30) == 0 ? "message" : "delta", delta});
        if (r.nextBoolean()) {
            fields.add(new Object[] {"logprobs", r.nextInt(3) > 0 ? null : logprobs()});
        }
        fields.add(new Object[] {"finish_reason", finish});
        if (r.nextInt(10) == 0) {
            fields.add(new Object[] {"content_filter_results", obj()});
        }
        if (r.nextInt(15) == 0) {
            // an index the Jackson path ignores or refuses: the generator does not vouch for the text then
            certain[0] = false;
            fields.add(new Object[] {"index", r.nextBoolean() ? new Num(pick(NUMBERS)) : randomValue(1)});
        }
        if (r.nextInt(3) > 0) {
            java.util.Collections.shuffle(fields, r);
        }
        Obj o = new Obj(new ArrayList<>());
        for (Object[] f : fields) {
            o.members().add(key((String) f[0]));
            o.members().add(f[1]);
        }
        return o;
    }

    private Obj contentDelta(StringBuilder text) {
        String t = randomText();
        if (pendingHigh != null && r.nextBoolean()) {
            t = "\uDE00" + t; // completes the surrogate pair the last delta ended with
        }
        pendingHigh = null;
        if (r.nextInt(8) == 0) {
            t = t + "\uD83D"; // a pair split across two deltas
            pendingHigh = "\uD83D";
        }
        text.append(t);
        Obj d = r.nextInt(10) == 0 ? obj("role", "assistant", "content", t) : obj("content", t);
        if (r.nextInt(10) == 0) {
            d.members().addAll(list(key("reasoning_content"), r.nextBoolean() ? null : randomText()));
        }
        if (r.nextInt(15) == 0) {
            d.members().addAll(list(key("tool_calls"), r.nextBoolean() ? null : list()));
        }
        return d;
    }

    private Obj toolDelta() {
        List<Object> calls = new ArrayList<>();
        for (int c = r.nextInt(3) == 0 ? 2 : 1; c > 0; c--) {
            List<Object[]> fields = new ArrayList<>();
            if (r.nextInt(4) > 0) {
                fields.add(new Object[] {"index", new Num(Integer.toString(r.nextInt(3)))});
            }
            if (r.nextInt(3) == 0) {
                fields.add(new Object[] {"id", "call_" + r.nextInt(5)});
                fields.add(new Object[] {"type", "function"});
            }
            if (r.nextInt(10) > 0) {
                Obj fn = new Obj(new ArrayList<>());
                if (r.nextInt(3) == 0) {
                    fn.members().addAll(list(key("name"), pick(new String[] {"get_weather", "f", "", "g"})));
                }
                Object args = r.nextInt(12) == 0 ? randomValue(2) : randomText();
                fn.members().addAll(list(key("arguments"), args));
                fields.add(new Object[] {"function", fn});
            }
            if (r.nextBoolean()) {
                java.util.Collections.shuffle(fields, r);
            }
            Obj call = new Obj(new ArrayList<>());
            for (Object[] f : fields) {
                call.members().add(key((String) f[0]));
                call.members().add(f[1]);
            }
            calls.add(call);
        }
        Obj d = obj("tool_calls", calls);
        if (r.nextInt(20) == 0) {
            d = obj("function_call", obj("name", "f", "arguments", randomText()));
        }
        return d;
    }

    private Object usage(boolean[] certain) {
        Obj u = new Obj(new ArrayList<>());
        String[] names = {"prompt_tokens", "completion_tokens", "total_tokens"};
        for (String n : names) {
            if (r.nextInt(8) == 0) {
                continue;
            }
            Object v;
            int k = r.nextInt(12);
            if (k == 0) {
                v = null;
            } else if (k == 1) {
                v = new Num(pick(NUMBERS)); // floats, huge: Jackson coerces or refuses
                certain[0] = false;
            } else if (k == 2) {
                v = r.nextBoolean() ? "12" : true;
                certain[0] = false;
            } else {
                v = new Num(Integer.toString(r.nextInt(5000)));
            }
            u.members().addAll(list(key(n), v));
        }
        if (r.nextBoolean()) {
            u.members().addAll(list(key("completion_tokens_details"), obj("reasoning_tokens", new Num("0"),
                    "accepted_prediction_tokens", new Num("0"))));
        }
        return u;
    }

    private Obj logprobs() {
        List<Object> content = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            content.add(obj("token", randomText(), "logprob", new Num("-0.0" + r.nextInt(1000)), "bytes",
                    list(new Num("104"), new Num("105")), "top_logprobs", list()));
        }
        return obj("content", content, "refusal", null);
    }

    /** Any JSON, with the decoder's names at random places and of random types. */
    private Object chaos(int depth) {
        String[] names = {"id", "model", "choices", "usage", "error", "index", "delta", "message", "finish_reason",
            "content", "refusal", "tool_calls", "function_call", "function", "name", "arguments", "prompt_tokens",
            "completion_tokens", "total_tokens", "other", "é"};
        int k = depth > 6 ? 3 : r.nextInt(depth == 0 ? 2 : 6);
        if (k == 0) {
            Obj o = new Obj(new ArrayList<>());
            for (int n = r.nextInt(5); n > 0; n--) {
                o.members().add(new Key(pick(names), r.nextInt(6) == 0));
                o.members().add(chaos(depth + 1));
            }
            return o;
        }
        if (k == 1) {
            List<Object> a = new ArrayList<>();
            for (int n = r.nextInt(4); n > 0; n--) {
                a.add(chaos(depth + 1));
            }
            return a;
        }
        return randomValue(0);
    }

    private Object randomValue(int depth) {
        switch (r.nextInt(depth > 0 ? 8 : 6)) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return new Num(pick(NUMBERS));
            case 3: case 4: case 5: return randomText();
            case 6: return obj("a", randomValue(depth - 1), "b", list(randomValue(depth - 1)));
            default: return list(randomValue(depth - 1), new Num("1"));
        }
    }

    private String randomText() {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(7); n > 0; n--) {
            sb.append(r.nextInt(3) == 0 ? pick(TEXT_POOL) : randomAscii(1));
        }
        return sb.toString();
    }

    private String randomAscii(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) (' ' + r.nextInt(95)));
        }
        return sb.toString();
    }

    private static List<Object> list(Object... items) {
        return new ArrayList<>(java.util.Arrays.asList(items));
    }

    private Obj obj(Object... kv) {
        Obj o = new Obj(new ArrayList<>());
        for (int i = 0; i < kv.length; i += 2) {
            o.members().add(key((String) kv[i]));
            o.members().add(kv[i + 1]);
        }
        return o;
    }

    private Key key(String name) {
        return new Key(name, escapes > 0 && r.nextInt(40) == 0);
    }

    private String pick(String[] a) {
        return a[r.nextInt(a.length)];
    }

    // ------------------------------------------------------------------ writing

    private byte[] write(Object v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        value(out, v);
        return out.toByteArray();
    }

    private void gap(ByteArrayOutputStream out) {
        if (whitespace > 0 && r.nextDouble() < whitespace) {
            for (int n = r.nextInt(3) + 1; n > 0; n--) {
                out.write(" \t\n\r".charAt(r.nextInt(4)));
            }
        }
    }

    private void value(ByteArrayOutputStream out, Object v) {
        if (v == null) {
            ascii(out, "null");
        } else if (v instanceof Boolean b) {
            ascii(out, b.toString());
        } else if (v instanceof Num n) {
            ascii(out, n.text());
        } else if (v instanceof String s) {
            string(out, s, false, false);
        } else if (v instanceof Obj o) {
            out.write('{');
            for (int i = 0; i < o.members().size(); i += 2) {
                gap(out);
                if (i > 0) {
                    out.write(',');
                    gap(out);
                }
                Key k = (Key) o.members().get(i);
                string(out, k.name(), true, k.escaped());
                gap(out);
                out.write(':');
                gap(out);
                value(out, o.members().get(i + 1));
            }
            gap(out);
            out.write('}');
        } else if (v instanceof List<?> l) {
            out.write('[');
            for (int i = 0; i < l.size(); i++) {
                gap(out);
                if (i > 0) {
                    out.write(',');
                    gap(out);
                }
                value(out, l.get(i));
            }
            gap(out);
            out.write(']');
        } else {
            throw new IllegalArgumentException(String.valueOf(v));
        }
    }

    /** A name is escaped only when {@code forceEscape} (its first character); a value at random. */
    private void string(ByteArrayOutputStream out, String s, boolean name, boolean forceEscape) {
        out.write('"');
        boolean escapedOne = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = name ? forceEscape && !escapedOne : escapes > 0 && r.nextDouble() < escapes;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (escape) {
                    unicode(out, c);
                    unicode(out, s.charAt(i + 1));
                } else {
                    byte[] b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    out.write(b, 0, b.length);
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                unicode(out, c); // lone: only an escape can carry it
            } else if (c == '"' || c == '\\') {
                if (escape) {
                    unicode(out, c);
                } else {
                    out.write('\\');
                    out.write(c);
                }
            } else if (c < 0x20) {
                String shortForm = switch (c) {
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    case '\r' -> "\\r";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> null;
                };
                if (shortForm != null && !escape) {
                    ascii(out, shortForm);
                } else {
                    unicode(out, c);
                }
            } else if (escape) {
                if (c == '/' && r.nextBoolean()) {
                    ascii(out, "\\/");
                } else {
                    unicode(out, c);
                }
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
            escapedOne |= escape;
        }
        out.write('"');
    }

    private void unicode(ByteArrayOutputStream out, char c) {
        String hex = String.format("%04x", (int) c);
        ascii(out, "\\u" + (r.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT)));
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        if (s != null) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            out.write(b, 0, b.length);
        }
    }

    // ------------------------------------------------------------------ mutations

    private byte[] mutate(byte[] b) {
        byte[] out = b;
        for (int n = r.nextInt(3) + 1; n > 0; n--) {
            int at = out.length == 0 ? 0 : r.nextInt(out.length + 1);
            switch (r.nextInt(4)) {
                case 0 -> { // insert
                    byte[] ins = BAD_BYTES[r.nextInt(BAD_BYTES.length)];
                    byte[] x = new byte[out.length + ins.length];
                    System.arraycopy(out, 0, x, 0, at);
                    System.arraycopy(ins, 0, x, at, ins.length);
                    System.arraycopy(out, at, x, at + ins.length, out.length - at);
                    out = x;
                }
                case 1 -> { // delete
                    if (at < out.length) {
                        byte[] x = new byte[out.length - 1];
                        System.arraycopy(out, 0, x, 0, at);
                        System.arraycopy(out, at + 1, x, at, out.length - at - 1);
                        out = x;
                    }
                }
                case 2 -> { // replace
                    if (at < out.length) {
                        out = out.clone();
                        out[at] = BAD_BYTES[r.nextInt(BAD_BYTES.length)][0];
                    }
                }
                default -> out = java.util.Arrays.copyOf(out, at); // truncate
            }
        }
        return out;
    }
}
