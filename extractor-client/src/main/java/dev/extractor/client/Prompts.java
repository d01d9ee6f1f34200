package dev.extractor.client;

import dev.extractor.ElementValidationException;
import dev.extractor.ExtractionException;
import dev.extractor.InvalidElement;
import dev.extractor.Violation;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** What the client says to the model beside the caller's conversation: format instructions, re-asks, repairs. */
final class Prompts {

    private Prompts() {}

    /** The system-prompt instructions of {@link Mode#JSON} and {@link Mode#MD_JSON}; null in the other modes. */
    static String instructions(Mode m, ObjectNode schema) {
        String s = schema.toString();
        return switch (m) {
            case MD_JSON -> "Answer with a single ```json fenced code block holding a JSON object that conforms to"
                    + " this JSON Schema:\n" + s;
            case JSON -> "Answer with a JSON object, and nothing else, that conforms to this JSON Schema:\n" + s;
            default -> null;
        };
    }

    /** What a re-ask or repair round is about, for {@link dev.extractor.ExtractionListener#onRetry}: the invalid elements. */
    static ExtractionException invalidCause(List<InvalidElement> invalid) {
        if (invalid.isEmpty()) {
            return new ExtractionException("The answer held no value", null);
        }
        StringBuilder sb = new StringBuilder().append(invalid.size()).append(invalid.size() == 1
                ? " element is" : " elements are").append(" invalid: ");
        for (int i = 0; i < invalid.size(); i++) {
            InvalidElement e = invalid.get(i);
            sb.append(i == 0 ? "" : " | ").append("element ").append(e.index()).append(": ")
                    .append(e.violations().isEmpty() ? "" : e.violations().get(0));
        }
        return new ElementValidationException(sb.toString(), invalid.get(0));
    }

    /**
     * The re-ask of a list or single object, after the model's answer (sent back as an assistant message).
     *
     * @param calls whether the answer is given as calls of one function per subtype (polymorphic TOOLS mode)
     */
    static String reask(FailedAttempt f, boolean list, boolean calls) {
        StringBuilder sb = new StringBuilder();
        if (f.error() != null) {
            sb.append("Your answer could not be used: ").append(f.error().getMessage()).append("\n\n");
        } else if (f.invalidElements().isEmpty()) {
            sb.append("Your answer could not be used: it held no ").append(list ? "list" : "object").append(".\n\n");
        } else {
            int n = f.invalidElements().size();
            sb.append("Your answer could not be used: ").append(n).append(n == 1 ? " element is" : " elements are")
                    .append(" invalid.\n");
            for (InvalidElement e : f.invalidElements()) {
                sb.append("\n- ").append(list ? "Element " + e.index() + " (" + e.pointer() + ")" : "The object")
                        .append(": ").append(e.json()).append('\n');
                for (Violation v : e.violations()) {
                    sb.append("  - ").append(v).append('\n');
                }
            }
            sb.append('\n');
        }
        if (calls) {
            sb.append(list ? "Answer again with the complete list (every element, the invalid ones corrected): "
                    + "call the functions once per element, in order."
                    : "Answer again with the complete, corrected object: call one of the functions once.");
            return sb.toString();
        }
        sb.append(list ? "Answer again with the complete list (every element, the invalid ones corrected), "
                : "Answer again with the complete, corrected object, ").append("following the same JSON schema.");
        return sb.toString();
    }

    /** The repair round's request: the invalid elements, then how to answer, as {@code {"items"}} or as calls. */
    static String repair(List<InvalidElement> invalid, Shape shape) {
        int n = invalid.size();
        StringBuilder sb = new StringBuilder(n == 1 ? "This element of your answer is invalid:\n"
                : "These " + n + " elements of your answer are invalid:\n");
        int k = 1;
        for (InvalidElement e : invalid) {
            sb.append('\n').append(k++).append(". ").append(e.json()).append('\n');
            for (Violation v : e.violations()) {
                sb.append("   - ").append(v).append('\n');
            }
        }
        if (shape.tools() == null) {
            sb.append("\nAnswer with {\"items\": [...]} holding exactly ").append(n).append(" corrected element")
                    .append(n == 1 ? "" : "s").append(", in this order, following the same JSON schema.");
        } else {
            sb.append("\nAnswer by calling the functions once per corrected element, exactly ").append(n)
                    .append(n == 1 ? " call" : " calls").append(", in this order.");
        }
        return sb.append(" Do not repeat the other elements.").toString();
    }
}
