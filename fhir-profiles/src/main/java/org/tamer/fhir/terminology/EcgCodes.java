package org.tamer.fhir.terminology;

/** Code systems, codes and canonical URLs used by the ECG resources of this package. */
public final class EcgCodes {

    public static final String CANONICAL_BASE = "https://tamer-ecg.org/fhir";
    public static final String WAVEFORM_PROFILE = CANONICAL_BASE + "/StructureDefinition/ecg-waveform";
    public static final String DIAGNOSIS_PROFILE = CANONICAL_BASE + "/StructureDefinition/ai-ecg-diagnosis";
    public static final String MODEL_DEVICE_PROFILE = CANONICAL_BASE + "/StructureDefinition/ecg-model-device";
    public static final String PROVENANCE_PROFILE = CANONICAL_BASE + "/StructureDefinition/ecg-ai-provenance";

    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    /** MDC_ECG_ELEC_POTL, the ECG electrical potential. */
    public static final String MDC_ECG_ELEC_POTL = "131328";
    /** LOINC 11524-6, EKG study. */
    public static final String LOINC_EKG_STUDY = "11524-6";
    /** LOINC 8601-7, EKG impression. */
    public static final String LOINC_EKG_IMPRESSION = "8601-7";
    /** SNOMED CT 164854000 |Electrocardiogram normal (finding)|. */
    public static final String SNOMED_ECG_NORMAL = "164854000";
    /** SNOMED CT 102594003 |Electrocardiogram abnormal (finding)|. */
    public static final String SNOMED_ECG_ABNORMAL = "102594003";
    /** The probability from which a class is reported (on a diagnosis component). */
    public static final String OPERATING_POINT_EXTENSION = CANONICAL_BASE + "/StructureDefinition/operating-point";

    private EcgCodes() {
    }
}
