package org.tamer.gateway.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code tamer.store.*} values the gateway cannot work with are refused at start-up, naming the key. (Binding from
 * the configuration file is exercised by every test that starts the gateway; {@code DiagnoseBackPressureTest}
 * checks a bound lease and worker count.)
 */
class StoreSettingsTest {

    private static final Duration D = Duration.ofSeconds(1);

    @Test
    void aDurationThatIsNotPositiveIsRefusedNamingItsKey() {
        assertRefused("tamer.store.lease must be a positive duration: PT0S",
                () -> new StoreSettings(16, Duration.ZERO, D, 2, D, 2, D, D, 10, D));
        assertRefused("tamer.store.poll-interval must be a positive duration: PT-1S",
                () -> new StoreSettings(16, D, D.negated(), 2, D, 2, D, D, 10, D));
        assertRefused("tamer.store.give-up-after must be a positive duration: null",
                () -> new StoreSettings(16, D, D, 2, D, 2, D, D, 10, null));
    }

    @Test
    void aCountBelowItsMinimumIsRefusedNamingItsKey() {
        assertRefused("tamer.store.claim-size must be at least 1: 0",
                () -> new StoreSettings(0, D, D, 2, D, 2, D, D, 10, D));
        assertRefused("tamer.store.diagnosis-workers must be at least 0: -1",
                () -> new StoreSettings(16, D, D, -1, D, 2, D, D, 10, D));
        assertRefused("tamer.store.max-attempts must be at least 1: 0",
                () -> new StoreSettings(16, D, D, 2, D, 2, D, D, 0, D));
    }

    private static void assertRefused(String message, Runnable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(e.getMessage().equals(message), e.getMessage());
    }
}
