package org.tamer.runtime.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the embedded all-MiniLM-L6-v2 as a Hugging Face model folder (model.safetensors in F32, config.json,
 * tokenizer.json): a real encoder in the layout a user supplies Med-CPT in, for tests of that path.
 */
public final class HuggingFaceFolderWriter {

    private HuggingFaceFolderWriter() {
    }

    public static void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<String, NamedTensor> tensors = new OnnxInitializerReader().read(resource("/all-minilm-l6-v2.onnx"), "onnx");
        JsonObject header = new JsonObject();
        long offset = 0;
        for (NamedTensor t : tensors.values()) {
            JsonObject info = new JsonObject();
            info.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += t.data().length * 4L;
            offsets.add(offset);
            info.add("data_offsets", offsets);
            header.add("bert." + t.name(), info);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate((int) (8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(json.length).put(json);
        for (NamedTensor t : tensors.values()) {
            for (float v : t.data()) {
                file.putFloat(v);
            }
        }
        Files.write(folder.resolve("model.safetensors"), file.array());
        Files.write(folder.resolve("tokenizer.json"), resource("/all-minilm-l6-v2-tokenizer.json"));
        Files.write(folder.resolve("config.json"), resource("/org/tamer/runtime/text/all-minilm-l6-v2-config.json"));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = HuggingFaceFolderWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }
}
