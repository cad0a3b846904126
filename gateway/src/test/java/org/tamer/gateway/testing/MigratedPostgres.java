package org.tamer.gateway.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database with the real migrations on the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust
 * authentication; {@code TAMER_IT_PG} and {@code TAMER_IT_PG_USER} move it), dropped again on close.
 */
public final class MigratedPostgres implements AutoCloseable {

    static final String HOST = System.getenv().getOrDefault("TAMER_IT_PG", "127.0.0.1:5432");
    static final String USER = System.getenv().getOrDefault("TAMER_IT_PG_USER", "postgres");

    private final String name = "tamer_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final DataSource dataSource;

    public MigratedPostgres() {
        execute(as(USER, "postgres"), "CREATE DATABASE " + name);
        dataSource = as(USER, name);
        Flyway.configure().dataSource(dataSource).load().migrate();
    }

    public String name() {
        return name;
    }

    /** The database, as the superuser. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The database as another role (which must exist). */
    public DataSource as(String role) {
        return as(role, name);
    }

    /** Runs one statement as the superuser in this database. */
    public void execute(String sql) {
        execute(dataSource, sql);
    }

    private static DataSource as(String user, String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://" + HOST + "/" + database);
        ds.setUser(user);
        ds.setConnectTimeout(30);
        ds.setSocketTimeout(120);
        return ds;
    }

    private static void execute(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is needed at " + HOST + " (user " + USER + ", trust auth): "
                    + sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        execute(as(USER, "postgres"), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
