package org.tamer.routes.adapters.wfdb;

import java.util.Optional;

/**
 * One signal line of a WFDB header.
 *
 * @param fileName      the signal file, relative to the header's directory
 * @param format        storage format (16, 212, …)
 * @param byteOffset    bytes to skip at the start of the signal file
 * @param gain          ADC units per physical unit (the WFDB default 200 when the header gives 0 or nothing)
 * @param baseline      ADC value of 0 physical units
 * @param units         physical units, {@code mV} when absent
 * @param adcResolution bits
 * @param adcZero       ADC value at the middle of the input range
 * @param initialValue  first sample, when given
 * @param checksum      16-bit sum of all samples, when given
 * @param description   the signal's description, normally the lead name
 */
public record WfdbSignalSpec(
        String fileName,
        int format,
        long byteOffset,
        double gain,
        int baseline,
        String units,
        int adcResolution,
        int adcZero,
        Optional<Integer> initialValue,
        Optional<Integer> checksum,
        String description) {
}
