/** The MIMIC-IV-ECG archive layout: record list, machine-statement reports, WFDB records. */
package org.tamer.routes.adapters.mimic;
