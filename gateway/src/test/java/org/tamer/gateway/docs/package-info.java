/** The documentation's examples, made from real data by the project's own code and checked against the docs. */
package org.tamer.gateway.docs;
