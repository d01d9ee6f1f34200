package dev.extractor.client;

import java.util.Objects;

/**
 * One message of a conversation: who speaks, and what is said. Immutable; made with {@link #system}, {@link #user}
 * or {@link #assistant}. Each wire format writes it its own way (Anthropic and Gemini take system messages apart
 * from the conversation).
 */
public final class Message {

    /** Who speaks. */
    public enum Role {
        /** Instructions for the model. */
        SYSTEM,
        /** The user. */
        USER,
        /** The model (an earlier answer, in a multi-turn conversation or a few-shot example). */
        ASSISTANT
    }

    private final Role role;
    private final String content;

    private Message(Role role, String content) {
        this.role = Objects.requireNonNull(role, "role");
        this.content = Objects.requireNonNull(content, "content");
    }

    /**
     * A message of {@code role}.
     *
     * @param role who speaks
     * @param content what is said
     * @return the message
     */
    public static Message of(Role role, String content) {
        return new Message(role, content);
    }

    /**
     * A system message.
     *
     * @param content what is said
     * @return a system message
     */
    public static Message system(String content) {
        return new Message(Role.SYSTEM, content);
    }

    /**
     * A user message.
     *
     * @param content what is said
     * @return a user message
     */
    public static Message user(String content) {
        return new Message(Role.USER, content);
    }

    /**
     * An assistant message.
     *
     * @param content what is said
     * @return an assistant message
     */
    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content);
    }

    /**
     * Who speaks.
     *
     * @return who speaks
     */
    public Role role() {
        return role;
    }

    /**
     * What is said.
     *
     * @return what is said
     */
    public String content() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && role == m.role && content.equals(m.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, content);
    }

    @Override
    public String toString() {
        return "Message[" + role + ", " + content.length() + " chars]";
    }
}
