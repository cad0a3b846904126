package org.tamer.gateway;

import io.micronaut.runtime.Micronaut;

/** Starts the gateway: HTTP (FHIR, admin, health, metrics) on 8080 and MLLP on 2575 by default. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
