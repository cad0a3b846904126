package org.tamer.gateway.model;

import org.tamer.runtime.inference.Diagnosis;

/** A diagnosis with the model that made it. */
public record ModelResult(Diagnosis diagnosis, LoadedModel model) {
}
