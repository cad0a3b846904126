package org.tamer.gateway.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {

    @Test
    void smartV1AndV2ScopesGrantWhatTheySay() {
        assertTrue(Scopes.allows(Set.of("system/Observation.read"), "Observation", false));
        assertFalse(Scopes.allows(Set.of("system/Observation.read"), "Observation", true));
        assertTrue(Scopes.allows(Set.of("system/Observation.write"), "Observation", true));
        assertTrue(Scopes.allows(Set.of("system/*.*"), "Bundle", true));
        assertTrue(Scopes.allows(Set.of("system/Observation.rs"), "Observation", false));
        assertFalse(Scopes.allows(Set.of("system/Observation.rs"), "Observation", true));
        assertTrue(Scopes.allows(Set.of("system/Observation.cruds"), "Observation", true));
        assertFalse(Scopes.allows(Set.of("patient/Observation.read"), "Observation", false));
        assertFalse(Scopes.allows(Set.of("system/Patient.read"), "Observation", false));
        assertFalse(Scopes.allows(Set.of("system/Observation.xyz"), "Observation", false));
    }
}
