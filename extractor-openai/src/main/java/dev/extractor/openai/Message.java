package dev.extractor.openai;

import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who speaks
 * @param content what is said
 */
public record Message(Role role, String content) {

    /** Who speaks. */
    public enum Role {
        /** Instructions for the model. */
        SYSTEM("system"),
        /** The user. */
        USER("user"),
        /** The model (an earlier answer, in a multi-turn conversation or a few-shot example). */
        ASSISTANT("assistant");

        private final String wire;

        Role(String wire) {
            this.wire = wire;
        }

        /**
         * The role as the API spells it ({@code system}, {@code user}, {@code assistant}).
         *
         * @return the wire name
         */
        public String wireName() {
            return wire;
        }
    }

    /**
     * Checks that role and content are set.
     *
     * @param role who speaks
     * @param content what is said
     */
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /**
     * A system message.
     *
     * @param content the instructions
     * @return the message
     */
    public static Message system(String content) {
        return new Message(Role.SYSTEM, content);
    }

    /**
     * A user message.
     *
     * @param content what the user says
     * @return the message
     */
    public static Message user(String content) {
        return new Message(Role.USER, content);
    }

    /**
     * An assistant message.
     *
     * @param content what the model said
     * @return the message
     */
    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content);
    }
}
