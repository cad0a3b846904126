/**
 * Authorization of callers: OAuth2 bearer JWTs checked against a JWKS
 * ({@link org.tamer.gateway.security.TokenVerifier}) and SMART Backend Services scopes plus {@code tamer/operations}
 * and {@code tamer/admin} ({@link org.tamer.gateway.security.Scopes}), required on the FHIR, upload and admin
 * endpoints by {@link org.tamer.gateway.security.BearerTokenFilter} and on everything else by a deny-by-default
 * filter. Also the development signing key and {@code bin/tamer-token}, for when no JWKS is configured.
 */
package org.tamer.gateway.security;
