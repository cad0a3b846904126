package org.tamer.gateway.security;

import io.micronaut.core.bind.ArgumentBinder;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;
import java.security.Principal;
import java.util.Optional;

/**
 * Binds the caller that {@link ManagementFilter} authenticated to {@link Principal} arguments (Micronaut's health
 * endpoint shows its details only to an authenticated principal); without a verified token there is none.
 */
@Singleton
final class PrincipalBinder implements TypedRequestArgumentBinder<Principal> {

    @Override
    public Argument<Principal> argumentType() {
        return Argument.of(Principal.class);
    }

    @Override
    public ArgumentBinder.BindingResult<Principal> bind(ArgumentConversionContext<Principal> context,
                                                        HttpRequest<?> request) {
        Optional<Principal> principal = request.getUserPrincipal();
        return principal.isPresent() ? () -> principal : ArgumentBinder.BindingResult.empty();
    }
}
