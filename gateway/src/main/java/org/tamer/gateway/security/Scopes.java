package org.tamer.gateway.security;

import java.util.Set;

/**
 * SMART Backend Services scopes, v1 ({@code system/Observation.read}, {@code .write}, {@code .*}) and v2
 * ({@code system/Observation.rs}, {@code .cruds}), with {@code *} for the resource type; plus the gateway's own
 * {@code tamer/admin} for the admin endpoints that change state (replay) and {@code tamer/operations} for reading
 * the message store, the loaded model and the queue depths (the operator console) and for the management
 * endpoints ({@code /health} with details, {@code /prometheus}). A v2 scope grants exactly its letters:
 * {@code .u} allows an update, not a create.
 */
public final class Scopes {

    /** Changes the message store's state: replay (and everything {@link #OPERATIONS} allows). */
    public static final String ADMIN = "tamer/admin";
    /** What a request does to a resource type, in SMART v2 terms. */
    public enum Operation {
        CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

        private final char letter;

        Operation(char letter) {
            this.letter = letter;
        }

        /** The SMART v2 permission letter. */
        public char letter() {
            return letter;
        }

        /** Whether SMART v1's {@code .write} (rather than {@code .read}) covers it. */
        public boolean writes() {
            return this == CREATE || this == UPDATE || this == DELETE;
        }
    }

    /**
     * Reads the operational state: message lists and details without patient data, the loaded model, queue depths
     * and throughput (the operator console), and the management endpoints ({@code /health} details,
     * {@code /prometheus} and any other Micronaut endpoint enabled); the one name for operations access.
     */
    public static final String OPERATIONS = "tamer/operations";

    private Scopes() {
    }

    /** Whether {@code granted} allows reading the operational state ({@link #OPERATIONS} or {@link #ADMIN}). */
    public static boolean allowsOperations(Set<String> granted) {
        return granted.contains(OPERATIONS) || granted.contains(ADMIN);
    }

    /** A SMART v2 permission: letters of {@code cruds}, each at most once, in that order. */
    private static boolean smartV2(String permission) {
        int from = 0;
        for (int i = 0; i < permission.length(); i++) {
            int at = "cruds".indexOf(permission.charAt(i), from);
            if (at < 0) {
                return false;
            }
            from = at + 1;
        }
        return !permission.isEmpty();
    }

    /** Whether {@code granted} allows {@code operation} on {@code resourceType}. */
    public static boolean allows(Set<String> granted, String resourceType, Operation operation) {
        for (String scope : granted) {
            if (!scope.startsWith("system/")) {
                continue;
            }
            int dot = scope.lastIndexOf('.');
            if (dot < 0) {
                continue;
            }
            String type = scope.substring("system/".length(), dot);
            String permission = scope.substring(dot + 1);
            if (!type.equals(resourceType) && !type.equals("*")) {
                continue;
            }
            boolean ok = switch (permission) {
                case "*" -> true;
                case "read" -> !operation.writes();
                case "write" -> operation.writes();
                default -> smartV2(permission) && permission.indexOf(operation.letter()) >= 0;
            };
            if (ok) {
                return true;
            }
        }
        return false;
    }
}
