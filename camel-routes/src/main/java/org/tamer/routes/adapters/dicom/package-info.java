/** DICOM 12-lead and general ECG waveform storage, with a small little-endian Part 10 parser. */
package org.tamer.routes.adapters.dicom;
