/**
 * Coverage-guided fuzz targets (Jazzer), one per decoder of outside input. Without {@code JAZZER_FUZZ} they run as
 * regression tests over their committed inputs (seeds from the real files, and every crash ever found); with it,
 * they fuzz (docs/security.md has the commands and the figures). A finding is any exception other than the format's
 * own, a hang over a second, a record beyond the {@link org.tamer.routes.fuzz.FuzzSupport#LIMITS}, or an allocation
 * that the fuzzing JVM's small heap cannot hold.
 */
package org.tamer.routes.fuzz;
