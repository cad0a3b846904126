/**
 * Ingestion adapters: every ECG format the product reads, turned into {@link org.tamer.runtime.ecg.EcgRecord}.
 * The gateway's routes and the training module's dataset builder use the same adapters. Bad input raises
 * {@link org.tamer.routes.adapters.EcgFormatException} naming file, field and reason; no adapter returns
 * half-read data.
 */
package org.tamer.routes.adapters;
