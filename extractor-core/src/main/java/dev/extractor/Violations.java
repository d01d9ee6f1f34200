package dev.extractor;

import jakarta.validation.ConstraintViolation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Why an element was rejected, in one format for binding and Bean Validation: a JSON Pointer relative to the
 * element ({@code /picks/0/productId}) and a short message worded like Hibernate Validator's ({@code must be
 * between -2147483648 and 2147483647}), never Jackson's raw text with its types and source locations.
 */
final class Violations {

    private static final Pattern ENUM_VALUES = Pattern.compile("accepted for Enum class: (\\[[^\\]]*\\])");
    private static final Pattern KNOWN_IDS = Pattern.compile("known type ids = (\\[[^\\]]*\\])");
    private static final Pattern TYPE_NAME = Pattern.compile("`(?:[\\w$]+[.$])*([\\w]+)(?:<[^`]*>)?`");

    private Violations() { }

    /**
     * The violations Bean Validation found, sorted by pointer then message; each pointer is {@code base} plus the
     * violation's path with the properties' JSON names, as {@code names} resolves them.
     */
    static <T> List<Violation> of(Set<ConstraintViolation<T>> set, String base, JsonNames names) {
        List<Violation> out = new ArrayList<>(set.size());
        for (ConstraintViolation<T> v : set) {
            Object bad = v.getInvalidValue();
            out.add(new Violation(base + names.pointer(v), v.getMessage(),
                    bad == null ? null : abbreviate(String.valueOf(bad), 200)));
        }
        out.sort(Comparator.comparing(Violation::path).thenComparing(Violation::message));
        return out;
    }

    /**
     * The violation for a binding failure; {@code p} is the parser that failed, still on the offending token
     * (its text becomes the invalid value).
     */
    static Violation binding(JacksonException e, JsonParser p) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append('/').append(TokenFeed.escape(ref.getPropertyName()));
            } else if (ref.getIndex() >= 0) {
                path.append('/').append(ref.getIndex());
            }
        }
        return new Violation(path.toString(), message(e), offending(p));
    }

    /** The violation for an exception that is not Jackson's, thrown while binding. */
    static Violation unbindable(RuntimeException e, JsonParser p) {
        String why = e instanceof NumberFormatException ? "is a number that cannot be represented"
                : "could not be bound: " + clean(String.valueOf(e.getMessage()));
        return new Violation("", why, offending(p));
    }

    private static String offending(JsonParser p) {
        if (p == null) {
            return null;
        }
        try {
            JsonToken t = p.currentToken();
            return t != null && t.isScalarValue() && t != JsonToken.VALUE_NULL ? abbreviate(p.getString(), 200) : null;
        } catch (RuntimeException ignored) {
            return null;
        }
    }

    private static String message(JacksonException e) {
        String original = String.valueOf(e.getOriginalMessage());
        if (e instanceof InputCoercionException c) {
            String range = range(c.getTargetType());
            if (range != null) {
                return range;
            }
        } else if (e instanceof UnrecognizedPropertyException) {
            return "is not a known property";
        } else if (e instanceof InvalidTypeIdException t) {
            Matcher m = KNOWN_IDS.matcher(original);
            String known = m.find() ? " (known: " + m.group(1) + ")" : "";
            return t.getTypeId() == null ? "has no type id" + known : "unknown type id '" + t.getTypeId() + "'" + known;
        } else if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            return "was rejected by its constructor: " + clean(String.valueOf(cause.getMessage()));
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            Class<?> target = m.getTargetType();
            if (original.startsWith("Cannot map `null`")) {
                return "must not be null";
            }
            if (e instanceof InvalidFormatException && target.isEnum()) {
                Matcher values = ENUM_VALUES.matcher(original);
                return values.find() ? "must be one of " + values.group(1) : "must be one of the enum's values";
            }
            String kind = kind(target);
            if (kind != null) {
                return "must be " + kind;
            }
            if (e instanceof InvalidFormatException) {
                return "must be a valid " + target.getSimpleName();
            }
        }
        return clean(original);
    }

    /** "must be between MIN and MAX" for the integral types. */
    private static String range(Class<?> t) {
        if (t == int.class || t == Integer.class) {
            return "must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        } else if (t == long.class || t == Long.class) {
            return "must be between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        } else if (t == short.class || t == Short.class) {
            return "must be between " + Short.MIN_VALUE + " and " + Short.MAX_VALUE;
        } else if (t == byte.class || t == Byte.class) {
            return "must be between " + Byte.MIN_VALUE + " and " + Byte.MAX_VALUE;
        }
        return null;
    }

    /** What a value of the target type is, in JSON terms ("an integer", "an object", ...), or null. */
    private static String kind(Class<?> t) {
        if (t == String.class || t == CharSequence.class || t == char.class || t == Character.class) {
            return "a string";
        } else if (range(t) != null || t == BigInteger.class) {
            return "an integer";
        } else if (t == double.class || t == Double.class || t == float.class || t == Float.class
                || t == BigDecimal.class || t == Number.class) {
            return "a number";
        } else if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        } else if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "an array";
        } else if (Map.class.isAssignableFrom(t) || t.isRecord()
                || !(t.isPrimitive() || t.isEnum() || t.getName().startsWith("java."))) {
            return "an object";
        }
        return null;
    }

    /** Jackson's text without its backquoted qualified type names. */
    static String clean(String message) {
        return TYPE_NAME.matcher(message).replaceAll("$1");
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }
}
