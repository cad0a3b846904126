package org.tamer.gateway.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tamer.gateway.security.Scopes.Operation;

/** SMART scopes against the tables of SMART App Launch 2 ("Scopes for requesting clinical data"). */
class ScopesTest {

    @Test
    void smartV1ScopesSplitReadFromWrite() {
        assertTrue(Scopes.allows(Set.of("system/Observation.read"), "Observation", Operation.READ));
        assertTrue(Scopes.allows(Set.of("system/Observation.read"), "Observation", Operation.SEARCH));
        assertFalse(Scopes.allows(Set.of("system/Observation.read"), "Observation", Operation.CREATE));
        assertTrue(Scopes.allows(Set.of("system/Observation.write"), "Observation", Operation.CREATE));
        assertTrue(Scopes.allows(Set.of("system/Observation.write"), "Observation", Operation.UPDATE));
        assertFalse(Scopes.allows(Set.of("system/Observation.write"), "Observation", Operation.READ));
        assertTrue(Scopes.allows(Set.of("system/*.*"), "Bundle", Operation.CREATE));
    }

    @Test
    void aSmartV2ScopeGrantsExactlyItsLetters() {
        assertTrue(Scopes.allows(Set.of("system/Observation.rs"), "Observation", Operation.READ));
        assertTrue(Scopes.allows(Set.of("system/Observation.rs"), "Observation", Operation.SEARCH));
        assertFalse(Scopes.allows(Set.of("system/Observation.rs"), "Observation", Operation.CREATE));
        assertFalse(Scopes.allows(Set.of("system/Observation.r"), "Observation", Operation.SEARCH));
        assertFalse(Scopes.allows(Set.of("system/Observation.s"), "Observation", Operation.READ));
        assertTrue(Scopes.allows(Set.of("system/Observation.cruds"), "Observation", Operation.CREATE));
        assertTrue(Scopes.allows(Set.of("system/Observation.cruds"), "Observation", Operation.DELETE));
        assertTrue(Scopes.allows(Set.of("system/Observation.c"), "Observation", Operation.CREATE));
    }

    @Test
    void anUpdateScopeDoesNotAllowACreate() {
        assertFalse(Scopes.allows(Set.of("system/Observation.u"), "Observation", Operation.CREATE));
        assertTrue(Scopes.allows(Set.of("system/Observation.u"), "Observation", Operation.UPDATE));
        assertFalse(Scopes.allows(Set.of("system/Observation.rus"), "Observation", Operation.CREATE));
    }

    @Test
    void malformedForeignAndOtherTypeScopesGrantNothing() {
        assertFalse(Scopes.allows(Set.of("patient/Observation.read"), "Observation", Operation.READ));
        assertFalse(Scopes.allows(Set.of("system/Patient.read"), "Observation", Operation.READ));
        assertFalse(Scopes.allows(Set.of("system/Observation.xyz"), "Observation", Operation.READ));
        assertFalse(Scopes.allows(Set.of("system/Observation.sr"), "Observation", Operation.READ),
                "v2 letters out of order are not a scope");
        assertFalse(Scopes.allows(Set.of("system/Observation.cc"), "Observation", Operation.CREATE));
        assertFalse(Scopes.allows(Set.of("system/Observation."), "Observation", Operation.CREATE));
        assertFalse(Scopes.allows(Set.of(Scopes.OPERATIONS, Scopes.ADMIN), "Observation", Operation.READ));
    }
}
