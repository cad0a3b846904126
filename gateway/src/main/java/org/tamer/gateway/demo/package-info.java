/**
 * The demo sender {@code bin/tamer-send} ({@link org.tamer.gateway.demo.SendEcg}): sends a PTB-XL ECG to a running
 * gateway as an HL7 v2 ORU^R01 over MLLP, waits for the diagnosis and prints its summary and the FHIR result.
 */
package org.tamer.gateway.demo;
