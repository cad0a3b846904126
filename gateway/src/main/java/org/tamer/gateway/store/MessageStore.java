package org.tamer.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The durable message store over JDBC (PostgreSQL in production, H2 in PostgreSQL mode by default). Every write
 * commits before it returns. Work is claimed with {@code SELECT ... FOR UPDATE SKIP LOCKED} and a lease, so that
 * several gateway processes can share one database: a claimed row is invisible to the others until its lease ends,
 * and every completion is fenced by the lease owner, so a process whose lease was taken over cannot overwrite the
 * newer result.
 *
 * <p>Leases and due times are on the database's clock ({@code CURRENT_TIMESTAMP} in the SQL, never a node's own
 * clock), so replicas whose clocks disagree can neither take over a live lease nor hold one past its end. The store's
 * {@link Clock} only stamps the times shown to people (received, diagnosed, delivered). The counts of the finished
 * states are kept in {@code message_state_count}, changed in the transaction of every change into or out of them.
 */
public final class MessageStore {

    private static final String UNIQUE_VIOLATION = "23505";
    /** The database's now plus a number of milliseconds (one parameter). */
    private static final String DB_NOW_PLUS = "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";
    private static final String DB_NOW_MINUS = "CURRENT_TIMESTAMP - CAST(? AS BIGINT) * INTERVAL '0.001' SECOND";
    static final String WORK_STATE_COUNTS = "SELECT state, COUNT(*) FROM message WHERE state IN "
            + "('RECEIVED', 'PARSED', 'DIAGNOSED') GROUP BY state";
    private static final String COLUMNS = "id, channel, control_id, content_sha256, raw, received_at, ack, state, "
            + "failure_reason, attempts, record_id, diagnosis, hl7_result";

    private final DataSource dataSource;
    private final Clock clock;

