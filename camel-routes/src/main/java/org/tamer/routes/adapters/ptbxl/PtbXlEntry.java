package org.tamer.routes.adapters.ptbxl;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One row of {@code ptbxl_database.csv} with its statements resolved against {@code scp_statements.csv}.
 *
 * @param ecgId                 the record id (1-based)
 * @param patientId             the (pseudonymised) patient id; split by this, never by record
 * @param age                   age in years (PTB-XL writes 300 for ages above 89), when given
 * @param sex                   0 male, 1 female, when given
 * @param device                the recording device
 * @param recordingDate         the recording time as written (local, date-shifted)
 * @param report                the free-text report (German or English)
 * @param scpCodes              statements with likelihoods, in the file's order
 * @param diagnosticSuperclasses diagnostic superclasses of the diagnostic statements
 * @param diagnosticSubclasses  diagnostic subclasses of the diagnostic statements
 * @param formStatements        form statements
 * @param rhythmStatements      rhythm statements
 * @param strataFold            the recommended stratified fold (1–10; 9 and 10 are validation and test)
 * @param lowRateFile           path of the 100 Hz record relative to the archive root, without extension
 * @param highRateFile          path of the 500 Hz record relative to the archive root, without extension
 * @param englishReport         a report composed in English from the statement descriptions
 */
public record PtbXlEntry(
        int ecgId,
        long patientId,
        Optional<Integer> age,
        Optional<Integer> sex,
        String device,
        Optional<LocalDateTime> recordingDate,
        String report,
        List<ScpCode> scpCodes,
        Set<String> diagnosticSuperclasses,
        Set<String> diagnosticSubclasses,
        Set<String> formStatements,
        Set<String> rhythmStatements,
        int strataFold,
        String lowRateFile,
        String highRateFile,
        String englishReport) {

    public PtbXlEntry {
        scpCodes = List.copyOf(scpCodes);
        diagnosticSuperclasses = Set.copyOf(diagnosticSuperclasses);
        diagnosticSubclasses = Set.copyOf(diagnosticSubclasses);
        formStatements = Set.copyOf(formStatements);
        rhythmStatements = Set.copyOf(rhythmStatements);
    }
}
