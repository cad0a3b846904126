package org.tamer.training.dataset;

import java.util.Locale;
import java.util.Optional;

/**
 * Report cleaning as MERL prepares MIMIC-IV-ECG reports: statements already joined into one text, lower-cased,
 * whitespace collapsed, trailing punctuation runs tidied; reports of fewer than four words are dropped.
 */
public final class ReportCleaner {

    /** Why a report was dropped. */
    public enum DropReason { MISSING, FEWER_THAN_FOUR_WORDS }

    /** The cleaned report, or the reason it was dropped. */
    public record Cleaned(Optional<String> text, Optional<DropReason> dropped) {
    }

    private final int minimumWords;

    public ReportCleaner() {
        this(4);
    }

    public ReportCleaner(int minimumWords) {
        this.minimumWords = minimumWords;
    }

    public Cleaned clean(Optional<String> report) {
        if (report.isEmpty() || report.get().isBlank()) {
            return new Cleaned(Optional.empty(), Optional.of(DropReason.MISSING));
        }
        String text = report.get().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("\\s+([.,;:])", "$1")
                .replaceAll("\\.{2,}", ".").strip();
        int words = text.split(" ").length;
        if (words < minimumWords) {
            return new Cleaned(Optional.empty(), Optional.of(DropReason.FEWER_THAN_FOUR_WORDS));
        }
        return new Cleaned(Optional.of(text), Optional.empty());
    }
}
