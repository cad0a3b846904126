package org.tamer.gateway.store;

/** The outcome of storing a message: the row, and whether it was already there (a resend). */
public record Insertion(StoredMessage message, boolean duplicate) {
}
