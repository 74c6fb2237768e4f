package dev.shopstream.producer.web;

import jakarta.ws.rs.BadRequestException;

/**
 * A request parameter or body field the API cannot accept; answered with 400 and the parameter's name. A
 * {@link BadRequestException}, so that JAX-RS passes it on unchanged when a {@code ParamConverter} throws it.
 */
public class InvalidParameterException extends BadRequestException {

    /** How much of a refused value an error message repeats. */
    static final int SHOWN_CHARACTERS = 64;

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }

    /**
     * A refused value as an error message may repeat it: at most {@link #SHOWN_CHARACTERS} characters, control
     * characters and unpaired surrogates as {@code \\uXXXX}, so the answer is always valid, short JSON text.
     */
    public static String shown(String value) {
        StringBuilder shown = new StringBuilder();
        int i = 0;
        for (; i < value.length() && i < SHOWN_CHARACTERS; i++) {
            char c = value.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
                    : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
            if (Character.isISOControl(c) || (Character.isSurrogate(c) && !paired)) {
                shown.append(String.format("\\u%04X", (int) c));
            } else {
                shown.append(c);
            }
        }
        if (i < value.length()) {
            if (Character.isHighSurrogate(shown.charAt(shown.length() - 1))) { // never cut a pair in two
                shown.setLength(shown.length() - 1);
            }
            shown.append("… (").append(value.length()).append(" characters)");
        }
        return shown.toString();
    }
}
