package org.tamer.runtime.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.TextEncoder;

/**
 * Class embeddings for zero-shot diagnosis: each description is encoded by the frozen text encoder, projected
 * into the latent space and normalised; a class's embedding is the normalised mean of its descriptions'.
 */
public final class ClassEmbeddings {

    private ClassEmbeddings() {
    }

    /** One unit-length vector of size D per class, in the dictionary's order. */
    public static List<float[]> compute(TamerNetwork network, TextEncoder encoder, PromptDictionary prompts,
                                        NDManager parent) {
        List<float[]> embeddings = new ArrayList<>();
        try (NDManager manager = parent.newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (String code : prompts.classes()) {
                NDArray projected = network.embedText(store,
                        encoder.encode(prompts.descriptions(code), manager).global());
                NDArray mean = unit(unit(projected).mean(new int[] {0}, true));
                embeddings.add(mean.toFloatArray());
            }
        }
        return embeddings;
    }

    static NDArray unit(NDArray x) {
        int last = x.getShape().dimension() - 1;
        return x.div(x.square().sum(new int[] {last}, true).maximum(1e-24f).sqrt());
    }
}
