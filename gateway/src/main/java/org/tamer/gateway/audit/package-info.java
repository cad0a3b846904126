/**
 * Audit records of the gateway: FHIR AuditEvents in the style of IHE Basic Audit Log Patterns for each message
 * received and each result delivered ({@link org.tamer.gateway.audit.AuditEvents}), naming the message by channel
 * and control id, never by patient data; the message store keeps them.
 */
package org.tamer.gateway.audit;
