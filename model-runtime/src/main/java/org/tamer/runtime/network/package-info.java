/**
 * The trainable TAMER network ({@link org.tamer.runtime.network.TamerNetwork}) as DJL blocks: the temporal ResNet,
 * the spectral CNN, the projections into the shared latent space, WLAI fusion and RGWR's dual cross-attention, with
 * its architecture in {@link org.tamer.runtime.network.TamerConfig}. Also the per-component FLOP count of one
 * forward pass, scalar operands that live as long as autograd needs them, and early freeing of intermediates.
 */
package org.tamer.runtime.network;
