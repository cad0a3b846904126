-- Column sizes from the standards instead of guesses (issue 18, item 2), and the poison-attempt counter (issue 20).
-- control_id: HL7 v2 MSH-10 is an ST of up to 199 characters (v2.7+), a file name is up to 255 bytes plus
--   "@" and 32 hex digits, a polled FHIR address is a URL; 512 characters keep the unique index entry
--   (channel, control_id, content_sha256) under PostgreSQL's btree limit of 2704 bytes in any encoding.
--   Intake refuses longer ones, naming the limit (MessageLimits).
-- record_id: HL7 v2 EI.1 (OBR-3) is up to 199 characters, a FHIR identifier value is a string; 4000 characters,
--   longer ones are refused at intake.
-- remote_address: an IP address and port, or the path of a dropped file; longer ones are shortened by the store.
ALTER TABLE message ALTER COLUMN control_id SET DATA TYPE VARCHAR(512);
ALTER TABLE message ALTER COLUMN record_id SET DATA TYPE VARCHAR(4000);
ALTER TABLE message ALTER COLUMN remote_address SET DATA TYPE VARCHAR(1024);

-- How many times processing of this message began and never came to an end (the process died, an Error or a
-- timeout stopped it). Reset when processing ends normally; a message at the configured limit is FAILED unread.
ALTER TABLE message ADD COLUMN poison_attempts INT NOT NULL DEFAULT 0;
