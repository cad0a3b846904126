/**
 * The Camel routes of the gateway: the poll of a
 * hospital FHIR server for new ECG Observations ({@link org.tamer.routes.route.FhirPollingRoute}) and a watched
 * folder for ECG files ({@link org.tamer.routes.route.FileDropRoute}). Each hands what it receives to an intake
 * interface that the gateway implements over its durable store; so does the MLLP listener
 * ({@link org.tamer.routes.mllp.MllpServer}), through {@link org.tamer.routes.route.Hl7Intake}.
 */
package org.tamer.routes.route;
