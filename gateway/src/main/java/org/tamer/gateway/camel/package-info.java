/**
 * The gateway's inbound Camel and MLLP endpoints: the MLLP listener ({@link org.tamer.gateway.camel.MllpListener})
 * that acknowledges an HL7 v2 message only after it is stored, configured by
 * {@link org.tamer.gateway.camel.MllpSettings} ({@code tamer.mllp.*}), and a Camel context of its own for each
 * optional route, the FHIR poll and the file drop ({@link org.tamer.gateway.camel.RouteRunner}).
 */
package org.tamer.gateway.camel;
