package org.tamer.runtime.text;

import java.util.Arrays;

/**
 * A float32 tensor read from a weights file, in row-major order.
 *
 * @param name  the parameter name in Hugging Face naming, e.g. {@code encoder.layer.0.attention.self.query.weight}
 * @param shape dimensions
 * @param data  values, row-major
 */
public record NamedTensor(String name, long[] shape, float[] data) {

    public NamedTensor {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + count
                    + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The transpose of a matrix. */
    NamedTensor transposed(String newName) {
        if (shape.length != 2) {
            throw new IllegalArgumentException(name + " is not a matrix");
        }
        int rows = (int) shape[0];
        int columns = (int) shape[1];
        float[] t = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rows + r] = data[r * columns + c];
            }
        }
        return new NamedTensor(newName, new long[] {columns, rows}, t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + Arrays.toString(shape) + "]";
    }
}
