package org.tamer.routes.hl7;

/** The HL7 v2 message error conditions of table 0357 that the gateway reports in ERR segments. */
public enum Hl7Error {
    SEGMENT_SEQUENCE_ERROR(100, "Segment sequence error"),
    REQUIRED_FIELD_MISSING(101, "Required field missing"),
    DATA_TYPE_ERROR(102, "Data type error"),
    TABLE_VALUE_NOT_FOUND(103, "Table value not found"),
    UNSUPPORTED_MESSAGE_TYPE(200, "Unsupported message type"),
    UNSUPPORTED_EVENT_CODE(201, "Unsupported event code"),
    UNSUPPORTED_PROCESSING_ID(202, "Unsupported processing id"),
    UNSUPPORTED_VERSION_ID(203, "Unsupported version id"),
    APPLICATION_INTERNAL_ERROR(207, "Application internal error");

    private final int code;
    private final String text;

    Hl7Error(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }
}
