package org.tamer.gateway.camel;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.tamer.gateway.testing.LoopbackFhirServer;

/**
 * A real HAPI FHIR server (RestfulServer over Jetty, paging by HAPI's FIFO paging provider) standing in for a
 * hospital FHIR server that the gateway polls. Its Observation search honours {@code code}, {@code _lastUpdated}
 * and {@code _sort=_lastUpdated} as a FHIR server with a database does; every search served is counted. It can be
 * stopped and started again on the same port with its resources kept.
 */
final class EcgObservationServer implements AutoCloseable {

    private final FhirContext context = FhirContext.forR4Cached();
    private final ObservationSearch observations = new ObservationSearch();
    private Server server;
    private int port;

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    /** Stores a copy of {@code observation} as version 1 of a new resource, last updated now. */
    Observation add(Observation observation) {
        return observations.add(observation);
    }

    /** Searches served so far (first pages; the next pages come from the paging provider). */
    int searches() {
        return observations.searches.get();
    }

    /** The {@code _sort} of the last search, as received. */
    String lastSort() {
        return observations.lastSort;
    }

    synchronized void start() throws Exception {
        RestfulServer restful = new RestfulServer(context);
        restful.setResourceProviders(observations);
        restful.setPagingProvider(new FifoMemoryPagingProvider(20));
        server = LoopbackFhirServer.start(restful, port);
        port = LoopbackFhirServer.port(server);
    }

    synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the FHIR test server", e);
        }
    }

    /** The Observation provider: an in-memory list with the search the poller uses. */
    public static final class ObservationSearch implements IResourceProvider {

        private final List<Observation> stored = new CopyOnWriteArrayList<>();
        private final AtomicInteger searches = new AtomicInteger();
        private volatile String lastSort = "";

        @Override
        public Class<Observation> getResourceType() {
            return Observation.class;
        }

        synchronized Observation add(Observation observation) {
            Observation copy = observation.copy();
            String id = "ecg-" + (stored.size() + 1);
            copy.setId(new IdType("Observation", id, "1"));
            copy.getMeta().setVersionId("1").setLastUpdated(new Date());
            stored.add(copy);
            return copy;
        }

        @Search
        public List<Observation> search(@OptionalParam(name = Observation.SP_CODE) TokenParam code,
                                        @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated, @Sort SortSpec sort,
                                        @Count Integer count) {
            searches.incrementAndGet();
            lastSort = sort == null ? "" : sort.getParamName() + " " + sort.getOrder();
            List<Observation> found = new ArrayList<>();
            for (Observation o : stored) {
                if ((code == null || hasCode(o, code))
                        && within(lastUpdated, o.getMeta().getLastUpdated())) {
                    found.add(o);
                }
            }
            if (sort != null && "_lastUpdated".equals(sort.getParamName())) {
                found.sort(Comparator.comparing(o -> o.getMeta().getLastUpdated()));
            }
            return found;
        }

        private static boolean within(DateRangeParam range, Date date) {
            if (range == null) {
                return true;
            }
            Date lower = range.getLowerBoundAsInstant();
            Date upper = range.getUpperBoundAsInstant();
            return (lower == null || !date.before(lower)) && (upper == null || !date.after(upper));
        }

        private static boolean hasCode(Observation o, TokenParam code) {
            for (Coding coding : o.getCode().getCoding()) {
                if ((code.getSystem() == null || code.getSystem().equals(coding.getSystem()))
                        && code.getValue().equals(coding.getCode())) {
                    return true;
                }
            }
            return false;
        }
    }
}
