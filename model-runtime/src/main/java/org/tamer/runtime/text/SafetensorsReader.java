package org.tamer.runtime.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code model.safetensors} file: an 8-byte little-endian header length, a JSON header mapping tensor
 * names to dtype, shape and byte range, then the data. F32, F16 and BF16 tensors are read as float32; other dtypes
 * are skipped.
 */
public final class SafetensorsReader {

    public Map<String, NamedTensor> read(byte[] file, String source) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 8) {
            throw new IllegalArgumentException(source + ": too short for a safetensors file");
        }
        long headerLength = in.getLong();
        if (headerLength <= 0 || headerLength > file.length - 8) {
            throw new IllegalArgumentException(source + ": header length " + headerLength
                    + " does not fit the file: not a safetensors file or truncated");
        }
        JsonObject header = JsonParser.parseString(new String(file, 8, (int) headerLength, StandardCharsets.UTF_8))
                .getAsJsonObject();
        int dataStart = 8 + (int) headerLength;
        Map<String, NamedTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject info = entry.getValue().getAsJsonObject();
            String dtype = info.get("dtype").getAsString();
            long[] shape = new long[info.getAsJsonArray("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = info.getAsJsonArray("shape").get(i).getAsLong();
                count *= shape[i];
            }
            long begin = info.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = info.getAsJsonArray("data_offsets").get(1).getAsLong();
            if (begin < 0 || end < begin || dataStart + end > file.length) {
                throw new IllegalArgumentException(source + ": tensor " + entry.getKey() + " lies outside the file");
            }
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> 0;
            };
            if (width == 0) {
                continue;
            }
            if ((end - begin) != count * width) {
                throw new IllegalArgumentException(source + ": tensor " + entry.getKey() + " has " + (end - begin)
                        + " bytes but shape and dtype need " + count * width);
            }
            ByteBuffer data = ByteBuffer.wrap(file, dataStart + (int) begin, (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (dtype) {
                    case "F32" -> data.getFloat();
                    case "F16" -> halfToFloat(data.getShort());
                    default -> Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
                };
            }
            tensors.put(entry.getKey(), new NamedTensor(entry.getKey(), shape, values));
        }
        return tensors;
    }

    /** IEEE 754 binary16 to binary32 (Float.float16ToFloat arrived only in Java 20). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
