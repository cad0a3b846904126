package org.tamer.fhir.mapping;

import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The FHIR Reference for a record's subject or encounter ({@code Type/id}). A source's identifier need not be a
 * FHIR id: an HL7 v2 PID-3 (CX.1 is an ST) or a FHIR reference may hold spaces and other characters a resource id
 * cannot ({@code [A-Za-z0-9\-\.]{1,64}}). Such a value is kept as it is, as a logical reference (type and
 * identifier), instead of a literal reference no FHIR server would accept.
 */
public final class SubjectReferences {

    private static final Pattern LITERAL = Pattern.compile("([A-Z][A-Za-z]+/)?[A-Za-z0-9\\-.]{1,64}"
            + "(/_history/[A-Za-z0-9\\-.]{1,64})?|[a-z][a-z0-9+.\\-]*:\\S+");

    private SubjectReferences() {
    }

    public static Reference of(String reference) {
        if (LITERAL.matcher(reference).matches()) {
            return new Reference(reference);
        }
        int slash = reference.indexOf('/');
        Reference logical = new Reference();
        if (slash > 0 && reference.substring(0, slash).matches("[A-Z][A-Za-z]+")) {
            logical.setType(reference.substring(0, slash));
            logical.setIdentifier(new Identifier().setValue(reference.substring(slash + 1)));
        } else {
            logical.setIdentifier(new Identifier().setValue(reference));
        }
        return logical;
    }
}
