package org.tamer.training.dataset;

import java.util.List;

/** An archive read through the ingestion adapters, as the dataset builder sees it: stable keys, labelled records. */
public interface TrainingSource {

    /** A short description for the manifest, e.g. {@code PTB-XL 500 Hz at /data/ptbxl}. */
    String description();

    /** Stable, ordered record keys. */
    List<String> keys();

    /**
     * Reads one record.
     *
     * @throws org.tamer.routes.adapters.EcgFormatException when it cannot be read completely
     */
    LabelledRecord read(String key);
}
