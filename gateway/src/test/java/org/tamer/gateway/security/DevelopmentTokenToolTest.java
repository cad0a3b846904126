package org.tamer.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/tamer-token: its tokens pass the gateway's own verifier with the scopes asked for; it refuses a real JWKS. */
class DevelopmentTokenToolTest {

    @TempDir
    Path work;

    @Test
    void tokenCarriesTheScopesAndVerifiesAgainstTheDevelopmentKey() {
        DevelopmentKey key = DevelopmentKey.loadOrCreate(work);
        DevelopmentTokenTool.Request request = DevelopmentTokenTool.parse(new String[] {"--scope",
                "system/Observation.read tamer/operations", "--scope", "tamer/admin", "--lifetime", "30m",
                "--work-dir", work.toString()}, Map.of(), new Properties());
        assertEquals(List.of("system/Observation.read", "tamer/operations", "tamer/admin"), request.scopes());
        assertEquals(Duration.ofMinutes(30), request.lifetime());
        String token = DevelopmentKey.load(request.workDir()).token(request.subject(),
                String.join(" ", request.scopes()), request.lifetime());
        Set<String> granted = TokenVerifier.ofKeys(key.publicKeys(), Optional.of(DevelopmentKey.ISSUER),
                Optional.empty()).verify(token);
        assertEquals(Set.of("system/Observation.read", "tamer/operations", "tamer/admin"), granted);
        // a key made elsewhere does not verify it
        DevelopmentKey other = DevelopmentKey.loadOrCreate(work.resolve("other"));
        assertThrows(TokenVerifier.InvalidTokenException.class, () -> TokenVerifier.ofKeys(other.publicKeys(),
                Optional.empty(), Optional.empty()).verify(token));
    }

    @Test
    void refusesWhenARealJwksIsConfigured() {
        IllegalStateException fromEnv = assertThrows(IllegalStateException.class, () -> DevelopmentTokenTool.parse(
                new String[] {"--scope", "tamer/operations"}, Map.of("TAMER_SECURITY_JWKS_URL",
                        "https://login.example.org/jwks"), new Properties()));
        assertTrue(fromEnv.getMessage().contains("https://login.example.org/jwks"), fromEnv.getMessage());
        Properties properties = new Properties();
        properties.setProperty("tamer.security.jwks-url", "https://idp.example.org/keys");
        assertThrows(IllegalStateException.class, () -> DevelopmentTokenTool.parse(
                new String[] {"--scope", "tamer/operations"}, Map.of(), properties));
    }

    @Test
    void checksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> DevelopmentTokenTool.parse(new String[0], Map.of(),
                new Properties()));
        assertThrows(IllegalArgumentException.class, () -> DevelopmentTokenTool.parse(new String[] {"--scope"},
                Map.of(), new Properties()));
        assertThrows(IllegalArgumentException.class, () -> DevelopmentTokenTool.lifetime("2h"));
        assertThrows(IllegalArgumentException.class, () -> DevelopmentTokenTool.lifetime("61m"));
        assertThrows(IllegalArgumentException.class, () -> DevelopmentTokenTool.lifetime("-5m"));
        assertThrows(IllegalArgumentException.class, () -> DevelopmentTokenTool.lifetime("soon"));
        assertEquals(Duration.ofMinutes(15), DevelopmentTokenTool.lifetime("PT15M"));
        assertEquals(Duration.ofHours(1), DevelopmentTokenTool.lifetime("1h"));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> DevelopmentKey.load(work.resolve("nothing-here")));
        assertTrue(missing.getMessage().contains("nothing-here"), missing.getMessage());
    }
}
