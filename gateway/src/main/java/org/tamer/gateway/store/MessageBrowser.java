package org.tamer.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Read-only queries over the message store for operators (the admin API and console): filtered message lists,
 * a message's handling in detail, and throughput. Reads no message content (the raw bytes and the diagnosis stay
 * in {@link MessageStore}).
 */
public final class MessageBrowser {

    private static final String OVERVIEW = "id, channel, control_id, state, received_at, updated_at, attempts, "
            + "failure_reason, next_attempt_at";

    private final DataSource dataSource;

    public MessageBrowser(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The messages matching {@code filter}, newest first. */
    public List<MessageOverview> list(MessageFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + OVERVIEW + " FROM message WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            sql.append(" AND state IN (").append(placeholders(filter.states().size())).append(')');
            filter.states().stream().map(Enum::name).sorted().forEach(parameters::add);
        }
        if (!filter.channels().isEmpty()) {
            sql.append(" AND channel IN (").append(placeholders(filter.channels().size())).append(')');
            filter.channels().stream().map(Enum::name).sorted().forEach(parameters::add);
        }
        filter.since().ifPresent(t -> {
            sql.append(" AND received_at >= ?");
            parameters.add(t.atOffset(ZoneOffset.UTC));
        });
        filter.until().ifPresent(t -> {
            sql.append(" AND received_at < ?");
            parameters.add(t.atOffset(ZoneOffset.UTC));
        });
        filter.reasonContains().ifPresent(text -> {
            sql.append(" AND LOWER(failure_reason) LIKE ? ESCAPE '\\'");
            parameters.add("%" + text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        });
        filter.beforeId().ifPresent(id -> {
            sql.append(" AND id < ?");
            parameters.add(id);
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(filter.limit());
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            bind(s, parameters);
            List<MessageOverview> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(overview(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("could not list messages: " + e.getMessage(), e);
        }
    }

    /** One message's handling, or empty when there is no message {@code id}. */
    public Optional<MessageDetail> detail(long id) {
        String sql = "SELECT " + OVERVIEW + ", remote_address, ack, record_id, model_sha256, diagnosed_at, "
                + "delivered_at, lease_owner, lease_until FROM message WHERE id = ?";
        try (Connection c = dataSource.getConnection()) {
            MessageOverview overview;
            Optional<String> remote;
            Optional<String> ack;
            Optional<String> recordId;
            Optional<String> model;
            Optional<Instant> diagnosedAt;
            Optional<Instant> deliveredAt;
            Optional<String> leaseOwner;
            Optional<Instant> leaseUntil;
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    overview = overview(r);
                    remote = Optional.ofNullable(r.getString("remote_address"));
                    ack = Optional.ofNullable(r.getString("ack"));
                    recordId = Optional.ofNullable(r.getString("record_id"));
                    model = Optional.ofNullable(r.getString("model_sha256")).map(String::trim);
                    diagnosedAt = instant(r, "diagnosed_at");
                    deliveredAt = instant(r, "delivered_at");
                    leaseOwner = Optional.ofNullable(r.getString("lease_owner"));
                    leaseUntil = instant(r, "lease_until");
                }
            }
            List<MessageDetail.AuditEntry> audit = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT recorded_at, action, outcome, resource "
                    + "FROM audit_event WHERE message_id = ? ORDER BY id")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        audit.add(new MessageDetail.AuditEntry(r.getObject("recorded_at", OffsetDateTime.class)
                                .toInstant(), r.getString("action"), r.getString("outcome").trim(),
                                r.getString("resource")));
                    }
                }
            }
            return Optional.of(new MessageDetail(overview, remote, ack, recordId, model, diagnosedAt, deliveredAt,
                    leaseOwner, leaseUntil, audit));
        } catch (SQLException e) {
            throw new StoreException("could not read message " + id + ": " + e.getMessage(), e);
        }
    }

    /** Messages received, and results delivered, within {@code window} before {@code now}. */
    public Throughput throughput(Instant now, Duration window) {
        OffsetDateTime from = now.minus(window).atOffset(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT (SELECT COUNT(*) FROM message WHERE received_at >= ?), "
                     + "(SELECT COUNT(*) FROM message WHERE delivered_at >= ?)")) {
            s.setObject(1, from);
            s.setObject(2, from);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new Throughput(window, r.getLong(1), r.getLong(2));
            }
        } catch (SQLException e) {
            throw new StoreException("could not count recent messages: " + e.getMessage(), e);
        }
    }

    /** How many messages arrived and how many results were delivered in the last {@code window}. */
    public record Throughput(Duration window, long received, long delivered) {
    }

    private static MessageOverview overview(ResultSet r) throws SQLException {
        return new MessageOverview(r.getLong("id"), Channel.valueOf(r.getString("channel")),
                r.getString("control_id"), MessageState.valueOf(r.getString("state")),
                r.getObject("received_at", OffsetDateTime.class).toInstant(),
                r.getObject("updated_at", OffsetDateTime.class).toInstant(), r.getInt("attempts"),
                Optional.ofNullable(r.getString("failure_reason")), instant(r, "next_attempt_at"));
    }

    private static Optional<Instant> instant(ResultSet r, String column) throws SQLException {
        return Optional.ofNullable(r.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement s, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
    }
}
