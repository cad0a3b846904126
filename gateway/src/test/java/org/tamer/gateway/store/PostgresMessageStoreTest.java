package org.tamer.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

    /**
     * At 50,000 messages (49,000 DELIVERED, 1,000 waiting), the counts by state read no message row sequentially:
     * the work-state count is planned on the (state, updated_at) index, the finished states are one small table.
     * Prints the time of the counts next to the full GROUP BY they replace (docs/benchmarks.md).
     */
    @Test
    void countsByStateDoNotScanTheMessageTable() {
        sql("INSERT INTO message (channel, control_id, content_sha256, raw, received_at, state, next_attempt_at, "
                + "updated_at) SELECT 'MLLP', 'B' || g, lpad(to_hex(g), 64, '0'), decode(repeat('ab', 2000), 'hex'), "
                + "now(), CASE WHEN g % 49 = 0 THEN 'PARSED' ELSE 'DELIVERED' END, now(), now() "
                + "FROM generate_series(1, 50000) g");
        sql("UPDATE message_state_count SET n = (SELECT COUNT(*) FROM message WHERE state = 'DELIVERED') "
                + "WHERE state = 'DELIVERED'");
        sql("VACUUM ANALYZE message");
        String plan = explain(MessageStore.WORK_STATE_COUNTS);
        assertFalse(plan.contains("Seq Scan on message"), plan);
        assertTrue(plan.contains("message_state_updated"), plan);
        assertEquals(bruteForceCounts(), store.countsByState());
        assertEquals(Long.valueOf(50_000 - 50_000 / 49), store.countsByState().get(MessageState.DELIVERED));

        double[] counts = new double[21];
        double[] groupBy = new double[21];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = executionMillis(MessageStore.WORK_STATE_COUNTS)
                    + executionMillis("SELECT state, n FROM message_state_count");
            groupBy[i] = executionMillis("SELECT state, COUNT(*) FROM message GROUP BY state");
        }
        System.out.printf("counts by state at 50,000 rows, server execution time: median %.3f ms (the full GROUP BY "
                + "they replace: median %.3f ms)%n%s%n", median(counts), median(groupBy), plan);
        assertTrue(median(counts) < median(groupBy), "not cheaper than the full count");
    }

    /** The execution time PostgreSQL reports for a query (EXPLAIN ANALYZE), without connection and transfer. */
    private double executionMillis(String query) {
        String analyzed = explain("(ANALYZE) " + query);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Execution Time: ([0-9.]+) ms").matcher(analyzed);
        assertTrue(m.find(), analyzed);
        return Double.parseDouble(m.group(1));
    }

    private String explain(String query) {
        List<String> lines = new ArrayList<>();
        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var r = s.executeQuery("EXPLAIN " + query)) {
            while (r.next()) {
                lines.add(r.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return String.join("\n", lines);
    }

    private static double median(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
