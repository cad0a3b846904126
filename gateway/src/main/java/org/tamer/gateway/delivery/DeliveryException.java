package org.tamer.gateway.delivery;

/** A result could not be delivered; {@code permanent} when trying again cannot help (a reject, a 4xx). */
public final class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    public DeliveryException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean isPermanent() {
        return permanent;
    }
}
