package org.tamer.routes.fuzz;

/**
 * How long each target fuzzes when {@code JAZZER_FUZZ} is set: a short pass in {@code mvn verify}; the long runs
 * override it with {@code -Dtamer.fuzz.seconds} (docs/security.md).
 */
final class FuzzBudget {

    /** The annotation's budget; the build passes the effective one to libFuzzer (-max_total_time). */
    static final String CI = "10s";

    private FuzzBudget() {
    }
}
