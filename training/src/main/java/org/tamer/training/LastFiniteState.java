package org.tamer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.training.optim.AdamW;

/**
 * The network's parameters and the optimiser's state as they were before the last update whose loss was finite,
 * so that a run whose loss becomes non-finite can checkpoint the state it can be resumed from (at a lower learning
 * rate) instead of the diverged one. Holds one copy of the parameters and of both moments.
 */
public final class LastFiniteState implements AutoCloseable {

    private final TamerNetwork network;
    private final AdamW optimizer;
    private final NDManager parent;
    private NDManager copies;
    private Map<String, NDArray> parameters = Map.of();
    private AdamW.Snapshot optimizerState;

    public LastFiniteState(TamerNetwork network, AdamW optimizer, NDManager parent) {
        this.network = Objects.requireNonNull(network, "network");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    /** Copies the current state (called after a finite loss, before its update), replacing the previous copy. */
    public void remember() {
        NDManager next = parent.newSubManager();
        Map<String, NDArray> copied = new LinkedHashMap<>();
        for (Pair<String, Parameter> entry : network.getParameters()) {
            NDArray copy = entry.getValue().getArray().duplicate();
            copy.attach(next);
            copied.put(entry.getKey(), copy);
        }
        AdamW.Snapshot state = optimizer.snapshot(next);
        close();
        copies = next;
        parameters = copied;
        optimizerState = state;
    }

    /**
     * Puts the remembered state back into the network and the optimiser.
     *
     * @return the number of updates the restored state has completed, or -1 when nothing was remembered (the
     *         network and optimiser are then as they were before the first update)
     */
    public long restore() {
        if (optimizerState == null) {
            return -1;
        }
        for (Pair<String, Parameter> entry : network.getParameters()) {
            NDArray copy = parameters.get(entry.getKey());
            entry.getValue().getArray().set(copy.toByteBuffer());
        }
        optimizer.restore(optimizerState);
        return optimizerState.updates();
    }

    @Override
    public void close() {
        if (copies != null) {
            copies.close();
            copies = null;
        }
    }
}
