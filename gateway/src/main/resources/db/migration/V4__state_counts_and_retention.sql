-- Cheap state counts and retention (issue 20).
-- The work states (RECEIVED, PARSED, DIAGNOSED) are counted from this index alone; the retention purge finds old
-- finished rows through it (state, then age).
CREATE INDEX message_state_updated ON message (state, updated_at);

-- The finished states accumulate (DELIVERED for the retention period); their counts are kept here, changed in the
-- same transaction as every change of a message into or out of them (MessageStore), so a count is one row read.
CREATE TABLE message_state_count (
    state  VARCHAR(16) PRIMARY KEY,
    n      BIGINT      NOT NULL
);
INSERT INTO message_state_count (state, n) VALUES ('DELIVERED', (SELECT COUNT(*) FROM message WHERE state = 'DELIVERED'));
INSERT INTO message_state_count (state, n) VALUES ('FAILED', (SELECT COUNT(*) FROM message WHERE state = 'FAILED'));
INSERT INTO message_state_count (state, n) VALUES ('DEAD', (SELECT COUNT(*) FROM message WHERE state = 'DEAD'));

-- The audit retention purge goes by age.
CREATE INDEX audit_event_recorded ON audit_event (recorded_at);
