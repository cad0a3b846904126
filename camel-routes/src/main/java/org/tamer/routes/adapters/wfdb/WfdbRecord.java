package org.tamer.routes.adapters.wfdb;

import org.tamer.runtime.ecg.EcgRecord;

/**
 * A WFDB record as read: the ECG and the header it came with (for the comment fields that carry labels).
 *
 * @param header the parsed header
 * @param ecg    the record
 */
public record WfdbRecord(WfdbHeader header, EcgRecord ecg) {

    public WfdbComments comments() {
        return new WfdbComments(header.comments());
    }
}
