package org.tamer.gateway.store;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.testing.MigratedH2;

/** The store's contract on the zero-configuration database: an H2 file in PostgreSQL mode. */
class MessageStoreTest extends MessageStoreContract {

    @TempDir
    Path directory;

    @Override
    protected DataSource database() {
        return MigratedH2.in(directory);
    }
}
