package org.tamer.training.loss;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.ReportFeatures;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.testing.RealPairs;
import org.tamer.training.testing.TestNetworks;

/**
 * Run by {@link GraphScalarLifetimeTest} in a JVM of its own whose allocator overwrites freed memory: the gradients
 * of the whole objective on real pairs, once with backward straight after forward and once with a garbage
 * collection in between that frees every direct buffer nothing refers to any more. Prints the parameters whose
 * gradients differ and exits with 1 when there are any.
 */
final class GraphScalarProbe {

    private GraphScalarProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Device device = ComputeEngine.load().device();
        RealPairs pairs = new RealPairs(4);
        List<String> differing = new ArrayList<>();
        try (TextEncoder textEncoder = TextEncoder.embeddedDefault(device);
             NDManager manager = NDManager.newBaseManager(device)) {
            TamerNetwork network = new TamerNetwork(TestNetworks.SMALL);
            network.initialize(manager);
            Map<String, float[]> calm = gradients(network, textEncoder, pairs, manager, false);
            Map<String, float[]> collected = gradients(network, textEncoder, pairs, manager, true);
            calm.forEach((name, expected) -> {
                float[] actual = collected.get(name);
                for (int i = 0; i < expected.length; i++) {
                    if (!(expected[i] == actual[i])) {
                        differing.add(name + "[" + i + "]: " + expected[i] + " without GC, " + actual[i] + " with");
                        return;
                    }
                }
            });
            System.out.println("parameters compared: " + calm.size());
        }
        differing.forEach(System.out::println);
        System.out.println("differing: " + differing.size());
        System.exit(differing.isEmpty() ? 0 : 1);
    }

    private static Map<String, float[]> gradients(TamerNetwork network, TextEncoder textEncoder, RealPairs pairs,
                                                  NDManager manager, boolean collectBeforeBackward)
            throws InterruptedException {
        Engine.getInstance().setRandomSeed(7);
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager batch = manager.newSubManager()) {
            ReportFeatures report = textEncoder.encode(pairs.reports(), batch);
            NDArray waveforms = pairs.waveforms(batch);
            NDArray spectrograms = pairs.spectrograms(batch);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                long before = directBuffers();
                LossTerms terms = new TamerObjective(TamerLossConfig.paper()).evaluate(network,
                        new ParameterStore(batch, false), waveforms, spectrograms, report);
                if (collectBeforeBackward) {
                    awaitDirectBuffersAtMost(before);
                }
                collector.backward(terms.total());
            }
            for (Pair<String, Parameter> p : network.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    try (NDArray gradient = p.getValue().getArray().getGradient()) {
                        gradients.put(p.getKey(), gradient.toFloatArray());
                        gradient.subi(gradient);
                    }
                }
            }
        }
        return gradients;
    }

    /** Collects garbage until the direct buffers made since {@code count} was read are freed (at most a minute). */
    private static void awaitDirectBuffersAtMost(long count) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (directBuffers() > count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(directBuffers() + " direct buffers after a minute of collections;"
                        + " expected at most " + count);
            }
            System.gc();
            Thread.sleep(20);
        }
    }

    private static long directBuffers() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getCount();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }
}
