package org.tamer.gateway.model;

import java.util.Optional;
import org.tamer.fhir.writeback.ModelDescriptor;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.inference.ZeroShotClassifier;
import org.tamer.runtime.preprocess.Preprocessor;

/** A model bundle loaded for inference, with the preprocessing it was trained with. Closed by {@link ModelService}. */
public record LoadedModel(ModelBundle bundle, ZeroShotClassifier classifier, Preprocessor preprocessor)
        implements AutoCloseable {

    public String sha256() {
        return bundle.manifest().parametersSha256();
    }

    public ModelDescriptor descriptor() {
        return new ModelDescriptor(bundle.manifest().name(), bundle.manifest().version(), sha256(), Optional.empty(),
                ModelDescriptor.DEFAULT_INTENDED_USE, bundle.manifest().operatingPoints());
    }

    /** The class's first prompt, as its human-readable name. */
    public String display(String classCode) {
        var descriptions = bundle.manifest().prompts().descriptions(classCode);
        return descriptions.isEmpty() ? classCode : descriptions.get(0);
    }

    @Override
    public void close() {
        classifier.close();
    }
}
