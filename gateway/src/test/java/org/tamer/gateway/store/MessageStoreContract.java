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
    protected SteppingClock clock;

    /** A migrated, empty database for one test. */
    protected abstract javax.sql.DataSource database();

    @BeforeEach
    void migrate() {
        clock = new SteppingClock();
        store = new MessageStore(database(), clock);
    }

    /** The system clock plus whatever the test has skipped ahead, so that lease expiry needs no sleeping. */
    static final class SteppingClock extends java.time.Clock {
        private volatile Duration skipped = Duration.ZERO;

        void advance(Duration by) {
            skipped = skipped.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(skipped);
        }
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
        List<StoredMessage> a = store.claim(MessageState.PARSED, 6, "A", Duration.ofMinutes(1));
        List<StoredMessage> b = store.claim(MessageState.PARSED, 6, "B", Duration.ofMinutes(5));
        assertEquals(6, a.size());
        assertEquals(4, b.size());
        Set<Long> ids = new HashSet<>();
        a.forEach(m -> ids.add(m.id()));
        b.forEach(m -> ids.add(m.id()));
        assertEquals(10, ids.size(), "no message claimed twice");
        assertTrue(store.claim(MessageState.PARSED, 10, "C", Duration.ofMinutes(5)).isEmpty());
        clock.advance(Duration.ofSeconds(90));
        List<StoredMessage> taken = store.claim(MessageState.PARSED, 10, "C", Duration.ofMinutes(5));
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
}
