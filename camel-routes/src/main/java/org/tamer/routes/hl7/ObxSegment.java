package org.tamer.routes.hl7;

/**
 * One OBX segment's fields as encoded text, with its position among the message's OBX segments (for ERR locations).
 */
record ObxSegment(int position, String valueType, String observationId, String subId, String value, String units) {

    String location(int field) {
        return "OBX[" + position + "]-" + field;
    }

    String location(int field, int component) {
        return location(field) + "." + component;
    }
}
