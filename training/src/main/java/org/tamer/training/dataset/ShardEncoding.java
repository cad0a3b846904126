package org.tamer.training.dataset;

/** How a shard stores its arrays (see {@link ShardFormat}). */
public enum ShardEncoding {
    /** Version 1: every array as float32 (about 300 KB per 12 × 5000 example with a 40-token report). */
    FLOAT32,
    /** Version 2: waveform leads and token states as int16 with a float32 scale per lead and per token. */
    INT16
}
