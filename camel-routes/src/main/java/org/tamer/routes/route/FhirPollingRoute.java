package org.tamer.routes.route;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;

/**
 * Route {@code fhir-poll}: asks a hospital FHIR server (camel-fhir) at a fixed interval for the ECG Observations
 * updated since the last poll, follows the result's {@code next} links, and hands every Observation to a
 * {@link FhirObservationIntake}. The search is {@code <query>&_lastUpdated=ge<cursor>&_sort=_lastUpdated}; after
 * each page the cursor moves to the newest {@code meta.lastUpdated} handed over, so a poll cut short (server down,
 * store down, gateway killed) resumes from the last page that was stored completely. The boundary is inclusive and
 * the intake recognises what it has stored, so nothing is lost and nothing is stored twice. Observations that a
 * gateway wrote back itself (tagged {@link WriteBackBundleBuilder#WRITE_BACK_TAG_SYSTEM}: the waveform copy in a
 * result Bundle) are passed over, so polling the server that also receives the results does not loop.
 *
 * <p>The server must support {@code _lastUpdated} and {@code _sort=_lastUpdated} (HAPI FHIR JPA, and the FHIR
 * services of the large clouds, do).
 */
public final class FhirPollingRoute extends RouteBuilder {

    public static final String ROUTE_ID = "fhir-poll";

    private static final Logger LOG = LoggerFactory.getLogger(FhirPollingRoute.class);
    private static final String PAGES = "tamerFhirPollPages";
    private static final String RECEIVED = "tamerFhirPollReceived";

