/** Wiring of the gateway from configuration. */
package org.tamer.gateway.config;
