/** MLLP framing for senders: the demo sender, HL7 result delivery and the tests use {@link org.tamer.routes.mllp.MllpClient}. */
package org.tamer.routes.mllp;
