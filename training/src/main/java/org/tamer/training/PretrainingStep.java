package org.tamer.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.Objects;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.ReportFeatures;
import org.tamer.training.loss.LossTerms;
import org.tamer.training.loss.TamerObjective;
import org.tamer.training.optim.AdamW;
import org.tamer.training.optim.CosineWarmRestarts;

/**
 * One optimisation step of TAMER pre-training: forward in training mode, the objective, backward (inside the one
 * gradient collector the engine allows per JVM), then AdamW at the scheduled rate. Everything the step creates
 * belongs to the batch's manager, which the caller closes after the step.
 */
public final class PretrainingStep {

    private final TamerNetwork network;
    private final TamerObjective objective;
    private final AdamW optimizer;
    private final CosineWarmRestarts schedule;
    private final Runnable beforeUpdate;

    public PretrainingStep(TamerNetwork network, TamerObjective objective, AdamW optimizer,
                           CosineWarmRestarts schedule) {
        this(network, objective, optimizer, schedule, () -> { });
    }

    /**
     * @param beforeUpdate  runs after a finite loss, before its update (e.g. {@link LastFiniteState#remember})
     */
    public PretrainingStep(TamerNetwork network, TamerObjective objective, AdamW optimizer,
                           CosineWarmRestarts schedule, Runnable beforeUpdate) {
        this.beforeUpdate = Objects.requireNonNull(beforeUpdate, "beforeUpdate");
        this.network = Objects.requireNonNull(network, "network");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * Runs one step. The inputs are attached to {@code batchManager} until it closes, so that every array the step
     * creates is freed with it.
     *
     * A non-finite total loss leaves the parameters and the optimiser as they were (no update).
     *
     * @return the loss terms before the update and the learning rate used
     */
    public Map<String, Float> run(NDManager batchManager, NDArray waveform, NDArray spectrogram,
                                  ReportFeatures report) {
        // Results of an op belong to its first operand's manager: lend the inputs to the batch so that every
        // intermediate array is freed with it, whoever owns the inputs.
        batchManager.tempAttachAll(waveform, spectrogram, report.tokens(), report.mask(), report.clsAttention(),
                report.global());
        float rate = schedule.rate(optimizer.updates());
        Map<String, Float> values;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            LossTerms terms = objective.evaluate(network, new ParameterStore(batchManager, false), waveform,
                    spectrogram, report);
            collector.backward(terms.total());
            values = terms.values();
        }
        if (Float.isFinite(values.get("total"))) {
            beforeUpdate.run();
            optimizer.step(network.getParameters(), rate);
        }
        values.put("learning_rate", rate);
        return values;
    }
}
