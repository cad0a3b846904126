/** The write-back transaction Bundle: AI ECG diagnosis Observation, model Device and Provenance. */
package org.tamer.fhir.writeback;
