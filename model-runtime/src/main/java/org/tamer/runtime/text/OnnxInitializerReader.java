package org.tamer.runtime.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the float32 initializers of an ONNX model exported from a Hugging Face BERT, straight from the protobuf
 * wire format (no ONNX library needed), and gives them their Hugging Face names. Exporters store each linear
 * layer's weight transposed under a generated name ({@code onnx::MatMul_787}); the reader finds the {@code MatMul}
 * node that consumes it, derives the module path from the node's output ({@code
 * /encoder/layer.0/attention/self/query/MatMul_output_0} → {@code encoder.layer.0.attention.self.query.weight})
 * and transposes it back to PyTorch's {@code [out, in]} layout.
 */
public final class OnnxInitializerReader {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int FLOAT = 1;

    private record Node(String opType, List<String> inputs, List<String> outputs) {
    }

    /**
     * @param model  the whole {@code .onnx} file
     * @param source its name, for error messages
     * @return float32 initializers by Hugging Face name
     */
    public Map<String, NamedTensor> read(byte[] model, String source) {
        ByteBuffer in = ByteBuffer.wrap(model).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer graph = null;
        while (in.hasRemaining()) {
            Field f = Field.next(in, source);
            if (f.number == MODEL_GRAPH && f.bytes != null) {
                graph = f.bytes;
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException(source + ": no graph in the ONNX model");
        }
        Map<String, NamedTensor> raw = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        while (graph.hasRemaining()) {
            Field f = Field.next(graph, source);
            if (f.number == GRAPH_INITIALIZER && f.bytes != null) {
                NamedTensor tensor = tensor(f.bytes, source);
                if (tensor != null) {
                    raw.put(tensor.name(), tensor);
                }
            } else if (f.number == GRAPH_NODE && f.bytes != null) {
                nodes.add(node(f.bytes, source));
            }
        }
        Map<String, String> matMulNames = new HashMap<>();
        for (Node node : nodes) {
            if (node.opType.equals("MatMul") && node.inputs.size() == 2 && raw.containsKey(node.inputs.get(1))
                    && !node.outputs.isEmpty()) {
                String output = node.outputs.get(0);
                String suffix = "/MatMul_output_0";
                if (output.startsWith("/") && output.endsWith(suffix)) {
                    String module = output.substring(1, output.length() - suffix.length()).replace('/', '.');
                    matMulNames.put(node.inputs.get(1), module + ".weight");
                }
            }
        }
        Map<String, NamedTensor> named = new LinkedHashMap<>();
        for (NamedTensor tensor : raw.values()) {
            String hfName = matMulNames.get(tensor.name());
            named.put(hfName != null ? hfName : tensor.name(),
                    hfName != null ? tensor.transposed(hfName) : tensor);
        }
        return named;
    }

    private static NamedTensor tensor(ByteBuffer b, String source) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = null;
        ByteBuffer rawData = null;
        List<Float> floats = new ArrayList<>();
        while (b.hasRemaining()) {
            Field f = Field.next(b, source);
            switch (f.number) {
                case TENSOR_DIMS -> {
                    if (f.bytes != null) {
                        while (f.bytes.hasRemaining()) {
                            dims.add(Field.varint(f.bytes));
                        }
                    } else {
                        dims.add(f.value);
                    }
                }
                case TENSOR_DATA_TYPE -> dataType = (int) f.value;
                case TENSOR_NAME -> name = f.string();
                case TENSOR_RAW_DATA -> rawData = f.bytes;
                case TENSOR_FLOAT_DATA -> {
                    if (f.bytes != null) {
                        while (f.bytes.hasRemaining()) {
                            floats.add(f.bytes.getFloat());
                        }
                    }
                }
                case TENSOR_DATA_LOCATION -> {
                    if (f.value != 0) {
                        throw new IllegalArgumentException(source + ": initializer " + name
                                + " keeps its data in an external file, which is not supported");
                    }
                }
                default -> {
                    // other TensorProto fields carry nothing the encoder needs
                }
            }
        }
        if (dataType != FLOAT || name == null) {
            return null;
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        float[] data;
        if (rawData != null) {
            data = new float[rawData.remaining() / 4];
            rawData.asFloatBuffer().get(data);
        } else {
            data = new float[floats.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = floats.get(i);
            }
        }
        return new NamedTensor(name, shape, data);
    }

    private static Node node(ByteBuffer b, String source) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String op = "";
        while (b.hasRemaining()) {
            Field f = Field.next(b, source);
            if (f.number == NODE_INPUT) {
                inputs.add(f.string());
            } else if (f.number == NODE_OUTPUT) {
                outputs.add(f.string());
            } else if (f.number == NODE_OP_TYPE) {
                op = f.string();
            }
        }
        return new Node(op, inputs, outputs);
    }

    /** One protobuf field: a number and either a varint/fixed value or a length-delimited slice. */
    private record Field(int number, long value, ByteBuffer bytes) {

        static Field next(ByteBuffer in, String source) {
            long key = varint(in);
            int number = (int) (key >>> 3);
            int wireType = (int) (key & 7);
            switch (wireType) {
                case 0:
                    return new Field(number, varint(in), null);
                case 1:
                    return new Field(number, in.getLong(), null);
                case 2: {
                    long length = varint(in);
                    if (length < 0 || length > in.remaining()) {
                        throw new IllegalArgumentException(source + ": protobuf field " + number + " claims "
                                + length + " bytes but " + in.remaining() + " remain: not an ONNX model or truncated");
                    }
                    ByteBuffer slice = in.slice().order(ByteOrder.LITTLE_ENDIAN);
                    slice.limit((int) length);
                    in.position(in.position() + (int) length);
                    return new Field(number, 0, slice);
                }
                case 5:
                    return new Field(number, in.getInt(), null);
                default:
                    throw new IllegalArgumentException(source + ": protobuf wire type " + wireType
                            + " at byte " + in.position() + ": not an ONNX model");
            }
        }

        static long varint(ByteBuffer in) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = in.get();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        String string() {
            byte[] b = new byte[bytes.remaining()];
            bytes.duplicate().get(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
