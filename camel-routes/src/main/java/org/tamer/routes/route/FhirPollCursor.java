package org.tamer.routes.route;

import java.time.Instant;
import java.util.Optional;

/**
 * The durable high-water mark of a FHIR poll: the newest {@code meta.lastUpdated} among the Observations already
 * handed to the intake, per source (server and query). It never moves backwards.
 */
public interface FhirPollCursor {

    Optional<Instant> load(String source);

    /** Moves the mark of {@code source} to {@code lastUpdated} unless it is already there or later. */
    void save(String source, Instant lastUpdated);
}
