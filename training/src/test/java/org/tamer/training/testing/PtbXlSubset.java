package org.tamer.training.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tamer.runtime.testdata.SharedData;

/**
 * A PTB-XL root holding only the first {@code n} records of the shared data: its database table cut to those rows,
 * the statement table, and links to the real record folders. Keeps CLI tests on real records short.
 */
public final class PtbXlSubset {

    private PtbXlSubset() {
    }

    public static Path write(Path root, int n) throws IOException {
        Path source = SharedData.ptbXl();
        Files.createDirectories(root);
        // one record per line in this table (no field spans lines): the header and the first n lines
        List<String> lines = Files.readAllLines(source.resolve("ptbxl_database.csv"), StandardCharsets.UTF_8);
        Files.write(root.resolve("ptbxl_database.csv"), lines.subList(0, Math.min(lines.size(), n + 1)),
                StandardCharsets.UTF_8);
        Files.copy(source.resolve("scp_statements.csv"), root.resolve("scp_statements.csv"));
        for (String folder : new String[] {"records100", "records500"}) {
            Files.createSymbolicLink(root.resolve(folder), source.resolve(folder).toAbsolutePath());
        }
        return root;
    }
}
