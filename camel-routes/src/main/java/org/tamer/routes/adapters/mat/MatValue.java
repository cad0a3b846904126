package org.tamer.routes.adapters.mat;

/** A variable (or structure field) read from a MAT-file. */
public sealed interface MatValue permits MatMatrix, MatStruct, MatText {

    /** The variable's name; empty for a structure's field values (the field name is their key). */
    String name();
}
