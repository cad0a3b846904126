package org.tamer.gateway.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh database on the machine's PostgreSQL (127.0.0.1:5432, user postgres) for one test. */
final class Postgres implements AutoCloseable {

    static final String HOST = System.getenv().getOrDefault("TAMER_IT_PG", "127.0.0.1:5432");
    static final String USER = System.getenv().getOrDefault("TAMER_IT_PG_USER", "postgres");

    final String name;

    Postgres() {
        this("tamer_it");
    }

    /** A database named {@code prefix_} and a random suffix (tests of one helper share a prefix). */
    Postgres(String prefix) {
        name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is needed at " + HOST + " (user " + USER + ", trust auth): "
                    + e.getMessage(), e);
        }
    }

    /** Drops the database (the gateways using it must be stopped). */
    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    String url() {
        return "jdbc:postgresql://" + HOST + "/" + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /** The smallest message id matching {@code where}. */
    long firstId(String where) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MIN(id) FROM message WHERE " + where)) {
            r.next();
            long id = r.getLong(1);
            if (r.wasNull()) {
                throw new IllegalStateException("no message where " + where);
            }
            return id;
        }
    }

    /**
     * What the gateways have done so far: messages and attempts per state, and audit events. Changes whenever any
     * message moves on (the progress a wait follows).
     */
    String progress() {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT state, COUNT(*), SUM(attempts) FROM message GROUP BY state "
                     + "UNION ALL SELECT 'audit', COUNT(*), 0 FROM audit_event ORDER BY 1")) {
            StringBuilder b = new StringBuilder();
            while (r.next()) {
                b.append(r.getString(1)).append('=').append(r.getLong(2)).append('/').append(r.getLong(3)).append(' ');
            }
            return b.toString().trim();
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the store's progress: " + e.getMessage(), e);
        }
    }

    /** When a message row last changed. */
    java.time.OffsetDateTime updatedAt(long id) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT updated_at FROM message WHERE id = " + id)) {
            if (!r.next()) {
                throw new IllegalStateException("no message " + id);
            }
            return r.getObject(1, java.time.OffsetDateTime.class);
        }
    }

    long count(String where) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM message WHERE " + where)) {
            r.next();
            return r.getLong(1);
        }
    }
}
