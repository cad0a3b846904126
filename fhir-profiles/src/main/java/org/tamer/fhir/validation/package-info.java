/** Offline validation of inbound and outbound FHIR resources against R4 and this project's profiles. */
package org.tamer.fhir.validation;
