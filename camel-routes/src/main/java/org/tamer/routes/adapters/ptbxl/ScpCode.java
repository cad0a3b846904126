package org.tamer.routes.adapters.ptbxl;

/**
 * A statement assigned to a record, with the cardiologist's likelihood in percent (0 where none was given, as for
 * most rhythm and form statements).
 */
public record ScpCode(String code, double likelihood) {
}
