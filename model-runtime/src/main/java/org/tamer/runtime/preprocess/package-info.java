/**
 * The one preprocessing pipeline shared by training and serving: lead selection, repair of missing samples,
 * anti-aliased resampling, crop/pad and amplitude scaling ({@link org.tamer.runtime.preprocess.Preprocessor}).
 */
package org.tamer.runtime.preprocess;
