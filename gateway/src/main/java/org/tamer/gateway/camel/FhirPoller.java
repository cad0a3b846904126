package org.tamer.gateway.camel;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.tamer.routes.route.FhirObservationIntake;
import org.tamer.routes.route.FhirPollCursor;
import org.tamer.routes.route.FhirPollingRoute;

/** The Camel context running the {@code fhir-poll} route against a hospital FHIR server. */
public final class FhirPoller implements AutoCloseable {

    private final CamelContext camel;

    public FhirPoller(FhirPollingRoute.Settings settings, FhirObservationIntake intake, FhirPollCursor cursor,
                      FhirContext context, Clock clock) throws Exception {
        camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(10);
        camel.addRoutes(new FhirPollingRoute(settings, intake, cursor, context, clock));
        camel.start();
    }

    @Override
    public void close() {
        camel.stop();
    }
}
