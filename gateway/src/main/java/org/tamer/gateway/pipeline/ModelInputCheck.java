package org.tamer.gateway.pipeline;

import org.tamer.gateway.model.ModelService;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Whether the model can read a record at all, checked at intake by the model's own preprocessing rules (the leads
 * it needs, a finite sample in each, a sampling rate it can resample from): a record it can never read is refused
 * when it arrives, with the reason, instead of being accepted and failing in the worker.
 */
@FunctionalInterface
public interface ModelInputCheck {

    /** @throws IllegalArgumentException (or {@link org.tamer.runtime.ecg.MissingLeadsException}) naming why not */
    void check(EcgRecord record);

    /** The rules of the model currently served. */
    static ModelInputCheck of(ModelService models) {
        return record -> models.current().preprocessor().check(record);
    }
}
