package org.tamer.routes.route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route {@code file-drop}: watches a folder into which carts, archives or an operator drop ECG files, and hands each
 * file to an {@link EcgFileIntake}. Only once the intake has stored it is the file moved: to {@value #DONE} when it
 * was accepted, to {@value #FAILED} with a {@code .reason.txt} beside it when it is not a usable ECG, in both cases
 * under a time-stamped name. When the intake cannot store (the database is down), the file stays where it is and is
 * offered again on a later poll, so nothing dropped is lost. A file is taken only when its size and time have not
 * changed for {@code settle} (a copy still in progress is left alone), and names starting with a dot or ending in
 * {@code .part} or {@code .tmp} are never taken.
 */
public final class FileDropRoute extends RouteBuilder {

    public static final String ROUTE_ID = "file-drop";
    public static final String DONE = ".done";
    public static final String FAILED = ".failed";

    private static final Logger LOG = LoggerFactory.getLogger(FileDropRoute.class);
    private static final String TARGET = "tamerFileDropTarget";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS")
            .withZone(ZoneOffset.UTC);

    /**
     * @param directory the folder to watch (created if missing)
     * @param interval  time between two looks at the folder
     * @param settle    how long a file must stay unchanged before it is taken
     */
    public record Settings(Path directory, Duration interval, Duration settle) {

        public Settings {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(settle, "settle");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("tamer.file-drop.interval must be positive, got " + interval);
            }
            if (settle.isNegative()) {
                throw new IllegalArgumentException("tamer.file-drop.settle must not be negative, got " + settle);
            }
        }
    }

    private final Settings settings;
    private final EcgFileIntake intake;

    public FileDropRoute(Settings settings, EcgFileIntake intake) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.intake = Objects.requireNonNull(intake, "intake");
    }

    @Override
    public void configure() throws IOException {
        Path directory = settings.directory().toAbsolutePath().normalize();
        Files.createDirectories(directory);
        from("file:" + directory + "?delay=" + settings.interval().toMillis()
                + "&readLock=changed&readLockMinAge=" + settings.settle().toMillis()
                + "&readLockCheckInterval=" + Math.max(100, Math.min(1000, settings.settle().toMillis() / 2))
                + "&exclude=.*\\.(part|tmp)$&sortBy=file:modified"
                + "&move=${exchangeProperty." + TARGET + "}")
                .routeId(ROUTE_ID)
                .process(this::receive);
    }

    private void receive(Exchange exchange) {
        byte[] content = exchange.getMessage().getBody(byte[].class);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String path = exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class);
        Optional<String> problem = intake.receive(content == null ? new byte[0] : content, name, "file:" + path);
        String target = (problem.isEmpty() ? DONE : FAILED) + "/" + STAMP.format(Instant.now()) + "-" + name;
        exchange.setProperty(TARGET, target);
        if (problem.isPresent()) {
            Path reason = settings.directory().resolve(target + ".reason.txt");
            try {
                Files.createDirectories(reason.getParent());
                Files.writeString(reason, problem.get() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the reason for " + path + " to " + reason, e);
            }
            LOG.warn("{} is not a usable ECG, moved to {}: {}", path, FAILED, problem.get());
        } else {
            LOG.info("{} stored, moved to {}", path, DONE);
        }
    }
}
