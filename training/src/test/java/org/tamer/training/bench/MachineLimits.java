package org.tamer.training.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import java.util.Locale;

/**
 * What this machine can do through the engine the network runs on: dense float32 GFLOP/s and memory bandwidth.
 * Each figure is the best of several repetitions, as a roof should be; a benchmark measures before and after its
 * own work and keeps the better figures.
 *
 * <p>Dense multiplication is measured twice because PyTorch's CPU build takes two routes to it: {@code matmul}
 * goes to its BLAS (MKL), convolutions to oneDNN. A 1×1 convolution is a plain matrix product in oneDNN's hands.
 * The roof is the faster of the two. Bandwidth is an in-place sum of two 256 MiB arrays (two reads, one write per
 * element), far larger than any cache.
 *
 * @param blasGflops      2048 × 2048 × 2048 {@code matMul}
 * @param oneDnnGflops    1×1 convolution, 512 → 512 channels over 4 × 4096 positions
 * @param bandwidthGBytes bytes read and written per second by {@code a.addi(b)}
 */
record MachineLimits(double blasGflops, double oneDnnGflops, double bandwidthGBytes) {

    private static final int REPETITIONS = 10;

    static MachineLimits measure(NDManager manager) {
        return new MachineLimits(blas(manager), oneDnn(manager), bandwidth(manager));
    }

    /** The better of two measurements, figure by figure (the machine's speed drifts between them). */
    MachineLimits bestWith(MachineLimits other) {
        return new MachineLimits(Math.max(blasGflops, other.blasGflops), Math.max(oneDnnGflops, other.oneDnnGflops),
                Math.max(bandwidthGBytes, other.bandwidthGBytes));
    }

    /** The dense float32 roof: the faster route to a matrix product. */
    double roofGflops() {
        return Math.max(blasGflops, oneDnnGflops);
    }

    String describe() {
        return String.format(Locale.ROOT, "Dense float32 roof through the same engine: %.1f GFLOP/s (best of %d "
                + "before and %d after the network runs; "
                + "matMul 2048 x 2048 x 2048: %.1f GFLOP/s, 1x1 convolution 512 -> 512 over 16384 positions: %.1f "
                + "GFLOP/s). Memory bandwidth (in-place sum of two 256 MiB arrays): %.1f GB/s.", roofGflops(),
                REPETITIONS, REPETITIONS, blasGflops, oneDnnGflops, bandwidthGBytes);
    }

    private static double blas(NDManager manager) {
        int n = 2048;
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            return 2.0 * n * n * n / best(() -> a.matMul(b).close()) / 1e9;
        }
    }

    private static double oneDnn(NDManager manager) {
        int channels = 512;
        Shape input = new Shape(4, channels, 4096);
        try (NDManager m = manager.newSubManager()) {
            Block conv = Conv1d.builder().setKernelShape(new Shape(1)).setFilters(channels).optBias(false).build();
            conv.initialize(m, DataType.FLOAT32, input);
            NDArray x = m.randomUniform(-1, 1, input);
            ParameterStore store = new ParameterStore(m, false);
            return 2.0 * channels * channels * input.get(0) * input.get(2)
                    / best(() -> conv.forward(store, new NDList(x), false).head().close()) / 1e9;
        }
    }

    private static double bandwidth(NDManager manager) {
        long elements = 64L << 20;
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.ones(new Shape(elements));
            NDArray b = m.ones(new Shape(elements));
            return 3.0 * Float.BYTES * elements / best(() -> a.addi(b)) / 1e9;
        }
    }

    /** Seconds of the fastest of the timed runs, after one untimed run. */
    private static double best(Runnable work) {
        work.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < REPETITIONS; i++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }
}
