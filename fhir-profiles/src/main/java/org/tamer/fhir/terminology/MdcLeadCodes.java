package org.tamer.fhir.terminology;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.tamer.runtime.ecg.StandardLead;

/**
 * ISO/IEEE 11073-10101 codes for the twelve standard leads. Two code sets occur in practice and both are read:
 * the lead codes {@code MDC_ECG_LEAD_x} (partition 2, term = lead number: I = 131073, as in DICOM CID 3001) and
 * the electrical-potential codes {@code MDC_ECG_ELEC_POTL_x} (131328 + lead number: I = 131329, as in the FHIR
 * core example "ekg"). The lead codes are the ones written.
 */
public final class MdcLeadCodes {

    /** The code system URI written; {@link #SYSTEM_OID} is read as well. */
    public static final String SYSTEM = "urn:iso:std:iso:11073:10101";
    public static final String SYSTEM_OID = "urn:oid:2.16.840.1.113883.6.24";

    private static final int LEAD_BASE = 2 * 65536;
    private static final int POTENTIAL_BASE = LEAD_BASE + 256;

    private final Map<StandardLead, Integer> termByLead = new EnumMap<>(StandardLead.class);
    private final Map<Integer, StandardLead> leadByCode = new HashMap<>();

    public MdcLeadCodes() {
        term(StandardLead.I, 1);
        term(StandardLead.II, 2);
        term(StandardLead.V1, 3);
        term(StandardLead.V2, 4);
        term(StandardLead.V3, 5);
        term(StandardLead.V4, 6);
        term(StandardLead.V5, 7);
        term(StandardLead.V6, 8);
        term(StandardLead.III, 61);
        term(StandardLead.AVR, 62);
        term(StandardLead.AVL, 63);
        term(StandardLead.AVF, 64);
    }

    private void term(StandardLead lead, int term) {
        termByLead.put(lead, term);
        leadByCode.put(LEAD_BASE + term, lead);
        leadByCode.put(POTENTIAL_BASE + term, lead);
    }

    /** Whether {@code system} is one of the two URIs of ISO/IEEE 11073-10101. */
    public boolean isMdcSystem(String system) {
        return SYSTEM.equals(system) || SYSTEM_OID.equals(system);
    }

    /** The {@code MDC_ECG_LEAD_x} code written for a lead, e.g. {@code 131073} for lead I. */
    public String leadCode(StandardLead lead) {
        return Integer.toString(LEAD_BASE + termByLead.get(lead));
    }

    /** The {@code MDC_ECG_ELEC_POTL_x} code for a lead, e.g. {@code 131329} for lead I. */
    public String potentialCode(StandardLead lead) {
        return Integer.toString(POTENTIAL_BASE + termByLead.get(lead));
    }

    /** The lead a code of either set names; empty for a missing or unknown code. */
    public Optional<StandardLead> lead(String code) {
        if (code == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(leadByCode.get(Integer.parseInt(code.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
