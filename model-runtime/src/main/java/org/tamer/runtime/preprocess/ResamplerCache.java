package org.tamer.runtime.preprocess;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The resampling filters of the most recently used rate pairs, at most {@code capacity} of them. A filter for an
 * odd rate (up to 100,000/n) holds millions of taps, about 17 MB, so keeping every rate ever seen would let a
 * stream of records at distinct rates take the heap; the common rates (100, 250, 257, 360, 500, 1000 Hz) stay
 * cached in any real mix. Thread-safe: a filter is built outside the lock, so a slow build does not hold up
 * records at cached rates, and two threads may build the same filter once each.
 */
final class ResamplerCache {

    /** The default number of filters kept. */
    static final int DEFAULT_CAPACITY = 8;

    private record RatePair(double sourceHz, double targetHz) {
    }

    private final int capacity;
    private final Map<RatePair, PolyphaseResampler> filters;

    ResamplerCache(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the resampler cache needs a positive capacity, got " + capacity);
        }
        this.capacity = capacity;
        this.filters = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<RatePair, PolyphaseResampler> eldest) {
                return size() > ResamplerCache.this.capacity;
            }
        };
    }

    /** The filter for a rate pair, built by {@code build} when it is not cached. */
    PolyphaseResampler get(double sourceHz, double targetHz, Supplier<PolyphaseResampler> build) {
        RatePair key = new RatePair(sourceHz, targetHz);
        synchronized (filters) {
            PolyphaseResampler cached = filters.get(key);
            if (cached != null) {
                return cached;
            }
        }
        PolyphaseResampler built = build.get();
        synchronized (filters) {
            filters.put(key, built);
        }
        return built;
    }

    /** How many filters are held. */
    int size() {
        synchronized (filters) {
            return filters.size();
        }
    }

    /** Whether the filter of a rate pair is held (tests). */
    boolean contains(double sourceHz, double targetHz) {
        synchronized (filters) {
            return filters.containsKey(new RatePair(sourceHz, targetHz));
        }
    }
}
