package org.tamer.routes.adapters.wfdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;

/**
 * Turns ADC values into millivolts with the gains, baselines and units of a WFDB header, after checking each
 * signal's checksum and first value against the header. Shared by every reader of WFDB-described records (WFDB
 * signal files, Challenge {@code .mat} files).
 */
public final class WfdbSignalConverter {

    /**
     * @param adc    {@code [signal][sample]} ADC values, {@link WfdbSampleDecoder#MISSING} where invalid
     * @param source the header's file name, for error messages
     */
    public EcgSignal toSignal(WfdbHeader header, int[][] adc, String source) {
        List<WfdbSignalSpec> specs = header.signals();
        if (adc.length != specs.size()) {
            throw new EcgFormatException(source, "signals", "header describes " + specs.size()
                    + " signals but the data holds " + adc.length);
        }
        List<Lead> leads = new ArrayList<>(specs.size());
        float[][] millivolts = new float[specs.size()][];
        for (int s = 0; s < specs.size(); s++) {
            WfdbSignalSpec spec = specs.get(s);
            String field = "signal " + (s + 1) + " (" + spec.description() + ")";
            if (spec.description().isBlank()) {
                throw new EcgFormatException(source, "signal " + (s + 1) + ": description",
                        "no lead name given, so the lead cannot be identified");
            }
            leads.add(Lead.parse(spec.description()));
            int[] values = adc[s];
            header.samplesPerSignal().ifPresent(declared -> {
                if (declared != values.length) {
                    throw new EcgFormatException(source, field, "header declares " + declared
                            + " samples but " + values.length + " were read");
                }
            });
            verifyChecksum(spec, values, source, field);
            if (spec.initialValue().isPresent() && values.length > 0 && values[0] != WfdbSampleDecoder.MISSING
                    && values[0] != spec.initialValue().get()) {
                throw new EcgFormatException(source, field + ": initial value", "header says "
                        + spec.initialValue().get() + " but the first sample is " + values[0]);
            }
            double scale = unitsToMillivolts(spec.units(), source, field) / spec.gain();
            float[] mv = new float[values.length];
            for (int t = 0; t < values.length; t++) {
                mv[t] = values[t] == WfdbSampleDecoder.MISSING
                        ? Float.NaN : (float) ((values[t] - spec.baseline()) * scale);
            }
            millivolts[s] = mv;
        }
        try {
            return EcgSignal.adopt(header.samplingRateHz(), leads, millivolts);
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, "signals", e.getMessage(), e);
        }
    }

    private static void verifyChecksum(WfdbSignalSpec spec, int[] values, String source, String field) {
        if (spec.checksum().isEmpty()) {
            return;
        }
        int sum = 0;
        for (int v : values) {
            // The recorder's invalid-sample marker is a stored value and counts as such in the checksum.
            sum += v == WfdbSampleDecoder.MISSING ? missingMarker(spec.format()) : v;
        }
        if ((short) sum != (short) (int) spec.checksum().get()) {
            throw new EcgFormatException(source, field + ": checksum", "header says " + spec.checksum().get()
                    + " but the samples sum to " + (short) sum + ": the signal file is corrupt or does not belong"
                    + " to this header");
        }
    }

    private static int missingMarker(int format) {
        return format == 212 ? -2048 : -32768;
    }

    private static double unitsToMillivolts(String units, String source, String field) {
        return switch (units.toLowerCase(Locale.ROOT)) {
            case "mv" -> 1.0;
            case "uv", "µv", "μv" -> 1e-3;
            case "nv" -> 1e-6;
            case "v" -> 1e3;
            default -> throw new EcgFormatException(source, field + ": units", "'" + units
                    + "' is not a voltage unit");
        };
    }
}
