package org.tamer.gateway.model;

/** The inference queue is full: the caller should try again later (HTTP 503, or a later retry). */
public final class BackPressureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackPressureException(String message) {
        super(message);
    }
}
