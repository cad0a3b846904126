/**
 * The model runtime: ECG values ({@code ecg}), preprocessing, spectrogram, the TAMER network, the frozen text
 * encoder, model bundles and zero-shot inference, on DJL's PyTorch engine ({@code engine}).
 */
package org.tamer.runtime;
