package org.tamer.routes.adapters;

import java.util.Objects;

/**
 * Bad input to an adapter: names the file (or message), the field and the reason, so that an integration engineer
 * can find the problem without a debugger. Adapters throw this instead of returning partial data.
 */
public class EcgFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String field;
    private final String reason;

    public EcgFormatException(String file, String field, String reason) {
        this(file, field, reason, null);
    }

    public EcgFormatException(String file, String field, String reason, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(field, "field") + ": "
                + Objects.requireNonNull(reason, "reason"), cause);
        this.file = file;
        this.field = field;
        this.reason = reason;
    }

    /** The file or message the bad input came from. */
    public String file() {
        return file;
    }

    /** The field, element or segment that is wrong. */
    public String field() {
        return field;
    }

    /** Why it is wrong. */
    public String reason() {
        return reason;
    }
}
