package org.tamer.gateway.http;

import io.micronaut.core.annotation.Nullable;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.ReplaySelection;
import org.tamer.gateway.store.StoredMessage;

/**
 * Admin endpoints (scope {@code tamer/admin}): a message's state and audit trail, and replay of failed and dead
 * messages by id, by time received ({@code from}, {@code to}: ISO-8601 instants) or by a text in the failure reason.
 */
@Controller("/admin")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AdminController {

    private final MessageStore store;
    private final OperationOutcomes outcomes;

    public AdminController(MessageStore store, OperationOutcomes outcomes) {
        this.store = store;
        this.outcomes = outcomes;
    }

    @Get(value = "/messages/{id}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> message(@PathVariable long id) {
        Optional<StoredMessage> found = store.find(id);
        if (found.isEmpty()) {
            return outcomes.response(HttpStatus.NOT_FOUND, "not-found", "no message " + id);
        }
        StoredMessage m = found.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", m.id());
        body.put("channel", m.channel().name());
        body.put("controlId", m.controlId());
        body.put("state", m.state().name());
        body.put("attempts", m.attempts());
        body.put("failureReason", m.failureReason().orElse(null));
        body.put("receivedAt", m.receivedAt().toString());
        body.put("recordId", m.recordId().orElse(null));
        body.put("auditEvents", store.auditEvents(id).size());
        return HttpResponse.ok(body);
    }

    @Post(value = "/replay{?id,from,to,reason}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> replay(@Nullable @QueryValue Long id, @Nullable @QueryValue String from,
                                  @Nullable @QueryValue String to, @Nullable @QueryValue String reason) {
        ReplaySelection selection;
        try {
            selection = new ReplaySelection(Optional.ofNullable(id), Optional.ofNullable(from).map(Instant::parse),
                    Optional.ofNullable(to).map(Instant::parse), Optional.ofNullable(reason).filter(r -> !r.isBlank()));
        } catch (DateTimeParseException e) {
            return outcomes.response(HttpStatus.BAD_REQUEST, "invalid", "from/to must be ISO-8601 instants such as "
                    + "2026-11-24T10:00:00Z: " + e.getParsedString());
        } catch (IllegalArgumentException e) {
            return outcomes.response(HttpStatus.BAD_REQUEST, "required", e.getMessage());
        }
        return HttpResponse.ok(Map.of("replayed", store.replay(selection)));
    }
}
