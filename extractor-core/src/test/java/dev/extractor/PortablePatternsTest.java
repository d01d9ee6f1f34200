package dev.extractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The portable form of a pattern matches exactly the strings the Java pattern (Bean Validation's) matches, checked with
 * Java's own regex engine as the oracle over every short string of the pattern's characters and around strings that
 * match; and it uses only syntax every grammar engine compiles.
 */
class PortablePatternsTest {

    /** Escapes that survive llama.cpp's copy into GBNF, and escaped regex metacharacters. */
    private static final Pattern ESCAPE = Pattern.compile("\\\\(.)");
    private static final String ALLOWED_ESCAPES = "tnr\\\"[]xu^$.(){}|*+?";

    static Stream<Arguments> portablePatterns() {
        return Stream.of(
                Arguments.of("P-\\d{3}", List.of("P-123", "P-000")),
                Arguments.of("[A-Z][a-z]+", List.of("Ab", "Zyx")),
                Arguments.of("\\w+@\\w+\\.com", List.of("a@b.com", "A_1@x9.com")),
                Arguments.of("a\\-b\\/c\\:d", List.of("a-b/c:d")),
                Arguments.of("[\\-a]+", List.of("-a-", "a")),
                Arguments.of("[a\\]]+", List.of("a]a", "]")),
                Arguments.of("[]a]", List.of("]", "a")),
                Arguments.of("[^]a]", List.of("b", "-")),
                Arguments.of("\\s*\\S+", List.of(" a", "\tab", "x")),
                Arguments.of("[^\\d]+", List.of("ab", "-")),
                Arguments.of("[\\d.]+", List.of("1.5", "..")),
                Arguments.of("[\\w\\s]+", List.of("a b", "_\t1")),
                Arguments.of("\\D\\W", List.of("a-", "- ")),
                Arguments.of("(?:ab)+c", List.of("abc", "ababc")),
                Arguments.of("(?<g>a|b)c", List.of("ac", "bc")),
                Arguments.of("a*?b+?c??", List.of("aab", "bc", "b")),
                Arguments.of("ab|cd", List.of("ab", "cd")),
                Arguments.of("a{2,3}b{1}c{0,}", List.of("aab", "aaabcc")),
                Arguments.of("\\x41\\u0042[\\x43-\\x45]", List.of("ABC", "ABE")),
                Arguments.of("\\^\\$\\.\\\\\\(\\)\\[\\]\\{\\}\\|\\*\\+\\?", List.of("^$.\\()[]{}|*+?")),
                Arguments.of("\"q\"", List.of("\"q\"")),
                Arguments.of("[\\^a]", List.of("^", "a")),
                Arguments.of("\\t\\n\\r\\f", List.of("\t\n\r\f")),
                Arguments.of(SchemaGeneration.LOCAL_TIME_PATTERN, List.of("09:15", "23:59:59.123")),
                Arguments.of(SchemaGeneration.PERIOD_PATTERN, List.of("P1Y2M3D", "-P1D", "P2W")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("portablePatterns")
    void thePortableFormMatchesExactlyWhatJavaMatches(String regex, List<String> matching) {
        String anchored = SchemaGeneration.anchored(regex);
        String portable = PortablePatterns.portable(anchored);
        assertNotNull(portable, anchored);
        Pattern java = Pattern.compile(anchored);
        Pattern rewritten = Pattern.compile(portable);
        Set<String> inputs = new LinkedHashSet<>();
        Set<Character> alphabet = alphabet(regex);
        allStrings(alphabet, "", 3, inputs);
        for (String positive : matching) {
            assertTrue(java.matcher(positive).matches(), () -> "the sample must match: " + positive);
            neighbours(positive, alphabet, inputs);
        }
        int matched = 0;
        for (String input : inputs) {
            boolean expected = java.matcher(input).matches();
            matched += expected ? 1 : 0;
            assertEquals(expected, rewritten.matcher(input).matches(),
                    () -> portable + " vs " + anchored + " on \"" + input + "\"");
        }
        assertTrue(matched > 0 && matched < inputs.size(), "the inputs must contain matches and misses");
        assertPortableSyntax(portable);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?=a)a", "(a)\\1", "\\bword", "\\p{L}+", "(?i)ab", "a++", "[a-z&&[^e]]", "[\\D]",
        "\\Qa.b\\E", "^a|b$", "\\x{41}", "a\\", "[abc", "(?>a)", "\\R", "\\h", "\\v"})
    void anUnportablePatternIsLeftOut(String regex) {
        assertNull(PortablePatterns.portable(SchemaGeneration.anchored(regex)), regex);
    }

    @Test
    void onlyAnchoredPatternsAreRewritten() {
        assertNull(PortablePatterns.portable("abc"));
        assertNull(PortablePatterns.portable("^abc\\$"));
        assertEquals("^abc$", PortablePatterns.portable("^abc$"));
    }

    private static void assertPortableSyntax(String portable) {
        assertTrue(portable.startsWith("^") && portable.endsWith("$"), portable);
        assertTrue(!portable.contains("(?"), portable);
        Matcher m = ESCAPE.matcher(portable);
        while (m.find()) {
            assertTrue(ALLOWED_ESCAPES.indexOf(m.group(1).charAt(0)) >= 0, () -> "escape \\" + m.group(1)
                    + " in " + portable);
        }
    }

    /** The characters of the pattern and a few others (letters, a digit, space, tab, punctuation). */
    private static Set<Character> alphabet(String regex) {
        Set<Character> chars = new LinkedHashSet<>();
        for (char c : regex.toCharArray()) {
            if (c != '\\') {
                chars.add(c);
            }
        }
        for (char c : "aZ59_ \t-.".toCharArray()) {
            chars.add(c);
        }
        return chars;
    }

    private static void allStrings(Set<Character> alphabet, String prefix, int maxLength, Set<String> out) {
        out.add(prefix);
        if (prefix.length() == maxLength) {
            return;
        }
        for (char c : alphabet) {
            allStrings(alphabet, prefix + c, maxLength, out);
        }
    }

    /** Every string one edit away from {@code s}: each character replaced, deleted, or one inserted. */
    private static void neighbours(String s, Set<Character> alphabet, Set<String> out) {
        out.add(s);
        List<Character> chars = new ArrayList<>(alphabet);
        for (int i = 0; i <= s.length(); i++) {
            for (char c : chars) {
                out.add(s.substring(0, i) + c + s.substring(i));
                if (i < s.length()) {
                    out.add(s.substring(0, i) + c + s.substring(i + 1));
                }
            }
            if (i < s.length()) {
                out.add(s.substring(0, i) + s.substring(i + 1));
            }
        }
    }
}
