/**
 * The model in the gateway: {@link org.tamer.gateway.model.ModelService} loads the bundle and swaps in a new one
 * found in the bundle folder between batches, and {@link org.tamer.gateway.model.MicroBatcher} groups diagnosis
 * requests into micro-batches on one inference thread behind a bounded queue, refusing work with a
 * {@link org.tamer.gateway.model.BackPressureException} when it is full.
 */
package org.tamer.gateway.model;
