package org.tamer.training;

/**
 * How pre-training reads its data: memory is bounded by {@code shardsInFlight} decoded shards plus
 * {@code queue} prepared batches, whatever the dataset's size; {@code workers} threads prepare batches
 * (spectrograms, layout) in parallel. Neither the order nor the losses depend on {@code workers} or {@code queue};
 * {@code shardsInFlight} is part of the data order (the window that is shuffled), so a resumed run needs the same.
 *
 * @param shardsInFlight shards read and shuffled together (the shuffle window), at least 1
 * @param workers        threads preparing batches, at least 1
 * @param queue          prepared batches held ahead of the optimiser, at least 1
 */
public record DataLoading(int shardsInFlight, int workers, int queue) {

    public DataLoading {
        if (shardsInFlight < 1 || workers < 1 || queue < 1) {
            throw new IllegalArgumentException("shards in flight (" + shardsInFlight + "), workers (" + workers
                    + ") and queue (" + queue + ") must each be at least 1");
        }
    }

    /** Two shards in flight, one worker per spare core (at least 1), a queue of four batches. */
    public static DataLoading defaults() {
        return new DataLoading(2, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 4);
    }
}
