/**
 * Zero-shot diagnosis: {@link org.tamer.runtime.inference.ZeroShotClassifier} scores ECGs against class prompts
 * ({@link org.tamer.runtime.inference.PromptDictionary}) with a model bundle.
 */
package org.tamer.runtime.inference;
