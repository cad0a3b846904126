package org.tamer.runtime.preprocess;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;

/**
 * Turns any {@link EcgRecord} into the model's input. One object, used unchanged by training and by the gateway:
 * <ol>
 *   <li>select the configured leads in canonical order (a record lacking one is rejected);</li>
 *   <li>repair runs of missing samples from their neighbours;</li>
 *   <li>resample to the model rate with a polyphase anti-aliasing filter;</li>
 *   <li>crop to the model length (start or centre);</li>
 *   <li>scale amplitudes (global min-max by default);</li>
 *   <li>zero-pad at the end to the model length.</li>
 * </ol>
 * Thread-safe; the resampling filters of the last few rate pairs are kept ({@link ResamplerCache}).
 */
public final class Preprocessor {

    /** Rates whose ratio needs more than this as numerator or denominator are refused (filter too long). */
    private static final int MAX_RATIO_TERM = 100_000;

    private final PreprocessingConfig config;
    private final ResamplerCache resamplers;

    public Preprocessor(PreprocessingConfig config) {
        this(config, ResamplerCache.DEFAULT_CAPACITY);
    }

    /** @param cachedFilters how many rate pairs' resampling filters to keep (each up to about 17 MB) */
    public Preprocessor(PreprocessingConfig config, int cachedFilters) {
        this.config = Objects.requireNonNull(config, "config");
        this.resamplers = new ResamplerCache(cachedFilters);
    }

    public PreprocessingConfig config() {
        return config;
    }

    /**
     * Preprocesses one record.
     *
     * @throws org.tamer.runtime.ecg.MissingLeadsException if a configured lead is absent
     * @throws IllegalArgumentException if a lead has no finite sample or the rate cannot be converted
     */
    public PreprocessedEcg apply(EcgRecord record) {
        EcgSignal signal = record.signal().select(config.leadOrder());
        List<Lead> leads = signal.leads();
        int leadCount = leads.size();
        int targetLength = config.targetLength();
        PolyphaseResampler resampler = resamplerFor(signal.samplingRateHz(), record.id());

        int repaired = 0;
        float[][] resampled = new float[leadCount][];
        for (int lead = 0; lead < leadCount; lead++) {
            float[] samples = signal.copyOfLead(lead);
            try {
                repaired += MissingSampleRepair.repair(samples, leads.get(lead).label());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("record " + record.id() + ": " + e.getMessage(), e);
            }
            resampled[lead] = resampler.resample(samples);
        }

        int available = resampled[0].length;
        int kept = Math.min(available, targetLength);
        int start = config.cropPosition() == CropPosition.CENTER ? (available - kept) / 2 : 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float[] lead : resampled) {
            for (int t = start; t < start + kept; t++) {
                min = Math.min(min, lead[t]);
                max = Math.max(max, lead[t]);
            }
        }

        float[] values = new float[leadCount * targetLength];
        for (int lead = 0; lead < leadCount; lead++) {
            System.arraycopy(resampled[lead], start, values, lead * targetLength, kept);
            scale(values, lead * targetLength, kept, min, max);
        }
        PreprocessingReport report = new PreprocessingReport(repaired, signal.samplingRateHz(), signal.length(),
                available - kept, targetLength - kept, min, max);
        return new PreprocessedEcg(record.id(), leads, config.targetRateHz(), targetLength, values, report);
    }

    private void scale(float[] values, int offset, int count, double min, double max) {
        switch (config.normalisation()) {
            case GLOBAL_MIN_MAX -> {
                double range = max - min;
                for (int i = offset; i < offset + count; i++) {
                    values[i] = range > 0 ? (float) ((values[i] - min) / range) : 0f;
                }
            }
            case Z_SCORE_PER_LEAD -> {
                double sum = 0;
                for (int i = offset; i < offset + count; i++) {
                    sum += values[i];
                }
                double mean = sum / count;
                double squares = 0;
                for (int i = offset; i < offset + count; i++) {
                    squares += (values[i] - mean) * (values[i] - mean);
                }
                double std = Math.sqrt(squares / count);
                for (int i = offset; i < offset + count; i++) {
                    values[i] = std > 0 ? (float) ((values[i] - mean) / std) : 0f;
                }
            }
            case NONE -> {
                // millivolts as they are
            }
        }
    }

    /**
     * Checks, without preprocessing, that {@link #apply} can turn a record into model input: every configured lead
     * is present, each of them has at least one finite sample, and the sampling rate converts to the model rate.
     * Intake calls this so that a record the model can never read is refused when it arrives, by the same rules
     * {@link #apply} enforces, instead of failing later.
     *
     * @throws org.tamer.runtime.ecg.MissingLeadsException if a configured lead is absent
     * @throws IllegalArgumentException naming the lead or the rate otherwise
     */
    public void check(EcgRecord record) {
        EcgSignal signal = record.signal().select(config.leadOrder());
        for (int lead = 0; lead < signal.leadCount(); lead++) {
            boolean finite = false;
            for (int t = 0; t < signal.length() && !finite; t++) {
                finite = !Float.isNaN(signal.millivolts(lead, t));
            }
            if (!finite) {
                throw new IllegalArgumentException("record " + record.id() + ": lead "
                        + signal.leads().get(lead).label() + " has no finite sample");
            }
        }
        resamplingRatio(signal.samplingRateHz(), record.id());
    }

    private PolyphaseResampler resamplerFor(double sourceRateHz, String recordId) {
        return resamplers.get(sourceRateHz, config.targetRateHz(), () -> {
            int[] ratio = resamplingRatio(sourceRateHz, recordId);
            return new PolyphaseResampler(ratio[0], ratio[1]);
        });
    }

    /** The reduced up/down factors from a rate to the model rate; refused when either exceeds the limit. */
    private int[] resamplingRatio(double sourceRateHz, String recordId) {
        BigDecimal source = BigDecimal.valueOf(sourceRateHz);
        BigDecimal target = BigDecimal.valueOf(config.targetRateHz());
        int scale = Math.max(0, Math.max(source.scale(), target.scale()));
        BigInteger up = target.setScale(scale).unscaledValue();
        BigInteger down = source.setScale(scale).unscaledValue();
        BigInteger g = up.gcd(down);
        up = up.divide(g);
        down = down.divide(g);
        if (up.bitLength() > 31 || down.bitLength() > 31
                || up.intValue() > MAX_RATIO_TERM || down.intValue() > MAX_RATIO_TERM) {
            throw new IllegalArgumentException("record " + recordId + ": cannot resample from " + sourceRateHz
                    + " Hz to " + config.targetRateHz() + " Hz (ratio " + ratioText(up) + "/" + ratioText(down)
                    + " is too fine: each term at most " + MAX_RATIO_TERM + ")");
        }
        return new int[] {up.intValue(), down.intValue()};
    }

    /** A ratio term for a message: a 300-digit number is shown by its size. */
    private static String ratioText(BigInteger term) {
        String digits = term.toString();
        return digits.length() <= 12 ? digits : "a " + digits.length() + "-digit number";
    }

    /** The resampling filters held (tests). */
    ResamplerCache resamplers() {
        return resamplers;
    }
}
