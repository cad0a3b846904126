package org.tamer.gateway.security;

import java.util.Set;

/**
 * SMART Backend Services scopes, v1 ({@code system/Observation.read}, {@code .write}, {@code .*}) and v2
 * ({@code system/Observation.rs}, {@code .cruds}), with {@code *} for the resource type; plus the gateway's own
 * {@code tamer/admin} for the admin endpoints that change state (replay) and {@code tamer/operations} for reading
 * the message store, the loaded model and the queue depths (the operator console, the management endpoints).
 */
public final class Scopes {

    /** Changes the message store's state: replay (and everything {@link #OPERATIONS} allows). */
    public static final String ADMIN = "tamer/admin";

    /**
     * Reads the operational state: message lists and details without patient data, the loaded model, queue depths
     * and throughput (the operator console), and the management endpoints.
     */
    public static final String OPERATIONS = "tamer/operations";

    private Scopes() {
    }

    /** Whether {@code granted} allows reading the operational state ({@link #OPERATIONS} or {@link #ADMIN}). */
    public static boolean allowsOperations(Set<String> granted) {
        return granted.contains(OPERATIONS) || granted.contains(ADMIN);
    }

    /** Whether {@code granted} allows reading ({@code write == false}) or writing {@code resourceType}. */
    public static boolean allows(Set<String> granted, String resourceType, boolean write) {
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
                case "read" -> !write;
                case "write" -> write;
                default -> permission.chars().allMatch(c -> "cruds".indexOf(c) >= 0)
                        && (write ? permission.indexOf('c') >= 0 || permission.indexOf('u') >= 0
                        : permission.indexOf('r') >= 0 || permission.indexOf('s') >= 0);
            };
            if (ok) {
                return true;
            }
        }
        return false;
    }
}
