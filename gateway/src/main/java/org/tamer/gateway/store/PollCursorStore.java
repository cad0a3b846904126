package org.tamer.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.tamer.routes.route.FhirPollCursor;

/**
 * The cursors of the FHIR polls, in the message store's database. A save only ever moves a cursor forward, so two
 * gateway processes polling the same server cannot set each other back.
 */
public final class PollCursorStore implements FhirPollCursor {

    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final Clock clock;

    public PollCursorStore(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Instant> load(String source) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT last_updated FROM fhir_poll_cursor WHERE source = ?")) {
            s.setString(1, source);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getObject(1, OffsetDateTime.class).toInstant()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the FHIR poll cursor of " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void save(String source, Instant lastUpdated) {
        OffsetDateTime mark = OffsetDateTime.ofInstant(lastUpdated, ZoneOffset.UTC);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (advance(c, source, mark, now) > 0 || exists(c, source)) {
                return;
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO fhir_poll_cursor (source, last_updated, updated_at) VALUES (?, ?, ?)")) {
                s.setString(1, source);
                s.setObject(2, mark);
                s.setObject(3, now);
                s.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                advance(c, source, mark, now);
            }
        } catch (SQLException e) {
            throw new StoreException("could not save the FHIR poll cursor of " + source + " at " + lastUpdated + ": "
                    + e.getMessage(), e);
        }
    }

    private static int advance(Connection c, String source, OffsetDateTime mark, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE fhir_poll_cursor SET last_updated = ?, updated_at = ? "
                + "WHERE source = ? AND last_updated < ?")) {
            s.setObject(1, mark);
            s.setObject(2, now);
            s.setString(3, source);
            s.setObject(4, mark);
            return s.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String source) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM fhir_poll_cursor WHERE source = ?")) {
            s.setString(1, source);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }
}
