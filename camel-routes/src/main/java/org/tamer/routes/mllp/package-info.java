/**
 * MLLP, the HL7 v2 minimal lower layer protocol: {@link org.tamer.routes.mllp.MllpServer}, the gateway's hardened
 * listener (limits, idle timeout, pipelined frames, no message content in logs), and
 * {@link org.tamer.routes.mllp.MllpClient}, used by the demo sender, HL7 result delivery and the tests.
 */
package org.tamer.routes.mllp;
