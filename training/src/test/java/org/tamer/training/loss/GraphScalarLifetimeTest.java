package org.tamer.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-training NaN of long runs: scalars of recorded arithmetic (τ, 1/√d, ½, the norm clamp) must outlive a
 * garbage collection between forward and backward. DJL makes a {@code Number} operand a tensor over a Java direct
 * buffer that it frees as soon as the op returns, while autograd keeps the tensor for backward; in a long run a
 * collection (the batch loader allocates plenty) now and then lands between the two and backward reads freed
 * memory. The probe runs in a JVM whose allocator fills freed memory (jemalloc {@code junk}; glibc's own free-list
 * pointers without jemalloc), so that a read of freed memory always shows in the gradients.
 */
class GraphScalarLifetimeTest {

    private static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    @Test
    void gradientsDoNotChangeWhenMemoryIsCollectedBetweenForwardAndBackward(@TempDir Path directory)
            throws IOException, InterruptedException {
        Path output = directory.resolve("probe.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true", "-Xss4m",
                "-Xmx2g"));
        String data = System.getProperty("tamer.data.dir");
        if (data != null && !data.isBlank()) {
            command.add("-Dtamer.data.dir=" + data);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GraphScalarProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        if (Files.isReadable(JEMALLOC)) {
            builder.environment().put("LD_PRELOAD", JEMALLOC.toString());
            builder.environment().put("MALLOC_CONF", "junk:true");
        } else {
            builder.environment().remove("LD_PRELOAD");
        }
        Process probe = builder.start();
        boolean finished = probe.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            probe.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(finished, "the probe did not finish in 10 minutes:\n" + log);
        List<String> lines = log.lines().filter(l -> l.startsWith("parameters compared: ")).toList();
        assertEquals(1, lines.size(), log);
        assertTrue(Integer.parseInt(lines.get(0).substring("parameters compared: ".length())) > 50, log);
        assertEquals(0, probe.exitValue(), log);
    }
}
