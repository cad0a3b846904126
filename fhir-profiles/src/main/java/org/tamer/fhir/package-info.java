/**
 * The gateway's FHIR face: profiles, terminology ({@link org.tamer.fhir.terminology}), mapping between FHIR
 * resources and {@link org.tamer.runtime.ecg.EcgRecord}, and validation.
 */
package org.tamer.fhir;
