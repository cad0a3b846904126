package org.tamer.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.engine.ComputeEngine;

class AdamWTest {

    @Test
    void followsDecoupledAdamWStepForStep() {
        float[] start = {0.5f, -1.5f, 2.0f, 0.0f};
        float[] coefficients = {1.0f, -2.0f, 0.5f, 3.0f};
        float rate = 0.01f;
        float decay = 0.1f;
        double[] w = {0.5, -1.5, 2.0, 0.0};
        double[] m = new double[4];
        double[] v = new double[4];
        try (NDManager manager = NDManager.newBaseManager(ComputeEngine.load().device())) {
            NDArray weight = manager.create(start);
            weight.setRequiresGradient(true);
            Parameter parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                    .optArray(weight).build();
            PairList<String, Parameter> parameters = new PairList<>();
            parameters.add("w", parameter);
            NDArray c = manager.create(coefficients);
            try (AdamW optimizer = new AdamW(manager, decay, 0.9f, 0.999f, 1e-8f)) {
                for (int step = 1; step <= 3; step++) {
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        // loss = sum(c * w^2) has gradient 2 c w
                        collector.backward(weight.square().mul(c).sum());
                    }
                    double[] g = new double[4];
                    for (int i = 0; i < 4; i++) {
                        g[i] = 2 * coefficients[i] * w[i];
                    }
                    optimizer.step(parameters, rate);
                    for (int i = 0; i < 4; i++) {
                        m[i] = 0.9 * m[i] + 0.1 * g[i];
                        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                        double mHat = m[i] / (1 - Math.pow(0.9, step));
                        double vHat = v[i] / (1 - Math.pow(0.999, step));
                        w[i] = w[i] * (1 - rate * decay) - rate * mHat / (Math.sqrt(vHat) + 1e-8);
                    }
                    float[] actual = weight.toFloatArray();
                    for (int i = 0; i < 4; i++) {
                        assertEquals(w[i], actual[i], 1e-6, "step " + step + " weight " + i);
                    }
                }
                assertEquals(3, optimizer.updates());
            }
        }
    }

    @Test
    void cosineScheduleRestartsEveryCycle() {
        CosineWarmRestarts schedule = CosineWarmRestarts.paper();
        assertEquals(2e-4f, schedule.rate(0));
        assertEquals(1e-4f, schedule.rate(20_000), 1e-9f);
        assertEquals(0f, schedule.rate(39_999), 1e-9f);
        assertEquals(2e-4f, schedule.rate(40_000));
        assertEquals(schedule.rate(12_345), schedule.rate(52_345));
    }
}
