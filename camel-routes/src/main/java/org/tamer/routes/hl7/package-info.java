/**
 * HL7 v2: reading ECG waveform results ({@link org.tamer.routes.hl7.Hl7WaveformAdapter}), writing them
 * ({@link org.tamer.routes.hl7.Hl7WaveformWriter}, for fixtures and the demo), acknowledgements
 * ({@link org.tamer.routes.hl7.Hl7Acknowledgement}) and diagnosis results
 * ({@link org.tamer.routes.hl7.Hl7ResultMessageBuilder}).
 */
package org.tamer.routes.hl7;
