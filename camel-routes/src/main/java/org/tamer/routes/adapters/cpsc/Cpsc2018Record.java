package org.tamer.routes.adapters.cpsc;

import java.util.Objects;
import java.util.Optional;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * A CPSC2018 record with the demographic fields of its {@code ECG} struct.
 *
 * @param ecg the record (500 Hz, 12 leads, mV)
 * @param sex {@code ECG.sex} as written ({@code Male}/{@code Female}), when present
 * @param age {@code ECG.age} in years, when present
 */
public record Cpsc2018Record(EcgRecord ecg, Optional<String> sex, Optional<Double> age) {

    public Cpsc2018Record {
        Objects.requireNonNull(ecg, "ecg");
        Objects.requireNonNull(sex, "sex");
        Objects.requireNonNull(age, "age");
    }
}
