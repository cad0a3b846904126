package org.tamer.routes.adapters.mat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A 1 × 1 MATLAB structure, such as CPSC2018's {@code ECG} with fields {@code sex}, {@code age} and {@code data}.
 * Fields of a kind the reader skips (cells, objects, sparse) are absent.
 *
 * @param name   the variable's name
 * @param fields the fields in file order
 */
public record MatStruct(String name, Map<String, MatValue> fields) implements MatValue {

    public MatStruct {
        Objects.requireNonNull(name, "name");
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A field, when present. */
    public Optional<MatValue> field(String fieldName) {
        return Optional.ofNullable(fields.get(fieldName));
    }
}