    public MessageStore(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores a message, or finds the identical one stored before (same channel, control id and bytes). */
    public Insertion insert(NewMessage m) {
        OffsetDateTime now = now();
        String sql = "INSERT INTO message (channel, control_id, content_sha256, raw, remote_address, received_at, ack, "
                + "state, failure_reason, attempts, next_attempt_at, record_id, updated_at, lease_owner, lease_until) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, CURRENT_TIMESTAMP, ?, CURRENT_TIMESTAMP, ?, "
                + (m.lease().isPresent() ? DB_NOW_PLUS : "?") + ")";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(sql, new String[] {"id"})) {
                s.setString(1, m.channel().name());
                s.setString(2, text(m.controlId()));
                s.setString(3, m.contentSha256());
                s.setBytes(4, m.raw());
                s.setString(5, text(MessageLimits.shortenedRemoteAddress(m.remoteAddress())));
                s.setObject(6, now);
                s.setString(7, text(m.ack().orElse(null)));
                s.setString(8, m.state().name());
                s.setString(9, text(m.failureReason().orElse(null)));
                s.setString(10, text(m.recordId().orElse(null)));
                s.setString(11, m.lease().map(NewMessage.Lease::owner).orElse(null));
                if (m.lease().isPresent()) {
                    s.setLong(12, m.lease().orElseThrow().duration().toMillis());
                } else {
                    s.setObject(12, null);
                }
                s.executeUpdate();
                long id;
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                adjustCount(c, m.state(), 1);
                c.commit();
                c.setAutoCommit(true);
                return new Insertion(new StoredMessage(id, m.channel(), m.controlId(), m.contentSha256(), m.raw(),
                            now.toInstant(), m.ack(), m.state(), m.failureReason(), 0, m.recordId(), Optional.empty(),
                            Optional.empty()), false);
            } catch (SQLException e) {
                c.rollback();
                c.setAutoCommit(true);
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM message WHERE channel = ? AND control_id = ? AND content_sha256 = ?")) {
                s.setString(1, m.channel().name());
                s.setString(2, text(m.controlId()));
                s.setString(3, m.contentSha256());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new SQLException("duplicate key reported but no row found for " + m.controlId());
                    }
                    return new Insertion(row(r), true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not store " + m.channel() + " message " + m.controlId() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Claims up to {@code limit} messages in {@code state} that are due and not leased, leasing them to
     * {@code owner} for {@code lease}.
     */
    public List<StoredMessage> claim(MessageState state, int limit, String owner, Duration lease) {
        List<StoredMessage> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM message WHERE state = ? "
                        + "AND next_attempt_at <= CURRENT_TIMESTAMP AND (lease_until IS NULL OR lease_until < "
                        + "CURRENT_TIMESTAMP) ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                    s.setString(1, state.name());
                    s.setInt(2, limit);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            claimed.add(row(r));
                        }
                    }
                }
                if (!claimed.isEmpty()) {
                    try (PreparedStatement s = c.prepareStatement(
                            "UPDATE message SET lease_owner = ?, lease_until = " + DB_NOW_PLUS
                                    + ", updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
                        for (StoredMessage m : claimed) {
                            s.setString(1, owner);
                            s.setLong(2, lease.toMillis());
                            s.setLong(3, m.id());
                            s.addBatch();
                        }
                        s.executeBatch();
                    }
                }
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not claim " + state + " messages: " + e.getMessage(), e);
        }
    }

    /**
     * Extends {@code owner}'s live lease on a message to {@code lease} from now; false if the lease ended or was
     * taken over (the message must then be left alone). Called before each delivery of a claimed batch, so that no delivery starts
     * on a lease that could end before it does, however long the batch before it took.
     */
    public boolean renewLease(long id, String owner, Duration lease) {
        return updateOne("UPDATE message SET lease_until = " + DB_NOW_PLUS + ", updated_at = CURRENT_TIMESTAMP "
                + "WHERE id = ? AND lease_owner = ? AND lease_until >= CURRENT_TIMESTAMP", lease.toMillis(), id, owner);
    }

    /** Records a diagnosis; false if {@code owner} no longer holds the lease. */
    public boolean markDiagnosed(long id, String owner, String recordId, String diagnosis, String hl7Result,
                                 String modelSha256) {
        OffsetDateTime now = now();
        return updateOne("UPDATE message SET state = 'DIAGNOSED', record_id = ?, diagnosis = ?, hl7_result = ?, "
                + "model_sha256 = ?, diagnosed_at = ?, attempts = 0, next_attempt_at = CURRENT_TIMESTAMP, "
                + "failure_reason = NULL, poison_attempts = 0, lease_owner = NULL, lease_until = NULL, "
                + "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND lease_owner = ?",
                recordId, diagnosis, hl7Result, modelSha256, now, id, owner);
    }

    /** Records delivery to every destination; false if {@code owner} no longer holds the lease. */
    public boolean markDelivered(long id, String owner) {
        return finish(MessageState.DELIVERED, "UPDATE message SET state = 'DELIVERED', delivered_at = ?, "
                + "failure_reason = NULL, lease_owner = NULL, lease_until = NULL, updated_at = CURRENT_TIMESTAMP "
                + "WHERE id = ? AND lease_owner = ?", now(), id, owner);
    }

    /**
     * Schedules another attempt after {@code delay}, or moves the message to DEAD when this was attempt
     * {@code maxAttempts}.
     */
    public boolean retry(long id, String owner, String reason, Duration delay, int maxAttempts) {
        return inTransaction("retry message " + id, c -> {
            boolean updated = executeUpdate(c, "UPDATE message SET attempts = attempts + 1, failure_reason = ?, "
                    + "next_attempt_at = " + DB_NOW_PLUS + ", poison_attempts = 0, state = CASE WHEN attempts + 1 >= ? "
                    + "THEN 'DEAD' ELSE state END, lease_owner = NULL, lease_until = NULL, "
                    + "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND lease_owner = ?",
                    reason, delay.toMillis(), maxAttempts, id, owner) == 1;
            if (updated) {
                try (PreparedStatement s = c.prepareStatement("SELECT state FROM message WHERE id = ?")) {
                    bind(s, id);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            adjustCount(c, MessageState.valueOf(r.getString(1)), 1);
                        }
                    }
                }
            }
            return updated;
        });
    }

    /**
     * Records, before processing of claimed messages begins, that it began: a poison attempt that stays counted
     * unless processing comes to a normal end ({@link #markDiagnosed}, {@link #retry} reset it). A process that
     * dies on a message (out of memory, killed) thus leaves the count in the database for the next one to see.
     */
    public void beginAttempt(List<Long> ids, String owner) {
        for (long id : ids) {
            updateCount("UPDATE message SET poison_attempts = poison_attempts + 1, updated_at = CURRENT_TIMESTAMP "
                    + "WHERE id = ? AND lease_owner = ?", id, owner);
        }
    }

    /** The poison attempts of messages (those not found are absent). */
    public Map<Long, Integer> poisonAttempts(List<Long> ids) {
        Map<Long, Integer> attempts = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return attempts;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT id, poison_attempts FROM message WHERE id IN (" + marks + ")")) {
            bind(s, ids.toArray());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    attempts.put(r.getLong(1), r.getInt(2));
                }
            }
            return attempts;
        } catch (SQLException e) {
            throw new StoreException("could not read poison attempts: " + e.getMessage(), e);
        }
    }

    /**
     * Ends in FAILED the messages in {@code state}, not leased, whose processing began {@code limit} times or more
     * without coming to an end, with {@code reason}; returns their ids. They are not read again.
     */
    public List<Long> failPoisoned(MessageState state, int limit, String reason) {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM message WHERE state = ? AND "
                        + "poison_attempts >= ? AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP) "
                        + "FOR UPDATE SKIP LOCKED")) {
                    bind(s, state.name(), limit);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            ids.add(r.getLong(1));
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement("UPDATE message SET state = 'FAILED', failure_reason = ?, "
                        + "lease_owner = NULL, lease_until = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
                    for (long id : ids) {
                        bind(s, reason, id);
                        s.addBatch();
                    }
                    if (!ids.isEmpty()) {
                        s.executeBatch();
                    }
                }
                adjustCount(c, MessageState.FAILED, ids.size());
                c.commit();
                return ids;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not end poisoned " + state + " messages: " + e.getMessage(), e);
        }
    }

    /**
     * Releases a claimed message for another attempt after {@code delay} while keeping its poison attempt counted
     * (processing stopped abnormally, with the message among others: it is tried again on its own).
     */
    public boolean releaseSuspect(long id, String owner, String reason, Duration delay) {
        return updateOne("UPDATE message SET failure_reason = ?, next_attempt_at = " + DB_NOW_PLUS + ", lease_owner = "
                + "NULL, lease_until = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND lease_owner = ?",
                reason, delay.toMillis(), id, owner);
    }

    /** Ends a message in FAILED or DEAD with a reason. */
    public boolean fail(long id, String owner, MessageState state, String reason) {
        if (state != MessageState.FAILED && state != MessageState.DEAD) {
            throw new IllegalArgumentException("fail() ends in FAILED or DEAD, not " + state);
        }
        return finish(state, "UPDATE message SET state = ?, failure_reason = ?, lease_owner = NULL, lease_until = NULL, "
                + "updated_at = CURRENT_TIMESTAMP WHERE id = ? AND lease_owner = ?", state.name(), reason, id, owner);
    }

    /**
     * Puts FAILED and DEAD messages matching the selection back to work (to PARSED, or to DIAGNOSED when their
     * diagnosis is kept), with their attempts reset. Returns how many.
     */
    public int replay(ReplaySelection selection) {
        StringBuilder where = new StringBuilder("state IN ('FAILED', 'DEAD')");
        List<Object> parameters = new ArrayList<>();
        selection.id().ifPresent(id -> {
            where.append(" AND id = ?");
            parameters.add(id);
        });
        selection.receivedFrom().ifPresent(t -> {
            where.append(" AND received_at >= ?");
            parameters.add(t.atOffset(ZoneOffset.UTC));
        });
        selection.receivedTo().ifPresent(t -> {
            where.append(" AND received_at < ?");
            parameters.add(t.atOffset(ZoneOffset.UTC));
        });
        selection.reasonContains().ifPresent(text -> {
            where.append(" AND failure_reason LIKE ?");
            parameters.add("%" + text.replace("%", "\\%").replace("_", "\\_") + "%");
        });
        return inTransaction("replay", c -> {
            Map<Long, MessageState> selected = new java.util.LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, state FROM message WHERE " + where
                    + " FOR UPDATE")) {
                bind(s, parameters.toArray());
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        selected.put(r.getLong(1), MessageState.valueOf(r.getString(2)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE message SET state = CASE WHEN diagnosis IS NULL "
                    + "THEN 'PARSED' ELSE 'DIAGNOSED' END, attempts = 0, poison_attempts = 0, "
                    + "next_attempt_at = CURRENT_TIMESTAMP, lease_owner = NULL, lease_until = NULL, "
                    + "updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
                for (long id : selected.keySet()) {
                    bind(s, id);
                    s.addBatch();
                }
                if (!selected.isEmpty()) {
                    s.executeBatch();
                }
            }
            for (MessageState state : List.of(MessageState.FAILED, MessageState.DEAD)) {
                adjustCount(c, state, -selected.values().stream().filter(state::equals).count());
            }
            return selected.size();
        });
    }

    public Optional<StoredMessage> find(long id) {
        return query("SELECT " + COLUMNS + " FROM message WHERE id = ?", id).stream().findFirst();
    }

    /** Diagnosed messages of a channel with a control id (the local FHIR server's {@code _source} search). */
    public List<StoredMessage> findByControlId(Channel channel, String controlId) {
        return query("SELECT " + COLUMNS + " FROM message WHERE channel = ? AND control_id = ? ORDER BY id",
                channel.name(), controlId);
    }

    /** Messages with a diagnosis, newest first (the local FHIR server's Observation search). */
    public List<StoredMessage> diagnosed(int limit) {
        return query("SELECT " + COLUMNS + " FROM message WHERE diagnosis IS NOT NULL ORDER BY id DESC LIMIT ?", limit);
    }

    /**
     * How many messages are in each state (queue depths), without reading the finished rows: the work states are
     * counted on the index (state, updated_at), the finished ones read from their maintained counts.
     */
    public Map<MessageState, Long> countsByState() {
        Map<MessageState, Long> counts = new EnumMap<>(MessageState.class);
        for (MessageState s : MessageState.values()) {
            counts.put(s, 0L);
        }
        try (Connection c = dataSource.getConnection()) {
            for (String sql : List.of(WORK_STATE_COUNTS, "SELECT state, n FROM message_state_count")) {
                try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        counts.put(MessageState.valueOf(r.getString(1)), r.getLong(2));
                    }
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new StoreException("could not count messages: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes up to {@code batch} messages in the finished {@code state} not changed for {@code retention} (on the
     * database's clock); returns how many. Unfinished messages are never deleted, however old.
     */
    public int purge(MessageState state, Duration retention, int batch) {
        if (!state.finished()) {
            throw new IllegalArgumentException("only finished messages are purged, not " + state);
        }
        String old = "state = ? AND updated_at < " + DB_NOW_MINUS;
        return inTransaction("purge " + state + " messages", c -> {
            int deleted = executeUpdate(c, "DELETE FROM message WHERE " + old + " AND id IN (SELECT id FROM message "
                    + "WHERE " + old + " ORDER BY updated_at LIMIT ?)", state.name(), retention.toMillis(),
                    state.name(), retention.toMillis(), batch);
            adjustCount(c, state, -deleted);
            return deleted;
        });
    }

    /** Deletes up to {@code batch} audit events recorded more than {@code retention} ago; returns how many. */
    public int purgeAudit(Duration retention, int batch) {
        return updateCount("DELETE FROM audit_event WHERE id IN (SELECT id FROM audit_event WHERE recorded_at < "
                + DB_NOW_MINUS + " ORDER BY recorded_at LIMIT ?)", retention.toMillis(), batch);
    }

    /** Whether the database answers (readiness). */
    public boolean ping() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Appends an audit event (a FHIR AuditEvent as JSON). */
    public void audit(Long messageId, String action, String outcome, String resource) {
        updateCount("INSERT INTO audit_event (message_id, recorded_at, action, outcome, resource) VALUES (?, "
                + "CURRENT_TIMESTAMP, ?, ?, ?)", messageId, action, outcome, resource);
    }

    /** The audit events of a message, oldest first, as stored JSON. */
    public List<String> auditEvents(long messageId) {
        List<String> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT resource FROM audit_event WHERE message_id = ? ORDER BY id")) {
            s.setLong(1, messageId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(r.getString(1));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new StoreException("could not read audit events of message " + messageId + ": " + e.getMessage(), e);
        }
    }

    /** The update of one leased message into a finished state, with its count, in one transaction. */
    private boolean finish(MessageState state, String sql, Object... parameters) {
        return inTransaction("end a message in " + state, c -> {
            boolean updated = executeUpdate(c, sql, parameters) == 1;
            if (updated) {
                adjustCount(c, state, 1);
            }
            return updated;
        });
    }

    /** Keeps the count of a finished state; the work states are counted from the index instead. */
    private static void adjustCount(Connection c, MessageState state, long delta) throws SQLException {
        if (state.finished() && delta != 0) {
            executeUpdate(c, "UPDATE message_state_count SET n = n + ? WHERE state = ?", delta, state.name());
        }
    }

    private static int executeUpdate(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            return s.executeUpdate();
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    private boolean updateOne(String sql, Object... parameters) {
        return updateCount(sql, parameters) == 1;
    }

    private int updateCount(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, parameters);
                return s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("store update failed (" + sql.substring(0, Math.min(40, sql.length())) + "…): "
                    + e.getMessage(), e);
        }
    }

    private List<StoredMessage> query(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            List<StoredMessage> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(row(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("store query failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i] instanceof String text ? text(text) : parameters[i]);
        }
    }

    /** PostgreSQL text cannot hold NUL; a reason quoting binary input keeps a visible stand-in instead. */
    private static String text(String value) {
        return value == null || value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
    }

    private static StoredMessage row(ResultSet r) throws SQLException {
        return new StoredMessage(r.getLong("id"), Channel.valueOf(r.getString("channel")), r.getString("control_id"),
                r.getString("content_sha256"), r.getBytes("raw"),
                r.getObject("received_at", OffsetDateTime.class).toInstant(), Optional.ofNullable(r.getString("ack")),
                MessageState.valueOf(r.getString("state")), Optional.ofNullable(r.getString("failure_reason")),
                r.getInt("attempts"), Optional.ofNullable(r.getString("record_id")),
                Optional.ofNullable(r.getString("diagnosis")), Optional.ofNullable(r.getString("hl7_result")));
    }

    /**
     * Now, in the microseconds both databases store: a nanosecond value would be rounded on writing, possibly up,
     * and a message stored as due "now" would then not yet be due for a claim made in the same microsecond.
     */
    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                ZoneOffset.UTC);
    }
}
