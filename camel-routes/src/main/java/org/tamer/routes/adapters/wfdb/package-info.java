/**
 * PhysioNet WFDB records: header parsing, format 16 and 212 decoding, conversion to millivolts with checksum
 * checks ({@link org.tamer.routes.adapters.wfdb.WfdbReader}), and the header comment conventions of the archives.
 */
package org.tamer.routes.adapters.wfdb;
