package org.tamer.routes.route;

import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpConstants;

/**
 * Route {@code mllp-inbound}: an MLLP listener whose every message goes to an {@link Hl7Intake}; the intake's
 * acknowledgement is what the listener sends back (automatic acknowledgement is off, so nothing is acknowledged
 * before the intake has stored the message).
 */
public final class MllpInboundRoute extends RouteBuilder {

    public static final String ROUTE_ID = "mllp-inbound";

    private final String endpointUri;
    private final Hl7Intake intake;

    /**
     * @param endpointUri an {@code mllp://host:port?...} consumer URI; {@code autoAck=false} and
     *                    {@code stringPayload=false} are added
     */
    public MllpInboundRoute(String endpointUri, Hl7Intake intake) {
        this.endpointUri = Objects.requireNonNull(endpointUri, "endpointUri");
        this.intake = Objects.requireNonNull(intake, "intake");
    }

    @Override
    public void configure() {
        String uri = endpointUri + (endpointUri.contains("?") ? "&" : "?")
                + "autoAck=false&stringPayload=false&hl7Headers=false&validatePayload=false";
        from(uri).routeId(ROUTE_ID).process(this::receive);
    }

    private void receive(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        String remote = exchange.getMessage().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, "", String.class);
        intake.receive(raw == null ? new byte[0] : raw, remote)
                .ifPresent(ack -> exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack));
    }
}
