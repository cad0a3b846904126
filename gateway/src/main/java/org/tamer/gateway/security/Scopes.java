package org.tamer.gateway.security;

import java.util.Set;

/**
 * SMART Backend Services scopes, v1 ({@code system/Observation.read}, {@code .write}, {@code .*}) and v2
 * ({@code system/Observation.rs}, {@code .cruds}), with {@code *} for the resource type; plus the gateway's own
 * {@code tamer/admin} for the admin endpoints.
 */
public final class Scopes {

    public static final String ADMIN = "tamer/admin";

    private Scopes() {
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
