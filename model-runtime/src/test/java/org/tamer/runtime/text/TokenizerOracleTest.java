package org.tamer.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.engine.ComputeEngine;

/**
 * The project's tokenizer (DJL's binding of the Rust HuggingFace tokenizers) against an independent
 * implementation: {@code fixtures/tokenizer/minilm-token-ids.jsonl} holds the ids that transformers.js 3.8.1 (pure
 * JavaScript, see {@code make-tokenizer-fixture.mjs} beside it) gives for all 500 real PTB-XL reports of the shared
 * data (German with umlauts, English, punctuation) and one long input, from the same all-MiniLM-L6-v2
 * {@code tokenizer.json}. The 128-token truncation is the BERT rule of the HuggingFace implementations, applied
 * here: the first 126 word pieces between [CLS] and [SEP].
 */
class TokenizerOracleTest {

    private static final long CLS = 101;
    private static final long SEP = 102;

    record Expected(String source, String text, long[] ids) {
    }

    @Test
    void tokenIdsEqualTransformersJs() throws IOException {
        List<Expected> expected = fixture();
        assertEquals(501, expected.size(), "500 PTB-XL reports and the long input");
        List<String> wrong = new ArrayList<>();
        int truncated = 0;
        try (TextEncoder encoder = TextEncoder.embeddedDefault(ComputeEngine.load().device());
             NDManager manager = NDManager.newBaseManager()) {
            assertEquals(128, encoder.maxTokens());
            for (Expected e : expected) {
                long[] want = e.ids();
                assertTrue(want[0] == CLS && want[want.length - 1] == SEP, e.source() + ": the oracle's special tokens");
                if (want.length > encoder.maxTokens()) {
                    long[] cut = Arrays.copyOf(want, encoder.maxTokens());
                    cut[cut.length - 1] = SEP;
                    want = cut;
                    truncated++;
                }
                NDList inputs = encoder.tokenize(List.of(e.text()), manager);
                long[] got = inputs.get(0).toLongArray();
                if (!Arrays.equals(want, got)) {
                    wrong.add(e.source() + " \"" + e.text() + "\": expected " + Arrays.toString(want) + ", got "
                            + Arrays.toString(got));
                }
                long[] mask = inputs.get(1).toLongArray();
                assertTrue(Arrays.stream(mask).allMatch(m -> m == 1), e.source() + ": one report, no padding");
                inputs.close();
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(1, truncated, "the long input is truncated");
    }

    private static List<Expected> fixture() throws IOException {
        List<Expected> rows = new ArrayList<>();
        try (InputStream in = TokenizerOracleTest.class.getResourceAsStream("/fixtures/tokenizer/minilm-token-ids.jsonl")) {
            assertTrue(in != null, "fixtures/tokenizer/minilm-token-ids.jsonl on the test class path");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                long[] ids = new long[o.getAsJsonArray("ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = o.getAsJsonArray("ids").get(i).getAsLong();
                }
                rows.add(new Expected(o.get("source").getAsString(), o.get("text").getAsString(), ids));
            }
        }
        return rows;
    }
}
