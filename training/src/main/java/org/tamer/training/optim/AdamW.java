package org.tamer.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * AdamW (decoupled weight decay) over a block's trainable parameters, with its moment estimates held here so that
 * they can be checkpointed. Defaults are the paper's:
 * weight decay 1e-7 (not DJL's 0.01), betas 0.9/0.999, epsilon 1e-8.
 *
 * <p>Not thread-safe. The moments belong to the manager given at construction.
 */
public final class AdamW implements AutoCloseable {

    private final float weightDecay;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final NDManager stateManager;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private long updates;

    public AdamW(NDManager parent, float weightDecay, float beta1, float beta2, float epsilon) {
        this.stateManager = Objects.requireNonNull(parent, "parent").newSubManager();
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** The paper's settings. */
    public static AdamW paper(NDManager parent) {
        return new AdamW(parent, 1e-7f, 0.9f, 0.999f, 1e-8f);
    }

    /** Updates completed so far. */
    public long updates() {
        return updates;
    }

    /**
     * Applies one update with learning rate {@code rate} to every parameter that requires a gradient, using the
     * gradients the last backward pass left on them, and zeroes those gradients. Call it outside a gradient
     * collector: the updates are in-place and must not be recorded. (DJL's {@code GradientCollector#zeroGradients}
     * is not used: on the PyTorch engine it leaves two arrays per parameter behind on every call.)
     */
    public void step(PairList<String, Parameter> parameters, float rate) {
        updates++;
        float correction1 = 1f - (float) Math.pow(beta1, updates);
        float correction2 = 1f - (float) Math.pow(beta2, updates);
        try (NDManager scratch = stateManager.newSubManager()) {
            for (Pair<String, Parameter> entry : parameters) {
                Parameter parameter = entry.getValue();
                if (!parameter.requiresGradient()) {
                    continue;
                }
                NDArray weight = parameter.getArray();
                NDArray gradient = own(weight.getGradient(), scratch);
                NDArray[] state = moments.computeIfAbsent(entry.getKey(), k -> new NDArray[] {
                    stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()),
                    stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice())});
                NDArray mean = state[0];
                NDArray variance = state[1];
                // In-place ops with a Number operand create a scalar array in the target's manager; scalars made
                // in the scratch manager keep the long-lived managers free of per-step garbage.
                mean.muli(scalar(scratch, beta1)).addi(gradient.mul(1f - beta1));
                variance.muli(scalar(scratch, beta2)).addi(gradient.square().muli(1f - beta2));
                NDArray update = own(mean.div(correction1), scratch)
                        .divi(own(variance.div(correction2), scratch).sqrt().addi(epsilon))
                        .muli(rate);
                // decoupled weight decay (Loshchilov and Hutter), then the Adam step
                weight.muli(scalar(scratch, 1f - rate * weightDecay)).subi(update);
                // the engine accumulates gradients: zero this one for the next backward pass
                gradient.muli(scalar(scratch, 0f));
            }
        }
    }

    private static NDArray scalar(NDManager manager, float value) {
        return manager.create(value);
    }

    private static NDArray own(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }

    /**
     * A copy of the update count and every moment, owned by {@code manager}: {@link #restore} goes back to it (the
     * state before an update that made the loss non-finite).
     *
     * @param updates  updates completed when the copy was taken
     * @param moments  per parameter, copies of its first and second moment
     */
    public record Snapshot(long updates, Map<String, NDArray[]> moments) {
    }

    /** Copies the current state into {@code manager}. */
    public Snapshot snapshot(NDManager manager) {
        Map<String, NDArray[]> copies = new LinkedHashMap<>();
        moments.forEach((name, pair) -> copies.put(name, new NDArray[] {copy(pair[0], manager),
            copy(pair[1], manager)}));
        return new Snapshot(updates, copies);
    }

    /** Replaces the current state with a copy of {@code snapshot}. */
    public void restore(Snapshot snapshot) {
        moments.values().forEach(pair -> {
            pair[0].close();
            pair[1].close();
        });
        moments.clear();
        snapshot.moments().forEach((name, pair) -> moments.put(name, new NDArray[] {copy(pair[0], stateManager),
            copy(pair[1], stateManager)}));
        updates = snapshot.updates();
    }

    private static NDArray copy(NDArray array, NDManager manager) {
        NDArray copy = array.duplicate();
        copy.attach(manager);
        return copy;
    }

    /** The first and second moment of a parameter, for checkpoints (empty before its first update). */
    public Map<String, NDArray[]> moments() {
        return java.util.Collections.unmodifiableMap(moments);
    }

    /** Writes the update count and every moment, in parameter order, for a checkpoint. */
    public void save(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeLong(updates);
        out.writeInt(moments.size());
        for (Map.Entry<String, NDArray[]> entry : moments.entrySet()) {
            out.writeUTF(entry.getKey());
            for (NDArray moment : entry.getValue()) {
                byte[] encoded = moment.encode();
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        }
    }

    /** Restores what {@link #save} wrote, replacing the current state. */
    public void load(java.io.DataInputStream in) throws java.io.IOException {
        moments.values().forEach(pair -> {
            pair[0].close();
            pair[1].close();
        });
        moments.clear();
        updates = in.readLong();
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            NDArray[] pair = new NDArray[2];
            for (int m = 0; m < 2; m++) {
                byte[] encoded = new byte[in.readInt()];
                in.readFully(encoded);
                pair[m] = stateManager.decode(encoded);
            }
            moments.put(name, pair);
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }
}
