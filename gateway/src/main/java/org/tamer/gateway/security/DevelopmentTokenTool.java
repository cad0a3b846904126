package org.tamer.gateway.security;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/tamer-token}: prints a bearer token signed with the gateway's development key, for curl and the
 * operator console on a development machine. Refuses when a real JWKS is configured ({@code TAMER_SECURITY_JWKS_URL}
 * or {@code -Dtamer.security.jwks-url}): the gateway then trusts only its authorization server's tokens.
 *
 * <p>Options: {@code --scope S} (repeatable, or several separated by spaces; required), {@code --lifetime}
 * ({@code 1h} by default; {@code 30m}, {@code 90s}, or ISO-8601 such as {@code PT15M}; at most 1 h, the gateway's cap),
 * {@code --work-dir DIR} (the gateway's {@code tamer.work-dir}, default {@code TAMER_WORK_DIR} or
 * {@code -Dtamer.work-dir}), {@code --subject NAME}. Only the token goes to standard output.
 */
public final class DevelopmentTokenTool {

    /** The gateway's default {@code tamer.security.max-token-lifetime}: a longer token would only be refused. */
    static final Duration MAX_LIFETIME = Duration.ofHours(1);

    private DevelopmentTokenTool() {
    }

    /** The parsed command line. */
    record Request(List<String> scopes, Duration lifetime, Path workDir, String subject) {
    }

    public static void main(String[] args) {
        try {
            Request request = parse(args, System.getenv(), System.getProperties());
            String token = DevelopmentKey.load(request.workDir()).token(request.subject(),
                    String.join(" ", request.scopes()), request.lifetime());
            System.err.println("tamer-token: scopes '" + String.join(" ", request.scopes()) + "', valid for "
                    + request.lifetime().toString().substring(2).toLowerCase(Locale.ROOT) + ", signed with the "
                    + "development key in " + request.workDir().toAbsolutePath());
            System.out.println(token);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("tamer-token: " + e.getMessage());
            System.err.println("usage: bin/tamer-token --scope SCOPE [--scope SCOPE ...] [--lifetime 1h] "
                    + "[--work-dir DIR] [--subject NAME]");
            System.err.println("scopes: system/Observation.read, system/Observation.write, system/Bundle.write, "
                    + "system/*.* (SMART v1) or .rs/.cruds (v2); " + Scopes.OPERATIONS + " (read the message "
                    + "store, the console); " + Scopes.ADMIN + " (replay)");
            System.exit(2);
        }
    }

    static Request parse(String[] args, Map<String, String> env, java.util.Properties properties) {
        String jwks = Optional.ofNullable(env.get("TAMER_SECURITY_JWKS_URL")).filter(v -> !v.isBlank())
                .orElse(properties.getProperty("tamer.security.jwks-url", ""));
        if (!jwks.isBlank()) {
            throw new IllegalStateException("a real JWKS is configured (" + jwks + "): the gateway trusts only "
                    + "tokens from that authorization server, not the development key; get a token there");
        }
        List<String> scopes = new ArrayList<>();
        Duration lifetime = Duration.ofHours(1);
        String workDir = Optional.ofNullable(env.get("TAMER_WORK_DIR")).filter(v -> !v.isBlank())
                .orElse(properties.getProperty("tamer.work-dir", "./data"));
        String subject = "tamer-token:" + properties.getProperty("user.name", "developer");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--scope" -> {
                    for (String s : value.trim().split("\\s+")) {
                        if (!s.isEmpty()) {
                            scopes.add(s);
                        }
                    }
                }
                case "--lifetime" -> lifetime = lifetime(value);
                case "--work-dir" -> workDir = value;
                case "--subject" -> subject = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("at least one --scope is needed");
        }
        return new Request(List.copyOf(scopes), lifetime, Path.of(workDir), subject);
    }

    static Duration lifetime(String value) {
        Duration d;
        try {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt") || v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                throw new IllegalArgumentException("--lifetime must be like 30m, 1h, 90s or PT15M, got '" + value
                        + "'");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("--lifetime must be like 30m, 1h, 90s or PT15M, got '" + value + "'");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("--lifetime must be positive and at most 1h (the gateway refuses "
                    + "longer tokens: tamer.security.max-token-lifetime), got " + value);
        }
        return d;
    }
}
