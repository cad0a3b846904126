/** The Camel routes of the gateway: MLLP in ({@link org.tamer.routes.route.MllpInboundRoute}). */
package org.tamer.routes.route;
