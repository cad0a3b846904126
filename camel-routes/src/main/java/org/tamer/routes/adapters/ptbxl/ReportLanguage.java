package org.tamer.routes.adapters.ptbxl;

/** Which report a PTB-XL record carries as its {@code reportText}. */
public enum ReportLanguage {
    /** The cardiologist's free text as written (about half of it German). */
    ORIGINAL,
    /** English composed from the SCP statement descriptions. */
    ENGLISH_STATEMENTS
}
