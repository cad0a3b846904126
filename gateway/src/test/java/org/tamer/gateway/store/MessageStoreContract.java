package org.tamer.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the store promises, run on each database it supports with the real migrations: {@link MessageStoreTest} on
 * the zero-configuration H2 file (PostgreSQL mode), {@link PostgresMessageStoreTest} on PostgreSQL, where several
 * gateway processes share one database through {@code SELECT ... FOR UPDATE SKIP LOCKED}.
 */
abstract class MessageStoreContract {

    protected MessageStore store;
    protected javax.sql.DataSource dataSource;

    /** A migrated, empty database for one test. */
    protected abstract javax.sql.DataSource database();

    @BeforeEach
    void migrate() {
        dataSource = database();
        store = new MessageStore(dataSource, java.time.Clock.systemUTC());
    }

    /** Waits (polling, up to 30 s) until the condition holds. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Runs SQL of the test's own (backdating rows, brute-force counts) on the store's database. */
    protected long sql(String statement, Object... parameters) {
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            if (s.execute()) {
                try (java.sql.ResultSet r = s.getResultSet()) {
                    return r.next() ? r.getLong(1) : -1;
                }
            }
            return s.getUpdateCount();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(statement + ": " + e.getMessage(), e);
        }
    }

    /** The counts by state as a full scan gives them. */
    protected java.util.Map<MessageState, Long> bruteForceCounts() {
        java.util.Map<MessageState, Long> counts = new java.util.EnumMap<>(MessageState.class);
        for (MessageState state : MessageState.values()) {
            counts.put(state, sql("SELECT COUNT(*) FROM message WHERE state = ?", state.name()));
        }
        return counts;
    }

    private NewMessage message(String controlId, String body) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        return new NewMessage(Channel.MLLP, controlId, org.tamer.runtime.Digests.sha256Hex(raw), raw, "127.0.0.1",
                MessageState.PARSED, Optional.of("ACK " + controlId), Optional.empty(), Optional.of("r-" + controlId),
                Optional.empty());
    }

    @Test
    void aResendIsTheSameRowWithItsOriginalAck() {
        Insertion first = store.insert(message("C1", "body"));
        Insertion again = store.insert(message("C1", "body"));
        Insertion changed = store.insert(message("C1", "other body"));
        assertFalse(first.duplicate());
        assertTrue(again.duplicate());
        assertEquals(first.message().id(), again.message().id());
        assertEquals(Optional.of("ACK C1"), again.message().ack());
        assertFalse(changed.duplicate(), "same control id, different content: a different message");
    }

    @Test
    void claimsAreExclusiveUntilTheLeaseEndsAndCompletionsAreFenced() {
        for (int i = 0; i < 10; i++) {
            store.insert(message("M" + i, "body " + i));
        }
        List<StoredMessage> a = store.claim(MessageState.PARSED, 6, "A", Duration.ofSeconds(3));
        List<StoredMessage> b = store.claim(MessageState.PARSED, 6, "B", Duration.ofMinutes(5));
        assertEquals(6, a.size());
        assertEquals(4, b.size());
        Set<Long> ids = new HashSet<>();
        a.forEach(m -> ids.add(m.id()));
        b.forEach(m -> ids.add(m.id()));
        assertEquals(10, ids.size(), "no message claimed twice");
        assertTrue(store.claim(MessageState.PARSED, 10, "C", Duration.ofMinutes(5)).isEmpty());
        List<StoredMessage> taken = new java.util.ArrayList<>();
        await("A's leases end", () -> {
            taken.addAll(store.claim(MessageState.PARSED, 10, "C", Duration.ofMinutes(5)));
            return taken.size() == 6;
        });
        assertEquals(6, taken.size(), "A's expired leases are taken over");
        assertFalse(store.markDiagnosed(a.get(0).id(), "A", "r", "{}", null, "x".repeat(64)),
                "A lost its lease and cannot overwrite C's work");
        assertTrue(store.markDiagnosed(taken.get(0).id(), "C", "r", "{}", null, "x".repeat(64)));
        assertEquals(MessageState.DIAGNOSED, store.find(taken.get(0).id()).orElseThrow().state());
    }

    /**
     * Eight claimers on their own threads (as the diagnosis workers of several gateways) drain 240 messages
     * concurrently, each completing what it claimed: every message is claimed by exactly one of them and ends
     * diagnosed once, and no claim ever returns a message another claimer holds.
     */
    @Test
    void concurrentClaimersNeverShareAMessage() throws Exception {
        int messages = 240;
        for (int i = 0; i < messages; i++) {
            store.insert(message("P" + i, "parallel " + i));
        }
        java.util.Map<Long, String> owners = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> clashes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String owner = "worker-" + w;
                done.add(pool.submit(() -> {
                    int completed = 0;
                    while (true) {
                        List<StoredMessage> claimed = store.claim(MessageState.PARSED, 5, owner, Duration.ofMinutes(10));
                        if (claimed.isEmpty()) {
                            return completed;
                        }
                        for (StoredMessage m : claimed) {
                            String previous = owners.putIfAbsent(m.id(), owner);
                            if (previous != null) {
                                clashes.add(m.controlId() + " claimed by " + previous + " and " + owner);
                            }
                            if (store.markDiagnosed(m.id(), owner, "r", "{}", null, "x".repeat(64))) {
                                completed++;
                            }
                        }
                    }
                }));
            }
            int completed = 0;
            for (var f : done) {
                completed += f.get(10, java.util.concurrent.TimeUnit.MINUTES);
            }
            assertEquals(List.of(), clashes);
            assertEquals(messages, owners.size(), "every message claimed");
            assertEquals(messages, completed, "every completion accepted once");
            assertEquals(Long.valueOf(messages), store.countsByState().get(MessageState.DIAGNOSED));
            assertTrue(new HashSet<>(owners.values()).size() > 1, "the work was shared: " + new HashSet<>(owners.values()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void retriesBackOffThenDeadLetterAndReplayBringsThemBack() {
        long later = store.insert(message("R0", "later")).message().id();
        assertEquals(1, store.claim(MessageState.PARSED, 1, "A", Duration.ofMinutes(1)).size());
        assertTrue(store.retry(later, "A", "FHIR server down", Duration.ofHours(1), 5));
        long id = store.insert(message("R1", "retry me")).message().id();
        assertEquals(id, store.claim(MessageState.PARSED, 5, "A", Duration.ofMinutes(1)).get(0).id(),
                "the message waiting an hour is not due");
        assertTrue(store.retry(id, "A", "FHIR server down", Duration.ZERO, 2));
        assertEquals(1, store.claim(MessageState.PARSED, 5, "A", Duration.ofMinutes(1)).size());
        assertTrue(store.retry(id, "A", "FHIR server down again", Duration.ZERO, 2));
        StoredMessage dead = store.find(id).orElseThrow();
        assertEquals(MessageState.DEAD, dead.state());
        assertEquals(2, dead.attempts());
        assertEquals(Optional.of("FHIR server down again"), dead.failureReason());
        assertEquals(1, store.replay(new ReplaySelection(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("down again"))));
        StoredMessage back = store.find(id).orElseThrow();
        assertEquals(MessageState.PARSED, back.state());
        assertEquals(0, back.attempts());
    }

    /**
     * Leases are on the database's clock: a process whose own clock runs 10 minutes ahead (a Clock offset injected
     * into its store) neither takes over a lease that is live on the database's clock, nor holds its own lease past
     * its duration: another process takes the message over once the lease ends, and the skewed one cannot renew it.
     */
    @Test
    void aNodeWithASkewedClockNeitherStealsALiveLeaseNorKeepsADeadOne() {
        MessageStore skewed = new MessageStore(dataSource, java.time.Clock.offset(java.time.Clock.systemUTC(),
                Duration.ofMinutes(10)));
        long held = store.insert(message("S1", "skew 1")).message().id();
        assertEquals(held, store.claim(MessageState.PARSED, 1, "A", Duration.ofMinutes(1)).get(0).id());
        assertEquals(List.of(), skewed.claim(MessageState.PARSED, 5, "B", Duration.ofMinutes(1)),
                "A's lease has a minute left on the database's clock");
        assertTrue(store.renewLease(held, "A", Duration.ofMinutes(1)), "A still holds its live lease");

        long own = store.insert(message("S2", "skew 2")).message().id();
        assertEquals(own, skewed.claim(MessageState.PARSED, 1, "B", Duration.ofMillis(500)).get(0).id());
        await("B's lease of 500 ms ends on the database's clock",
                () -> sql("SELECT COUNT(*) FROM message WHERE id = ? AND lease_until < CURRENT_TIMESTAMP", own) == 1);
        assertFalse(skewed.renewLease(own, "B", Duration.ofMinutes(1)), "B cannot revive a lease that ended");
        assertEquals(own, store.claim(MessageState.PARSED, 1, "C", Duration.ofMinutes(1)).get(0).id(),
                "the message is free for another process");
        assertFalse(skewed.markDiagnosed(own, "B", "r", "{}", null, "x".repeat(64)), "B's completion is fenced");
    }

    /**
     * The retention purge deletes finished messages older than their retention (DELIVERED 30 days, FAILED and DEAD
     * 90 days, measured from their last change) in batches of the configured size, and audit events older than
     * theirs (6 years), also those of deleted messages only then; young finished messages and unfinished ones
     * (RECEIVED, PARSED, DIAGNOSED, leased in flight) stay, however old.
     */
    @Test
    void retentionDeletesOldFinishedRowsOnlyInBatchesAndAuditEventsAfterTheirOwnRetention() {
        java.util.Map<String, Long> ids = new java.util.LinkedHashMap<>();
        for (String name : List.of("deliveredOld1", "deliveredOld2", "deliveredOld3", "deliveredYoung")) {
            long id = store.insert(message(name, name)).message().id();
            assertEquals(id, store.claim(MessageState.PARSED, 1, "W", Duration.ofMinutes(1)).get(0).id());
            assertTrue(store.markDiagnosed(id, "W", "r", "{}", null, "x".repeat(64)));
            assertEquals(id, store.claim(MessageState.DIAGNOSED, 1, "W", Duration.ofMinutes(1)).get(0).id());
            assertTrue(store.markDelivered(id, "W"));
            ids.put(name, id);
        }
        for (String name : List.of("failedOld", "failedYoung", "deadOld")) {
            long id = store.insert(message(name, name)).message().id();
            assertEquals(id, store.claim(MessageState.PARSED, 1, "W", Duration.ofMinutes(1)).get(0).id());
            assertTrue(store.fail(id, "W", name.startsWith("dead") ? MessageState.DEAD : MessageState.FAILED, "x"));
            ids.put(name, id);
        }
        ids.put("parsedAncient", store.insert(message("parsedAncient", "p")).message().id());
        long inFlight = store.insert(message("inFlightAncient", "f")).message().id();
        assertEquals(List.of(ids.get("parsedAncient"), inFlight), store.claim(MessageState.PARSED, 2, "W",
                Duration.ofMinutes(1)).stream().map(StoredMessage::id).toList());
        assertTrue(store.markDiagnosed(ids.get("parsedAncient"), "W", "r", "{}", null, "x".repeat(64)),
                "now DIAGNOSED, waiting for delivery");
        ids.put("inFlightAncient", inFlight);
        ids.put("waitingAncient", store.insert(message("waitingAncient", "w")).message().id());
        ids.put("receivedAncient", store.insert(new NewMessage(Channel.MLLP, "receivedAncient", "0".repeat(64),
                new byte[] {1}, "127.0.0.1", MessageState.RECEIVED, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty())).message().id());
        age("deliveredOld1", 31, ids);
        age("deliveredOld2", 31, ids);
        age("deliveredOld3", 400, ids);
        age("deliveredYoung", 29, ids);
        age("failedOld", 91, ids);
        age("failedYoung", 60, ids);
        age("deadOld", 91, ids);
        for (String ancient : List.of("parsedAncient", "inFlightAncient", "waitingAncient", "receivedAncient")) {
            age(ancient, 4000, ids);
        }
        store.audit(ids.get("deliveredOld1"), "received", "0", "{\"old\":1}");
        store.audit(ids.get("deliveredOld1"), "delivered", "0", "{\"young\":1}");
        store.audit(null, "read", "0", "{\"young\":2}");
        sql("UPDATE audit_event SET recorded_at = recorded_at - 2200 * INTERVAL '1' DAY WHERE resource = '{\"old\":1}'");
        sql("UPDATE audit_event SET recorded_at = recorded_at - 2000 * INTERVAL '1' DAY WHERE resource = '{\"young\":2}'");

        RetentionPurge purge = new RetentionPurge(store, new RetentionSettings(Duration.ofDays(30), Duration.ofDays(90),
                Duration.ofDays(2192), 2, Duration.ofHours(1)));
        assertEquals(2 + 1 + 1 + 1, purge.runOnce(), "one batch of 2 DELIVERED, the FAILED, the DEAD, one audit event");
        assertEquals(1, purge.runOnce(), "the third old DELIVERED, in the next batch");
        assertEquals(0, purge.runOnce());
        Set<String> left = new java.util.TreeSet<>();
        ids.forEach((name, id) -> store.find(id).ifPresent(m -> left.add(name)));
        assertEquals(new java.util.TreeSet<>(List.of("deliveredYoung", "failedYoung", "parsedAncient",
                "inFlightAncient", "waitingAncient", "receivedAncient")), left);
        assertEquals(List.of("{\"young\":1}"), store.auditEvents(ids.get("deliveredOld1")),
                "the audit event of a deleted message stays until its own retention");
        assertEquals(2, sql("SELECT COUNT(*) FROM audit_event"));
        assertEquals(bruteForceCounts(), store.countsByState());
    }

    private void age(String name, int days, java.util.Map<String, Long> ids) {
        assertEquals(1, sql("UPDATE message SET updated_at = updated_at - " + days + " * INTERVAL '1' DAY "
                + "WHERE id = ?", ids.get(name)));
    }

    /**
     * The counts by state come from the work-state index and the maintained counts of the finished states; they
     * equal a full count after every kind of change: insert (also straight to FAILED), claim, diagnosis, delivery,
     * failure, retry into DEAD, poisoned messages ended, replay and purge.
     */
    @Test
    void countsByStateEqualAFullCountAfterEveryKindOfChange() {
        java.util.function.Consumer<String> check = step -> assertEquals(bruteForceCounts(), store.countsByState(),
                "after " + step);
        check.accept("nothing");
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(store.insert(message("N" + i, "count " + i)).message().id());
        }
        store.insert(message("N0", "count 0"));
        store.insert(new NewMessage(Channel.MLLP, "bad", "1".repeat(64), new byte[] {2}, "127.0.0.1",
                MessageState.FAILED, Optional.of("AE"), Optional.of("unreadable"), Optional.empty(), Optional.empty()));
        check.accept("inserts and a duplicate");
        List<StoredMessage> claimed = store.claim(MessageState.PARSED, 12, "W", Duration.ofMinutes(1));
        check.accept("claim");
        for (int i = 0; i < 6; i++) {
            assertTrue(store.markDiagnosed(claimed.get(i).id(), "W", "r", "{}", null, "x".repeat(64)));
        }
        check.accept("diagnosis");
        List<StoredMessage> toDeliver = store.claim(MessageState.DIAGNOSED, 6, "W", Duration.ofMinutes(1));
        for (int i = 0; i < 4; i++) {
            assertTrue(store.markDelivered(toDeliver.get(i).id(), "W"));
        }
        assertFalse(store.markDelivered(toDeliver.get(0).id(), "W"), "delivered once");
        check.accept("delivery");
        assertTrue(store.fail(claimed.get(6).id(), "W", MessageState.FAILED, "bad"));
        assertTrue(store.fail(claimed.get(7).id(), "W", MessageState.DEAD, "rejected"));
        assertFalse(store.fail(claimed.get(7).id(), "W", MessageState.DEAD, "again"), "fenced: no lease any more");
        check.accept("fail");
        assertTrue(store.retry(claimed.get(8).id(), "W", "down", Duration.ZERO, 1));
        assertTrue(store.retry(claimed.get(9).id(), "W", "down", Duration.ZERO, 5));
        check.accept("retry into DEAD and a retry");
        store.beginAttempt(List.of(claimed.get(10).id()), "W");
        assertTrue(store.releaseSuspect(claimed.get(10).id(), "W", "stopped", Duration.ZERO));
        assertEquals(List.of(claimed.get(10).id()), store.failPoisoned(MessageState.PARSED, 1, "poisoned"));
        check.accept("poisoned");
        assertEquals(5, store.replay(new ReplaySelection(Optional.empty(), Optional.of(java.time.Instant.EPOCH),
                Optional.empty(), Optional.empty())), "the FAILED insert, the FAILED, the DEAD, the dead retry, the poisoned");
        check.accept("replay");
        assertTrue(store.fail(store.claim(MessageState.PARSED, 1, "W", Duration.ofMinutes(1)).get(0).id(), "W",
                MessageState.FAILED, "again"));
        sql("UPDATE message SET updated_at = updated_at - 100 * INTERVAL '1' DAY");
        assertEquals(4, store.purge(MessageState.DELIVERED, Duration.ofDays(30), 10));
        assertEquals(1, store.purge(MessageState.FAILED, Duration.ofDays(30), 10));
        check.accept("purge");
    }
}
