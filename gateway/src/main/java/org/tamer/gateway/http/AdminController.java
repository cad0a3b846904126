package org.tamer.gateway.http;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tamer.gateway.security.BearerTokenFilter;
import org.tamer.gateway.security.Scopes;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageBrowser;
import org.tamer.gateway.store.MessageDetail;
import org.tamer.gateway.store.MessageFilter;
import org.tamer.gateway.store.MessageOverview;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.ReplaySelection;

/**
 * The admin API behind the operator console ({@code /console/}). Reading needs {@code tamer/operations} (or
 * {@code tamer/admin}), replay needs {@code tamer/admin}; what is shown of a message's clinical content follows the
 * token's FHIR scopes (see {@link MessageViews}). Endpoints:
 * <ul>
 *   <li>{@code GET /admin}: this index;</li>
 *   <li>{@code GET /admin/messages?state=&channel=&since=&until=&reason=&before=&limit=}: messages newest first;
 *       {@code state} and {@code channel} take one value or several separated by commas; {@code since},
 *       {@code until}: ISO-8601 instants (time received); {@code reason}: a text in the failure reason;
 *       {@code before}: an id, for the next page; {@code limit}: 1 to 500 (100);</li>
 *   <li>{@code GET /admin/messages/{id}}: a message's handling: ACK, timeline, delivery attempts and errors,
 *       result summary;</li>
 *   <li>{@code POST /admin/replay?id=…[&id=…]|from=…&to=…|reason=…}: FAILED and DEAD messages back to work;</li>
 *   <li>{@code GET /admin/status}: the loaded model, queue depths by state, the model's queue, throughput.</li>
 * </ul>
 */
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AdminController {

    private final MessageStore store;
    private final MessageBrowser browser;
    private final MessageViews views;
    private final GatewayStatus status;
    private final OperationOutcomes outcomes;

    public AdminController(MessageStore store, MessageBrowser browser, FhirContext context, GatewayStatus status,
                           OperationOutcomes outcomes) {
        this.store = store;
        this.browser = browser;
        this.views = new MessageViews(context);
        this.status = status;
        this.outcomes = outcomes;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    public Map<String, Object> index() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("console", "/console/");
        body.put("messages", "GET /admin/messages?state=FAILED,DEAD&channel=MLLP&since=2026-11-24T10:00:00Z"
                + "&until=...&reason=text&before=ID&limit=100");
        body.put("message", "GET /admin/messages/{id}");
        body.put("replay", "POST /admin/replay?id=ID[&id=ID...] | from=INSTANT&to=INSTANT | reason=text");
        body.put("status", "GET /admin/status");
        body.put("scopes", Map.of("read", Scopes.OPERATIONS + " or " + Scopes.ADMIN, "replay", Scopes.ADMIN));
        return body;
    }

    @Get(value = "/messages{?state,channel,since,until,reason,before,limit}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> messages(@Nullable @QueryValue String state, @Nullable @QueryValue String channel,
                                    @Nullable @QueryValue String since, @Nullable @QueryValue String until,
                                    @Nullable @QueryValue String reason, @Nullable @QueryValue Long before,
                                    @Nullable @QueryValue Integer limit) {
        MessageFilter filter;
        try {
            filter = new MessageFilter(values(state, MessageState.class, "state"),
                    values(channel, Channel.class, "channel"), instant(since, "since"), instant(until, "until"),
                    Optional.ofNullable(reason).filter(r -> !r.isBlank()), Optional.ofNullable(before),
                    limit == null ? 100 : limit);
        } catch (IllegalArgumentException e) {
            return outcomes.response(HttpStatus.BAD_REQUEST, "invalid", e.getMessage());
        }
        List<MessageOverview> rows = browser.list(filter);
        List<Map<String, Object>> messages = new ArrayList<>();
        rows.forEach(m -> messages.add(MessageViews.overview(m)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messages", messages);
        body.put("next", rows.size() == filter.limit() ? rows.get(rows.size() - 1).id() : null);
        return HttpResponse.ok(body);
    }

    @Get(value = "/messages/{id}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> message(@PathVariable long id, HttpRequest<?> request) {
        Optional<MessageDetail> found = browser.detail(id);
        if (found.isEmpty()) {
            return outcomes.response(HttpStatus.NOT_FOUND, "not-found", "no message " + id);
        }
        Optional<String> diagnosis = store.find(id).flatMap(m -> m.diagnosis());
        return HttpResponse.ok(views.detail(found.get(), diagnosis, clinicalReadAllowed(request)));
    }

    @Post(value = "/replay{?id,from,to,reason}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> replay(@Nullable @QueryValue List<Long> id, @Nullable @QueryValue String from,
                                  @Nullable @QueryValue String to, @Nullable @QueryValue String reason) {
        List<Long> ids = id == null ? List.of() : id;
        if (ids.size() > MessageFilter.MAX_LIMIT) {
            return outcomes.response(HttpStatus.BAD_REQUEST, "too-costly", "at most " + MessageFilter.MAX_LIMIT
                    + " ids per replay, got " + ids.size());
        }
        Optional<Instant> fromInstant;
        Optional<Instant> toInstant;
        try {
            fromInstant = instant(from, "from");
            toInstant = instant(to, "to");
        } catch (IllegalArgumentException e) {
            return outcomes.response(HttpStatus.BAD_REQUEST, "invalid", e.getMessage());
        }
        Optional<String> text = Optional.ofNullable(reason).filter(r -> !r.isBlank());
        try {
            int replayed = 0;
            if (ids.isEmpty()) {
                replayed = store.replay(new ReplaySelection(Optional.empty(), fromInstant, toInstant, text));
            } else {
                for (Long one : ids) {
                    replayed += store.replay(new ReplaySelection(Optional.of(one), fromInstant, toInstant, text));
                }
            }
            return HttpResponse.ok(Map.of("replayed", replayed));
        } catch (IllegalArgumentException e) {
            return outcomes.response(HttpStatus.BAD_REQUEST, "required", e.getMessage());
        }
    }

    @Get(value = "/status", produces = MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        return status.snapshot();
    }

    /** Whether the caller may see clinical content (a result summary, the record id): a FHIR read scope. */
    private static boolean clinicalReadAllowed(HttpRequest<?> request) {
        Optional<Object> granted = request.getAttribute(BearerTokenFilter.GRANTED_SCOPES);
        if (granted.isEmpty()) {
            return true;
        }
        Set<String> scopes = new java.util.HashSet<>();
        if (granted.get() instanceof Set<?> set) {
            set.forEach(s -> scopes.add(String.valueOf(s)));
        }
        return Scopes.allows(scopes, "Observation", Scopes.Operation.READ);
    }

    private static <E extends Enum<E>> Set<E> values(String text, Class<E> type, String name) {
        Set<E> values = EnumSet.noneOf(type);
        if (text == null || text.isBlank()) {
            return values;
        }
        for (String part : text.split(",")) {
            String p = part.trim().toUpperCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            try {
                values.add(Enum.valueOf(type, p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " '" + part.trim() + "' is not one of "
                        + EnumSet.allOf(type));
            }
        }
        return values;
    }

    private static Optional<Instant> instant(String text, String name) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text.trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-24T10:00:00Z, got '"
                    + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
        }
    }
}
