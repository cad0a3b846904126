package org.tamer.runtime.testdata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates the project's real test data, {@code ../shared/data} beside the clone (set by the build as the system
 * property {@code tamer.data.dir}; the environment variable {@code TAMER_DATA_DIR} overrides it; code run inside
 * Maven without it, such as benchmark mains, uses the reactor root's {@code ../shared/data}). Tests fail with
 * a message saying where the data was looked for when it is missing; they are never silently skipped.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The data directory, after checking that it holds the PTB-XL subset. */
    public static Path root() {
        String configured = System.getenv("TAMER_DATA_DIR");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("tamer.data.dir");
        }
        if ((configured == null || configured.isBlank())
                && System.getProperty("maven.multiModuleProjectDirectory") != null) {
            // benchmark mains run inside Maven (exec:java) see the reactor root instead
            configured = System.getProperty("maven.multiModuleProjectDirectory") + "/../shared/data";
        }
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("test data location unknown: run the tests through Maven (which sets "
                    + "-Dtamer.data.dir to ../shared/data beside the clone) or set TAMER_DATA_DIR");
        }
        Path root = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("ptbxl/ptbxl_database.csv"))) {
            throw new IllegalStateException("the shared ECG test data is missing: expected " + root
                    + "/ptbxl/ptbxl_database.csv (clone the project next to its shared/ folder, so that "
                    + "../shared/data exists, or set TAMER_DATA_DIR)");
        }
        return root;
    }

    /** A file or folder below the data directory, which must exist. */
    public static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("shared test data file missing: " + path);
        }
        return path;
    }

    public static Path ptbXl() {
        return file("ptbxl");
    }

    /** The header of PTB-XL record {@code ecgId} at 500 Hz ({@code highRate}) or 100 Hz. */
    public static Path ptbXlHeader(int ecgId, boolean highRate) {
        String folder = String.format("%05d", (ecgId / 1000) * 1000);
        String name = String.format("%05d_%s.hea", ecgId, highRate ? "hr" : "lr");
        return file("ptbxl/" + (highRate ? "records500/" : "records100/") + folder + "/" + name);
    }

    /** The ids of the PTB-XL records shipped in the shared data (1–500). */
    public static List<Integer> ptbXlIds() {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= 500; id++) {
            if (Files.exists(root().resolve(String.format("ptbxl/records500/%05d/%05d_hr.hea",
                    (id / 1000) * 1000, id)))) {
                ids.add(id);
            }
        }
        if (ids.size() != 500) {
            throw new IllegalStateException("expected PTB-XL records 1-500 in " + root() + ", found " + ids.size());
        }
        return ids;
    }
}
