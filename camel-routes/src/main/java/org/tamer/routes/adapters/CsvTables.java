package org.tamer.routes.adapters;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Reading the CSV tables of archive layouts (a header row, then records), failures as {@link EcgFormatException}. */
public final class CsvTables {

    private static final CSVFormat WITH_HEADER = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).get();

    private CsvTables() {
    }

    /** All records of a UTF-8 CSV file with a header row. */
    public static List<CSVRecord> read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return WITH_HEADER.parse(in).getRecords();
        } catch (NoSuchFileException e) {
            throw new EcgFormatException(file.toString(), "file", "not found", e);
        } catch (IOException | RuntimeException e) {
            throw new EcgFormatException(file.toString(), "file", "cannot parse as CSV: " + e.getMessage(), e);
        }
    }
}
