/**
 * The ECG as a value: {@link org.tamer.runtime.ecg.EcgRecord} (identity, references, time, report, source) around
 * an {@link org.tamer.runtime.ecg.EcgSignal} (rate, leads, millivolts). Every adapter produces these and every
 * consumer reads them; they validate themselves at construction.
 */
package org.tamer.runtime.ecg;
