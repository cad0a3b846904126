package org.tamer.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.runtime.Digests;

/** The operator's queries over the real migrations: filters by state, channel, time and reason; paging; detail. */
class MessageBrowserTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    Path directory;

    private MutableClock clock;
    private MessageStore store;
    private MessageBrowser browser;

    @BeforeEach
    void setUp() {
        DataSource h2 = MigratedH2.in(directory);
        clock = new MutableClock(T0);
        store = new MessageStore(h2, clock);
        browser = new MessageBrowser(h2);
    }

    private long insert(Channel channel, String controlId, MessageState state, String reason) {
        byte[] raw = ("MSH|^~\\&|" + controlId).getBytes(StandardCharsets.UTF_8);
        return store.insert(new NewMessage(channel, controlId, Digests.sha256Hex(raw), raw, "10.0.0.7", state,
                Optional.of("MSH|^~\\&|TAMER\rMSA|AA|" + controlId), Optional.ofNullable(reason), Optional.empty(),
                Optional.empty())).message().id();
    }

    private static MessageFilter filter(Set<MessageState> states, Set<Channel> channels, Instant since,
                                        Instant until, String reason, Long before, int limit) {
        return new MessageFilter(states, channels, Optional.ofNullable(since), Optional.ofNullable(until),
                Optional.ofNullable(reason), Optional.ofNullable(before), limit);
    }

    @Test
    void filtersByStateChannelTimeAndReasonNewestFirst() {
        long a = insert(Channel.MLLP, "A", MessageState.PARSED, null);
        clock.advance(Duration.ofMinutes(10));
        long b = insert(Channel.MLLP, "B", MessageState.FAILED, "OBX-5: 12 leads expected, found 11 (100%_done)");
        clock.advance(Duration.ofMinutes(10));
        long c = insert(Channel.FHIR, "C", MessageState.FAILED, "Observation.valueSampledData.period is 0");
        clock.advance(Duration.ofMinutes(10));
        long d = insert(Channel.UPLOAD, "D", MessageState.PARSED, null);

        assertEquals(List.of(d, c, b, a), ids(filter(Set.of(), Set.of(), null, null, null, null, 100)));
        assertEquals(List.of(c, b), ids(filter(Set.of(MessageState.FAILED, MessageState.DEAD), Set.of(), null, null,
                null, null, 100)));
        assertEquals(List.of(b), ids(filter(Set.of(MessageState.FAILED), Set.of(Channel.MLLP), null, null, null,
                null, 100)));
        // since inclusive, until exclusive, on the time received
        assertEquals(List.of(c, b), ids(filter(Set.of(), Set.of(), T0.plus(Duration.ofMinutes(10)),
                T0.plus(Duration.ofMinutes(30)), null, null, 100)));
        // reason: case-insensitive text, LIKE wildcards taken literally
        assertEquals(List.of(b), ids(filter(Set.of(), Set.of(), null, null, "obx-5", null, 100)));
        assertEquals(List.of(b), ids(filter(Set.of(), Set.of(), null, null, "100%_done", null, 100)));
        // as a wildcard, "1%0" would match "100"
        assertEquals(List.of(), ids(filter(Set.of(), Set.of(), null, null, "1%0", null, 100)));
        // paging: two at a time, continuing below the last id
        assertEquals(List.of(d, c), ids(filter(Set.of(), Set.of(), null, null, null, null, 2)));
        assertEquals(List.of(b, a), ids(filter(Set.of(), Set.of(), null, null, null, c, 2)));
    }

    @Test
    void detailCarriesAckAuditAndTimesButNoContent() {
        long id = insert(Channel.MLLP, "X1", MessageState.PARSED, null);
        store.audit(id, "received", "0", "{\"resourceType\":\"AuditEvent\"}");
        MessageDetail detail = browser.detail(id).orElseThrow();
        assertEquals("X1", detail.overview().controlId());
        assertEquals(MessageState.PARSED, detail.overview().state());
        assertEquals(Optional.of("MSH|^~\\&|TAMER\rMSA|AA|X1"), detail.ack());
        assertEquals(Optional.of("10.0.0.7"), detail.remoteAddress());
        assertEquals(1, detail.audit().size());
        assertEquals("received", detail.audit().get(0).action());
        assertEquals("0", detail.audit().get(0).outcome());
        assertEquals(T0, detail.overview().receivedAt());
        assertTrue(detail.diagnosedAt().isEmpty());
        assertFalse(browser.detail(id + 1000).isPresent());
    }

    @Test
    void throughputCountsTheWindowOnly() {
        insert(Channel.MLLP, "old", MessageState.PARSED, null);
        clock.advance(Duration.ofMinutes(5));
        insert(Channel.MLLP, "new1", MessageState.PARSED, null);
        insert(Channel.MLLP, "new2", MessageState.PARSED, null);
        MessageBrowser.Throughput t = browser.throughput(clock.instant(), Duration.ofMinutes(1));
        assertEquals(2, t.received());
        assertEquals(0, t.delivered());
    }

    @Test
    void refusesUnboundedRequests() {
        assertThrows(IllegalArgumentException.class, () -> filter(Set.of(), Set.of(), null, null, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> filter(Set.of(), Set.of(), null, null, null, null,
                MessageFilter.MAX_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> filter(Set.of(), Set.of(), null, null,
                "x".repeat(MessageFilter.MAX_REASON_LENGTH + 1), null, 10));
    }

    private List<Long> ids(MessageFilter filter) {
        return browser.list(filter).stream().map(MessageOverview::id).toList();
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
