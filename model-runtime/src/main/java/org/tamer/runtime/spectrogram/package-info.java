/**
 * The spectral view of an ECG: the STFT magnitude spectrogram that the spectrogram encoder reads
 * ({@link org.tamer.runtime.spectrogram.SpectrogramTransform}), matching {@code scipy.signal.stft}.
 */
package org.tamer.runtime.spectrogram;
