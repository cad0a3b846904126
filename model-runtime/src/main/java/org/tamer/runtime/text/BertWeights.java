package org.tamer.runtime.text;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tensors of a BERT encoder under canonical Hugging Face names (without a {@code bert.} prefix, with
 * {@code LayerNorm.weight}/{@code bias} rather than the old {@code gamma}/{@code beta}), checked against a
 * {@link BertConfig}.
 */
public final class BertWeights {

    private final Map<String, NamedTensor> tensors;
    private final String source;

    public BertWeights(Map<String, NamedTensor> raw, String source) {
        this.source = source;
        this.tensors = new LinkedHashMap<>();
        for (NamedTensor tensor : raw.values()) {
            String name = tensor.name();
            if (name.startsWith("bert.")) {
                name = name.substring("bert.".length());
            }
            name = name.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias");
            tensors.put(name, name.equals(tensor.name()) ? tensor
                    : new NamedTensor(name, tensor.shape(), tensor.data()));
        }
    }

    /** The tensor of that name, which must have the given shape. */
    public NamedTensor require(String name, long... shape) {
        NamedTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException(source + ": weight '" + name + "' is missing");
        }
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException(source + ": weight '" + name + "' has shape "
                    + Arrays.toString(tensor.shape()) + " but the configuration needs " + Arrays.toString(shape));
        }
        return tensor;
    }

    public Optional<NamedTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public Map<String, NamedTensor> all() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    public String source() {
        return source;
    }
}
