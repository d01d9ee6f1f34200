package dev.extractor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.extractor.InvalidElement;
import dev.extractor.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the client says to the model: worded for one element and for several. */
class PromptsTest {

    record Product(String name) {}

    static InvalidElement invalid(int index) {
        return new InvalidElement(index, "/items/" + index, "{\"name\":\"\"}",
                List.of(new Violation("name", "must not be blank", "")));
    }

    @Test
    void theRepairPromptAgreesInNumber() {
        Shape shape = Shape.list(Product.class, dev.extractor.SchemaDialect.OPENAI_STRICT, null);
        String one = Prompts.repair(List.of(invalid(3)), shape);
        assertTrue(one.startsWith("This element of your answer is invalid:\n"), one);
        assertTrue(one.contains("holding exactly 1 corrected element, in this order"), one);
        String two = Prompts.repair(List.of(invalid(1), invalid(4)), shape);
        assertTrue(two.startsWith("These 2 elements of your answer are invalid:\n"), two);
        assertTrue(two.contains("holding exactly 2 corrected elements, in this order"), two);
    }

    @Test
    void aReAskWithNothingInvalidSaysWhatWasMissing() {
        FailedAttempt f = new FailedAttempt(1, "", List.of(), null, null);
        assertEquals("Your answer could not be used: it held no object.\n\nAnswer again with the complete, corrected"
                + " object, following the same JSON schema.", Prompts.reask(f, false, false));
    }
}
