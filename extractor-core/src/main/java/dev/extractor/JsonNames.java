package dev.extractor;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.introspect.BeanPropertyDefinition;

/**
 * The JSON names of the properties Bean Validation names by their Java names: a violation's pointer addresses the
 * JSON the model wrote ({@code /address/zip_code} for a component {@code zip} written {@code zip_code} through
 * {@code @JsonProperty}, a naming strategy or a mix-in), the same pointer a binding error on that value gets.
 * Asks the reader's own mapper (its deserialization view of each type), once per type.
 */
final class JsonNames {

    private final ObjectMapper mapper;
    /** The element type: the root of most violations, with its type arguments. */
    private final JavaType elementType;
    /** Per type: Java (internal) property name to its definition (JSON name and declared type). */
    private final Map<JavaType, Map<String, BeanPropertyDefinition>> properties = new ConcurrentHashMap<>();

    JsonNames(ObjectMapper mapper, JavaType elementType) {
        this.mapper = mapper;
        this.elementType = elementType;
    }

    /**
     * The violation's property path as a JSON Pointer relative to its root bean: a node reached in an iterable
     * adds its index or map key (as written), a property node its JSON name, container-element and bean nodes
     * nothing. A name that cannot be resolved (an unknown type on the way) stays the Java name.
     */
    String pointer(ConstraintViolation<?> v) {
        List<Path.Node> nodes = new ArrayList<>();
        v.getPropertyPath().forEach(nodes::add);
        int lastProperty = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).getKind() == ElementKind.PROPERTY) {
                lastProperty = i;
            }
        }
        JavaType type = root(v.getRootBeanClass());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node n = nodes.get(i);
            if (n.isInIterable()) {
                Object key = n.getIndex() != null ? n.getIndex() : n.getKey();
                if (key != null) {
                    sb.append('/').append(TokenFeed.escape(String.valueOf(key)));
                }
                type = type == null ? null : type.getContentType();
            }
            String name = n.getName();
            if (name == null || n.getKind() == ElementKind.CONTAINER_ELEMENT || n.getKind() == ElementKind.BEAN) {
                continue;
            }
            if (n.getKind() != ElementKind.PROPERTY) {
                sb.append('/').append(TokenFeed.escape(name));
                type = null;
                continue;
            }
            BeanPropertyDefinition p = property(type, name);
            if (p == null && i == lastProperty && v.getLeafBean() != null) {
                // the leaf bean is the one holding this property: its runtime class (a subtype of the declared one)
                p = property(mapper.constructType(v.getLeafBean().getClass()), name);
            }
            sb.append('/').append(TokenFeed.escape(p != null ? p.getName() : name));
            type = p != null ? p.getPrimaryType() : null;
        }
        return sb.toString();
    }

    private JavaType root(Class<?> rootClass) {
        if (rootClass == null) {
            return null;
        }
        return rootClass == elementType.getRawClass() ? elementType : mapper.constructType(rootClass);
    }

    private BeanPropertyDefinition property(JavaType type, String javaName) {
        while (type != null && type.isReferenceType()) { // Optional<Address>, AtomicReference<...>: the content
            type = type.getContentType();
        }
        if (type == null || type.isContainerType() || type.isJavaLangObject()) {
            return null;
        }
        return properties.computeIfAbsent(type, this::introspect).get(javaName);
    }

    private Map<String, BeanPropertyDefinition> introspect(JavaType type) {
        Map<String, BeanPropertyDefinition> out = new HashMap<>();
        try {
            BeanDescription d = mapper._deserializationContext().introspectBeanDescriptionForCreation(type);
            for (BeanPropertyDefinition p : d.findProperties()) {
                out.putIfAbsent(p.getInternalName(), p);
            }
        } catch (RuntimeException e) {
            // not introspectable: the Java names stay
        }
        return out;
    }
}
