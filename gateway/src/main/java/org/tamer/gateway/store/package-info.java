/**
 * The durable message store over JDBC ({@link org.tamer.gateway.store.MessageStore}): raw messages with their
 * acknowledgement, state ({@link org.tamer.gateway.store.MessageState}: received, parsed, diagnosed, delivered,
 * failed, dead), result and audit events, with work claimed under leases on the database's clock so that several
 * gateway processes can share one database. Also read-only queries for operators, FHIR poll cursors, replay
 * selection and the retention purge.
 */
package org.tamer.gateway.store;