    /**
     * What to poll and how often.
     *
     * @param serverUrl   the FHIR server's base URL
     * @param query       the search, e.g. {@code Observation?code=http://loinc.org|11524-6}; the route adds
     *                    {@code _lastUpdated}, {@code _sort} and {@code _count}
     * @param interval    time between the end of one poll and the start of the next
     * @param pageSize    {@code _count}, Observations per page
     * @param maxPages    pages read per poll at most; the rest waits for the next poll
     * @param since       where the very first poll starts; empty: the moment it first runs
     * @param accessToken a bearer token for the server, if it needs one
     * @param timeout     connect and read timeout of each request
     */
    public record Settings(URI serverUrl, String query, Duration interval, int pageSize, int maxPages,
                           Optional<Instant> since, Optional<String> accessToken, Duration timeout) {

        public Settings {
            Objects.requireNonNull(serverUrl, "serverUrl");
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(timeout, "timeout");
            String scheme = serverUrl.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("tamer.fhir-poll.server-url must be an http or https URL, got '"
                        + serverUrl + "'");
            }
            if (!query.startsWith("Observation")) {
                throw new IllegalArgumentException("tamer.fhir-poll.query must search Observation (e.g. "
                        + "'Observation?code=http://loinc.org|11524-6'), got '" + query + "'");
            }
            if (query.contains("_lastUpdated") || query.contains("_sort") || query.contains("_count")) {
                throw new IllegalArgumentException("tamer.fhir-poll.query must not set _lastUpdated, _sort or "
                        + "_count: the poller sets them, got '" + query + "'");
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("tamer.fhir-poll.interval must be positive, got " + interval);
            }
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("tamer.fhir-poll.page-size must be 1 to 1000, got " + pageSize);
            }
            if (maxPages < 1) {
                throw new IllegalArgumentException("tamer.fhir-poll.max-pages must be at least 1, got " + maxPages);
            }
        }

        /** The key of this poll's cursor: a changed server or query starts a cursor of its own. */
        public String source() {
            return serverUrl + " " + query;
        }
    }

    /** The registry name of a client given to the route. */
    static final String CLIENT_BEAN = "tamerFhirPollClient";

    private final Settings settings;
    private final Optional<IGenericClient> client;
    private final FhirObservationIntake intake;
    private final FhirPollCursor cursor;
    private final IParser json;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong completedPolls = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong failedPolls = new java.util.concurrent.atomic.AtomicLong();

    public FhirPollingRoute(Settings settings, FhirObservationIntake intake, FhirPollCursor cursor,
                            FhirContext context, Clock clock) {
        this(settings, Optional.empty(), intake, cursor, context, clock);
    }

    /**
     * @param client a HAPI client for {@code settings.serverUrl()} set up by the caller (TLS, authorization
     *               interceptors, timeouts); empty: camel-fhir makes one from the settings
     */
    public FhirPollingRoute(Settings settings, Optional<IGenericClient> client, FhirObservationIntake intake,
                            FhirPollCursor cursor, FhirContext context, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.json = Objects.requireNonNull(context, "context").newJsonParser();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::pollFailed);
        String server = "serverUrl=RAW(" + settings.serverUrl() + ")&fhirVersion=R4&encoding=JSON"
                + "&connectionTimeout=" + settings.timeout().toMillis()
                + "&socketTimeout=" + settings.timeout().toMillis()
                + settings.accessToken().map(token -> "&accessToken=RAW(" + token + ")").orElse("");
        if (client.isPresent()) {
            getContext().getRegistry().bind(CLIENT_BEAN, client.get());
            server = "client=#" + CLIENT_BEAN + "&fhirVersion=R4&encoding=JSON";
        }
        // synchronous: camel-fhir answers on its own threads; without it a slow poll would overlap the next one
        from("timer:" + ROUTE_ID + "?delay=0&synchronous=true&period=" + settings.interval().toMillis())
                .routeId(ROUTE_ID)
                .process(this::startPoll)
                .to("fhir://search/searchByUrl?inBody=url&" + server)
                .process(this::receivePage)
                .loopDoWhile(this::hasNextPage)
                    .to("fhir://load-page/next?inBody=bundle&" + server)
                    .process(this::receivePage)
                .end()
                .process(this::finishPoll);
    }

    private void startPoll(Exchange exchange) {
        Instant from = cursor.load(settings.source()).orElseGet(() -> {
            Instant start = settings.since().orElse(clock.instant());
            cursor.save(settings.source(), start);
            return start;
        });
        exchange.setProperty(PAGES, 0);
        exchange.setProperty(RECEIVED, 0);
        exchange.getMessage().setBody(searchUrl(from));
    }

    /** The search of one poll, relative to the server's base. */
    String searchUrl(Instant from) {
        return settings.query() + (settings.query().contains("?") ? "&" : "?") + "_lastUpdated=ge" + from
                + "&_sort=_lastUpdated&_count=" + settings.pageSize();
    }

    private void receivePage(Exchange exchange) {
        Bundle page = exchange.getMessage().getBody(Bundle.class);
        if (page == null) {
            throw new IllegalStateException("the FHIR server " + settings.serverUrl()
                    + " answered the search with something other than a Bundle");
        }
        Instant newest = null;
        int received = 0;
        for (Bundle.BundleEntryComponent entry : page.getEntry()) {
            if (!(entry.getResource() instanceof Observation observation)
                    || entry.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE) {
                continue;
            }
            newest = later(newest, observation);
            if (writtenBack(observation)) {
                continue;
            }
            if (intake.receive(json.encodeResourceToString(observation), controlId(observation),
                    settings.serverUrl().toString())) {
                received++;
            }
        }
        if (newest != null) {
            cursor.save(settings.source(), newest);
        }
        exchange.setProperty(PAGES, exchange.getProperty(PAGES, 0, Integer.class) + 1);
        exchange.setProperty(RECEIVED, exchange.getProperty(RECEIVED, 0, Integer.class) + received);
    }

    private static Instant later(Instant newest, Observation observation) {
        if (observation.getMeta().getLastUpdated() == null) {
            return newest;
        }
        Instant updated = observation.getMeta().getLastUpdated().toInstant();
        return newest == null || updated.isAfter(newest) ? updated : newest;
    }

    private static boolean writtenBack(Observation observation) {
        return observation.getMeta().getTag().stream()
                .anyMatch(tag -> WriteBackBundleBuilder.WRITE_BACK_TAG_SYSTEM.equals(tag.getSystem()));
    }

    private String controlId(Observation observation) {
        String id = observation.getIdElement().getIdPart();
        String version = observation.getIdElement().getVersionIdPart();
        if (version == null && observation.getMeta().hasVersionId()) {
            version = observation.getMeta().getVersionId();
        }
        return settings.serverUrl() + "/Observation/" + (id == null ? "(no id)" : id)
                + (version == null ? "" : "/_history/" + version);
    }

    private boolean hasNextPage(Exchange exchange) {
        Bundle page = exchange.getMessage().getBody(Bundle.class);
        return page != null && page.getLink(Bundle.LINK_NEXT) != null
                && exchange.getProperty(PAGES, 0, Integer.class) < settings.maxPages();
    }

    /** Polls that ran to their end since the route started. */
    public long completedPolls() {
        return completedPolls.get();
    }

    /** Polls that failed (server unreachable, an error answer, an unreadable page) since the route started. */
    public long failedPolls() {
        return failedPolls.get();
    }

    private void finishPoll(Exchange exchange) {
        completedPolls.incrementAndGet();
        int received = exchange.getProperty(RECEIVED, 0, Integer.class);
        if (received > 0) {
            LOG.info("polled {} new Observation(s) in {} page(s) from {}; next poll from {}", received,
                    exchange.getProperty(PAGES, 0, Integer.class), settings.serverUrl(),
                    cursor.load(settings.source()).map(Instant::toString).orElse("the start"));
        }
    }

    private void pollFailed(Exchange exchange) {
        failedPolls.incrementAndGet();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("polling {} failed after {} new Observation(s): {}; the next poll in {} resumes from the last "
                + "stored page", settings.serverUrl(), exchange.getProperty(RECEIVED, 0, Integer.class),
                reason(failure), settings.interval());
    }

    /** The innermost cause, which names what went wrong (camel-fhir wraps it in a dump of its parameters). */
    private static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
