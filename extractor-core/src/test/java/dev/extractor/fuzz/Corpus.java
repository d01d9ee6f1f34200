package dev.extractor.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The corpus format of a case: {@code # comment} lines, {@code config: <key>}, {@code api: <API>}, then one
 * {@code t:} (text), {@code b:} (hex bytes) or {@code c:<index>:<name>:} (tool call) line per fragment;
 * {@code w:<hex>} lines are answers the same reader reads first (the contract: they must not matter).
 */
final class Corpus {

    private Corpus() {}

    static String format(Fuzzer.Case cs, String signature) {
        StringBuilder sb = new StringBuilder();
        sb.append("# found as: ").append(signature.replace("\n", " ")).append('\n');
        sb.append("config: ").append(cs.config()).append('\n');
        sb.append("api: ").append(cs.api()).append('\n');
        for (Object f : cs.fragments()) {
            sb.append(Fragments.corpusLine(f)).append('\n');
        }
        return sb.toString();
    }

    /** The warm-up answers of a case ({@code w:} lines), as bytes. */
    static List<byte[]> warmUps(String text) {
        List<byte[]> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("w:")) {
                out.add(java.util.HexFormat.of().parseHex(line.substring(2)));
            }
        }
        return out;
    }

    static Fuzzer.Case parse(String text) {
        String config = null;
        Runner.Api api = Runner.Api.PUSH;
        List<Object> fragments = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("w:")) {
                continue;
            }
            if (line.startsWith("config: ")) {
                config = line.substring(8);
            } else if (line.startsWith("api: ")) {
                api = Runner.Api.valueOf(line.substring(5));
            } else {
                fragments.add(Fragments.parseCorpusLine(line));
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("no config line");
        }
        return new Fuzzer.Case(config, api, fragments);
    }
}
