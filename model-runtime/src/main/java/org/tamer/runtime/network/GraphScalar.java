package org.tamer.runtime.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for arithmetic that autograd records. DJL's {@code x.div(0.04f)} (and every other op with a
 * {@link Number} operand) makes the scalar with {@code torch::from_blob} over a Java direct buffer, runs the op and
 * closes the scalar at once; autograd has saved that 0-d tensor for the backward pass (d(x/c)/dx = 1/c), but
 * nothing keeps the Java buffer alive. A garbage collection between forward and backward frees the buffer and the
 * backward pass reads freed memory: wrong, often infinite, gradients and a NaN loss on the next step, depending on
 * GC timing and on what the allocator put there (GraphScalarLifetimeTest). A scalar made here is allocated by
 * PyTorch and reference counted by it, so a saved one lives exactly as long as the graph needs it.
 */
public final class GraphScalar {

    private GraphScalar() {
    }

    /** {@code value} as a 0-d array of {@code like}'s type, on its manager and device. */
    public static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }
}
