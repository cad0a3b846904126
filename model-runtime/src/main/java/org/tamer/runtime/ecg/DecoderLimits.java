package org.tamer.runtime.ecg;

import java.util.Optional;

/**
 * The limits every decoder of outside input (ECG files, HL7 v2 messages, FHIR resources) checks before it allocates
 * memory for what the input declares, so that a small hostile input cannot take the heap or the CPU. One record for
 * all decoders; the gateway fills it from configuration (keys under {@value #PREFIX}, see docs/security.md), tools and
 * tests use {@link #defaults()}. A value beyond a limit is refused with the format's own error, naming the limit
 * and its key ({@link #exceeded}).
 *
 * @param maxDecompressedBytes bytes one file may inflate to (Philips XLI, zlib in MAT files), all leads together
 * @param maxLeads             leads (channels) in one ECG
 * @param maxSamplesPerLead    samples per lead (1,000,000 is 33 minutes at 500 Hz)
 * @param maxTotalSamples      samples over all leads together (4 bytes each once decoded)
 * @param maxNestingDepth      nesting of XML elements and of DICOM sequences
 * @param maxElements          XML elements, or DICOM data elements, in one file
 * @param maxFieldComponents   separators (components, repetitions, subcomponents) in one HL7 v2 field other than
 *                             the NA/MA sample arrays, which are read without HAPI
 * @param maxTextLength        characters of report text (statements, notes, TX/FT/ST values) and of other text
 *                             fields the decoders keep
 */
public record DecoderLimits(
        long maxDecompressedBytes,
        int maxLeads,
        int maxSamplesPerLead,
        long maxTotalSamples,
        int maxNestingDepth,
        int maxElements,
        int maxFieldComponents,
        int maxTextLength) {

    /** The prefix of the configuration keys, e.g. {@code tamer.decoder.max-leads}. */
    public static final String PREFIX = "tamer.decoder";

    public DecoderLimits {
        positive(maxDecompressedBytes, "max-decompressed-bytes");
        positive(maxLeads, "max-leads");
        positive(maxSamplesPerLead, "max-samples-per-lead");
        positive(maxTotalSamples, "max-total-samples");
        positive(maxNestingDepth, "max-nesting-depth");
        positive(maxElements, "max-elements");
        positive(maxFieldComponents, "max-field-components");
        positive(maxTextLength, "max-text-length");
    }

    /**
     * Safe defaults: 64 MiB decompressed, 64 leads, 1,000,000 samples per lead, 16,000,000 samples in all (64 MB of
     * floats), nesting 32, 200,000 elements, 1,000 separators per HL7 field, 1,000,000 characters of text. The real
     * files of every supported format sit far inside them (a 12-lead 10 s ECG at 500 Hz: 12 leads, 5,000 samples
     * per lead, about 1,500 XML elements, nesting 15).
     */
    public static DecoderLimits defaults() {
        return new DecoderLimits(64L << 20, 64, 1_000_000, 16_000_000L, 32, 200_000, 1_000, 1_000_000);
    }

    /** The configuration key of a limit, e.g. {@code key("max-leads")} is {@code tamer.decoder.max-leads}. */
    public static String key(String name) {
        return PREFIX + "." + name;
    }

    /**
     * The reason to give when an input goes beyond a limit, e.g. "declares 70000 leads, beyond the limit of 64
     * (tamer.decoder.max-leads)".
     *
     * @param what  what the input has or declares, e.g. "declares 70000 leads"
     * @param name  the limit's key without prefix, e.g. {@code max-leads}
     * @param limit the limit's value
     */
    public static String exceeded(String what, String name, long limit) {
        return what + ", beyond the limit of " + limit + " (" + key(name) + ")";
    }

    /**
     * The first of the signal-size limits that {@code leads} leads of {@code samplesPerLead} samples break, as the
     * reason to give, or empty when the signal is within them. Decoders call this with the sizes the input
     * declares, before they allocate the sample arrays.
     */
    public Optional<String> signalViolation(long leads, long samplesPerLead) {
        if (leads > maxLeads) {
            return Optional.of(exceeded(leads + " leads", "max-leads", maxLeads));
        }
        if (samplesPerLead > maxSamplesPerLead) {
            return Optional.of(exceeded(samplesPerLead + " samples per lead", "max-samples-per-lead",
                    maxSamplesPerLead));
        }
        if (leads * samplesPerLead > maxTotalSamples) {
            return Optional.of(exceeded(leads + " leads x " + samplesPerLead + " samples", "max-total-samples",
                    maxTotalSamples));
        }
        return Optional.empty();
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(key(name) + " must be positive, got " + value);
        }
    }
}
