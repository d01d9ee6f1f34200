package dev.extractor;

/**
 * An element could not be bound to its type or failed Bean Validation, under {@link InvalidElementPolicy#FAIL}.
 * Elements delivered before it stay delivered.
 */
public class ElementValidationException extends ExtractionException {

    private static final long serialVersionUID = 1L;

    private final transient InvalidElement element;

    /**
     * @param message the element's index, violations and JSON, for people
     * @param element the rejected element
     */
    public ElementValidationException(String message, InvalidElement element) {
        super(message);
        this.element = element;
    }

    /**
     * The rejected element: index, position, JSON and violations.
     *
     * @return the rejected element
     */
    public InvalidElement element() {
        return element;
    }
}
