/**
 * Sharded tri-modal datasets: {@link org.tamer.training.dataset.DatasetBuilder} reads a training source (PTB-XL or
 * any ECG archive), splits it by patient, cleans and encodes the reports with the frozen text encoder and writes
 * pseudonymised examples into shards with a manifest; {@link org.tamer.training.dataset.ShardDataset} reads them back
 * shard by shard with hash checks. An epoch's order is seeded, so a resumed run sees the examples an uninterrupted
 * one would.
 */
package org.tamer.training.dataset;
