package org.tamer.gateway.testing;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** The gateway's zero-configuration database for tests: an H2 file in PostgreSQL mode with the real migrations. */
public final class MigratedH2 {

    private MigratedH2() {
    }

    /**
     * A database file {@code store} in {@code directory}, migrated. Kept open for the JVM's life
     * ({@code DB_CLOSE_DELAY=-1}), as the gateway's default URL does: H2 lost commits when a connection opened while
     * the last one was closing the file.
     */
    public static DataSource in(Path directory) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + directory.resolve("store") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;WRITE_DELAY=0");
        h2.setUser("sa");
        Flyway.configure().dataSource(h2).load().migrate();
        return h2;
    }
}
