package org.tamer.routes.hl7;

/**
 * The value of one digital unit of a waveform, and how a message writes it.
 *
 * @param millivoltsPerDigit the value of one integer sample in millivolts
 * @param pcdUnits           OBX-6 of an IHE PCD-01 waveform OBX (CWE)
 * @param sensitivityUnits   channel sensitivity and units of a chapter 7 CD (CSU, as sensitivity&unit&text&system)
 */
public record WaveformScale(double millivoltsPerDigit, String pcdUnits, String sensitivityUnits) {

    /** One microvolt per digit, in MDC units (PTB-XL's own resolution: lossless for it). */
    public static final WaveformScale MICROVOLT = new WaveformScale(0.001, "266419^MDC_DIM_MICRO_VOLT^MDC",
            "1&uV&microvolt&UCUM");

    /** 10 mV over a 12-bit range, written as the UCUM expression 10.mV/4096 used by many carts. */
    public static final WaveformScale TEN_MILLIVOLTS_PER_4096 = new WaveformScale(10.0 / 4096,
            "10.mV/4096^10 mV per 4096^UCUM", "0.00244140625&mV&millivolt&UCUM");

    public WaveformScale {
        if (!(millivoltsPerDigit > 0) || Double.isInfinite(millivoltsPerDigit)) {
            throw new IllegalArgumentException("millivoltsPerDigit must be positive and finite: " + millivoltsPerDigit);
        }
    }
}
