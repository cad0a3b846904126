package org.tamer.gateway.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** A Camel context of its own for one of the gateway's optional routes ({@code fhir-poll}, {@code file-drop}). */
public final class RouteRunner implements AutoCloseable {

    private final CamelContext camel;

    public RouteRunner(RouteBuilder routes) throws Exception {
        camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(10);
        camel.addRoutes(routes);
        camel.start();
    }

    @Override
    public void close() {
        camel.stop();
    }
}
