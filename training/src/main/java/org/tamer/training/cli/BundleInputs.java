package org.tamer.training.cli;

import java.util.ArrayList;
import java.util.List;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.training.dataset.DatasetExample;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.Split;

/**
 * What a dataset must share with a bundle before the bundle's network sees its examples: the preprocessing the
 * waveforms went through (the dataset stores them preprocessed). Spectrograms are computed with the bundle's STFT
 * settings by the commands themselves.
 */
final class BundleInputs {

    private BundleInputs() {
    }

    static void requireSamePreprocessing(ShardDataset data, ModelBundle bundle) {
        String dataset = data.manifest().has("preprocessing") ? data.manifest().get("preprocessing").getAsString()
                : null;
        String expected = bundle.manifest().preprocessing().toString();
        if (dataset != null && !dataset.equals(expected)) {
            throw new IllegalArgumentException("the dataset " + data.directory() + " was preprocessed with " + dataset
                    + ", but the bundle " + bundle.directory() + " expects " + expected
                    + "; rebuild the dataset with the bundle's preprocessing");
        }
    }

    /** The examples of the given splits, read shard by shard (memory: those splits and one shard). */
    static List<DatasetExample> examples(ShardDataset data, List<Split> splits) {
        List<DatasetExample> selected = new ArrayList<>();
        for (Split split : Split.values()) {
            if (splits.contains(split)) {
                selected.addAll(data.split(split));
            }
        }
        return selected;
    }
}
