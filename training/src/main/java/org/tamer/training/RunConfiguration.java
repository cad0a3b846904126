package org.tamer.training;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tamer.runtime.network.TamerConfig;

/**
 * The architecture of a pre-training run, written into the run folder ({@code run.json}) so that resuming and
 * publishing rebuild exactly the network that was trained.
 *
 * @param architecture    {@code paper} or {@code compact}
 * @param textHiddenSize  hidden size of the text encoder the dataset was built with
 * @param spectrogram     whether the spectrogram branch is on
 * @param wlai            whether WLAI fusion is on
 */
public record RunConfiguration(String architecture, int textHiddenSize, boolean spectrogram, boolean wlai) {

    public static final String FILE = "run.json";

    public RunConfiguration {
        if (!architecture.equals("paper") && !architecture.equals("compact")) {
            throw new IllegalArgumentException("architecture must be 'paper' or 'compact', got '" + architecture + "'");
        }
    }

    public TamerConfig network() {
        TamerConfig base = architecture.equals("paper") ? TamerConfig.paper(textHiddenSize)
                : TamerConfig.compact(textHiddenSize);
        return base.withSpectrogramBranch(spectrogram).withWlai(wlai);
    }

    public void write(Path runDirectory) {
        JsonObject json = new JsonObject();
        json.addProperty("architecture", architecture);
        json.addProperty("textHiddenSize", textHiddenSize);
        json.addProperty("spectrogram", spectrogram);
        json.addProperty("wlai", wlai);
        try {
            Files.createDirectories(runDirectory);
            Files.writeString(runDirectory.resolve(FILE), json + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDirectory.resolve(FILE), e);
        }
    }

    public static RunConfiguration read(Path runDirectory) {
        Path file = runDirectory.resolve(FILE);
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            return new RunConfiguration(json.get("architecture").getAsString(), json.get("textHiddenSize").getAsInt(),
                    json.get("spectrogram").getAsBoolean(), json.get("wlai").getAsBoolean());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the run configuration (" + e + ")", e);
        }
    }
}
