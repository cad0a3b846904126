package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.mapping.SubjectReferences;
import org.tamer.gateway.store.Channel;

/** Sender-chosen values that are legitimate but no URI or FHIR id are encoded, not rejected downstream. */
class MessageSourceUriTest {

    @Test
    void controlIdsAreKeptWhenTheyAreUriCharactersAndPercentEncodedOtherwise() {
        assertEquals("urn:tamer:message:MLLP:CTL0001", MessageSourceUri.of(Channel.MLLP, "CTL0001"));
        assertEquals("urn:tamer:message:FHIR:srv/Observation/1/_history/2",
                MessageSourceUri.of(Channel.FHIR, "srv/Observation/1/_history/2"));
        for (String id : new String[] {"CTL 0001", "50%", "Zürich\t1", "a\"b<c>"}) {
            String uri = MessageSourceUri.of(Channel.MLLP, id);
            assertTrue(uri.chars().noneMatch(c -> c <= ' ' || c > '~'), uri);
            URI.create(uri);
            assertEquals(id, MessageSourceUri.controlId(uri.substring("urn:tamer:message:MLLP:".length())));
        }
        assertEquals("urn:tamer:message:MLLP:CTL%200001", MessageSourceUri.of(Channel.MLLP, "CTL 0001"));
        assertThrows(IllegalArgumentException.class, () -> MessageSourceUri.controlId("bad%2"));
    }

    @Test
    void aSubjectIdThatIsNoFhirIdBecomesALogicalReference() {
        assertEquals("Patient/123", SubjectReferences.of("Patient/123").getReference());
        Reference logical = SubjectReferences.of("Patient/MRN 0002");
        assertEquals(null, logical.getReference());
        assertEquals("Patient", logical.getType());
        assertEquals("MRN 0002", logical.getIdentifier().getValue());
    }
}
