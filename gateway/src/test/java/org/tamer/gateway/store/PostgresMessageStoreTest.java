package org.tamer.gateway.store;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.tamer.gateway.testing.MigratedPostgres;

/** The store's contract on PostgreSQL, the production database: claims with FOR UPDATE SKIP LOCKED. */
class PostgresMessageStoreTest extends MessageStoreContract {

    private MigratedPostgres postgres;

    @Override
    protected DataSource database() {
        postgres = new MigratedPostgres();
        return postgres.dataSource();
    }

    @AfterEach
    void drop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
