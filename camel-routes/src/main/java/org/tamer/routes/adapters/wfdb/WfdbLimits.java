package org.tamer.routes.adapters.wfdb;

/**
 * Limits on what a WFDB record may make a reader read, checked before anything is allocated or opened. Each limit
 * is named in the error that reports it, by the constant's text (the gateway setting that changes it).
 *
 * @param maxHeaderBytes     largest header accepted
 * @param maxSignals         most signals a header may declare
 * @param maxSignalFileBytes largest signal file read (checked against the file's size, and against the size the
 *                           header implies, before reading)
 */
public record WfdbLimits(long maxHeaderBytes, int maxSignals, long maxSignalFileBytes) {

    public static final String MAX_HEADER_BYTES = "tamer.decoder.max-wfdb-header-bytes";
    public static final String MAX_SIGNALS = "tamer.decoder.max-wfdb-signals";
    public static final String MAX_SIGNAL_FILE_BYTES = "tamer.decoder.max-wfdb-signal-file-bytes";

    public WfdbLimits {
        if (maxHeaderBytes < 1 || maxSignals < 1 || maxSignalFileBytes < 1) {
            throw new IllegalArgumentException("WFDB limits must be positive: " + maxHeaderBytes + ", " + maxSignals
                    + ", " + maxSignalFileBytes);
        }
        if (maxSignalFileBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(MAX_SIGNAL_FILE_BYTES + " must be below 2 GiB (one Java array), got "
                    + maxSignalFileBytes);
        }
    }

    /**
     * 1 MiB headers, 256 signals, 512 MiB signal files (a 24-hour 12-lead Holter record in format 16 at 500 Hz is
     * about 1 GiB and must be split; a 10 s 12-lead ECG is 120 KB).
     */
    public static WfdbLimits defaults() {
        return new WfdbLimits(1L << 20, 256, 512L << 20);
    }
}
