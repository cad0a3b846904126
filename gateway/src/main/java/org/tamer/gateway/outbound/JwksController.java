package org.tamer.gateway.outbound;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import jakarta.inject.Provider;

/**
 * Publishes the public half of the gateway's SMART client keys as a JWK Set, anonymously (they are public): the
 * URL to register with the hospital's authorization server, or where to copy the keys from. The private keys stay
 * in {@code tamer.smart.key-file}.
 */
@Controller
public final class JwksController {

    /** Where the keys are served. */
    public static final String PATH = "/.well-known/jwks.json";

    private final Provider<SmartClientKeys> keys;

    public JwksController(Provider<SmartClientKeys> keys) {
        this.keys = keys;
    }

    @Get(value = PATH, produces = "application/jwk-set+json")
    public HttpResponse<String> jwks() {
        return HttpResponse.ok(keys.get().publicKeys().toString(true)).header("Cache-Control", "max-age=300");
    }
}
