package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tamer.training.retrain.CronSchedule;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The Kubernetes CronJob of {@code deploy/k8s/base} runs this tool: its schedule must be a cron expression the
 * project understands, its arguments must parse as the {@code retrain} command (without a schedule of its own:
 * Kubernetes schedules it), and every folder it names must be inside a volume the job mounts, the archive
 * read-only.
 */
class RetrainingCronJobTest {

    @Test
    void theCronJobRunsAValidRetrainCommandOnItsVolumes() throws IOException {
        Path root = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        Path manifest = root.resolve("deploy/k8s/base/retraining-cronjob.yaml");
        Map<String, Object> cronJob;
        try (Reader reader = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            cronJob = new Yaml().load(reader);
        }
        assertEquals("CronJob", cronJob.get("kind"));
        Map<String, Object> spec = map(cronJob.get("spec"));
        ZonedDateTime monday = ZonedDateTime.of(2026, 11, 23, 12, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(ZonedDateTime.of(2026, 11, 29, 2, 0, 0, 0, ZoneOffset.UTC),
                new CronSchedule((String) spec.get("schedule")).next(monday), "Sundays at 02:00");

        Map<String, Object> pod = map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template")).get("spec"));
        Map<String, Object> container = list(pod.get("containers")).get(0);
        List<String> args = new ArrayList<>();
        for (Object arg : (List<?>) container.get("args")) {
            args.add(arg.toString());
        }
        CommandLine.ParseResult parsed = new CommandLine(new TamerCli()).parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult retrain = parsed.subcommand();
        assertEquals("retrain", retrain.commandSpec().name());
        assertFalse(retrain.hasMatchedOption("--schedule"), "Kubernetes schedules the job; the tool runs once");
        assertEquals(BuildDatasetCommand.SourceKind.files, retrain.matchedOptionValue("--source", null));

        List<Map<String, Object>> mounts = list(container.get("volumeMounts"));
        for (String option : List.of("--input", "--bundle", "--validation", "--state")) {
            String folder = retrain.matchedOptionValue(option, Path.of("")).toString();
            Map<String, Object> mount = mounts.stream().filter(m -> folder.startsWith(m.get("mountPath") + "/")
                    || folder.equals(m.get("mountPath"))).findFirst().orElseThrow(() -> new AssertionError(
                    option + " " + folder + " is in no mounted volume: " + mounts));
            boolean readOnly = Boolean.TRUE.equals(mount.get("readOnly"));
            assertEquals(option.equals("--input"), readOnly, option + " " + folder + " read-only: " + readOnly);
        }
        assertTrue(Files.readString(root.resolve("deploy/Dockerfile.training")).contains("-t tamer-training:0.1.0"));
        assertEquals("tamer-training:0.1.0", container.get("image"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertTrue(node instanceof Map<?, ?>, "expected a mapping, got " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        assertTrue(node instanceof List<?>, "expected a sequence, got " + node);
        return (List<Map<String, Object>>) node;
    }
}
