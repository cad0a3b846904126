/** Mapping between FHIR R4 resources and {@link org.tamer.runtime.ecg.EcgRecord}, and a strict R4 reader. */
package org.tamer.fhir.mapping;
