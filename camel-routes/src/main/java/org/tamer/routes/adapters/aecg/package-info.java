/** HL7 v3 annotated ECG (aECG) XML. */
package org.tamer.routes.adapters.aecg;
