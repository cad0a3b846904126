/**
 * How the gateway reaches the hospital's systems: transport security (TLS with a configurable trust store,
 * hostname verification and optional client certificates) and authorization (SMART Backend Services tokens,
 * static bearer tokens, HTTP basic) per destination, chosen by typed configuration at one seam
 * ({@link org.tamer.gateway.outbound.OutboundSettings}) and applied to each request by an
 * {@link org.tamer.gateway.outbound.OutboundAuthorization}.
 */
package org.tamer.gateway.outbound;
