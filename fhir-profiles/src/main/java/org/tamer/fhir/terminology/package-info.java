/** Code systems the ECG resources use: ISO/IEEE 11073 MDC lead codes. */
package org.tamer.fhir.terminology;
