package org.tamer.routes.adapters.ptbxl;

import java.util.Optional;

/**
 * One SCP-ECG statement of PTB-XL's {@code scp_statements.csv}.
 *
 * @param code                the statement code, e.g. {@code IMI}
 * @param description         the short English description, e.g. "inferior myocardial infarction"
 * @param diagnostic          whether it is a diagnostic statement
 * @param form                whether it is a form statement
 * @param rhythm              whether it is a rhythm statement
 * @param diagnosticClass     the diagnostic superclass (NORM, MI, STTC, CD, HYP), for diagnostic statements
 * @param diagnosticSubclass  the diagnostic subclass, for diagnostic statements
 * @param category            the SCP-ECG statement category
 */
public record ScpStatement(
        String code,
        String description,
        boolean diagnostic,
        boolean form,
        boolean rhythm,
        Optional<String> diagnosticClass,
        Optional<String> diagnosticSubclass,
        String category) {
}
