package org.tamer.routes.adapters.mat;

import java.util.Objects;

/**
 * A real numeric matrix read from a MAT-file, as doubles in column-major order (MATLAB's own order).
 */
public final class MatMatrix implements MatValue {

    private final String name;
    private final int rows;
    private final int columns;
    private final double[] columnMajor;

    MatMatrix(String name, int rows, int columns, double[] columnMajor) {
        this.name = Objects.requireNonNull(name, "name");
        if ((long) rows * columns != columnMajor.length) {
            throw new IllegalArgumentException(rows + " x " + columns + " matrix with " + columnMajor.length
                    + " values");
        }
        this.rows = rows;
        this.columns = columns;
        this.columnMajor = columnMajor;
    }

    @Override
    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** The same values under another name (a structure field's). */
    MatMatrix renamed(String newName) {
        return new MatMatrix(newName, rows, columns, columnMajor);
    }

    public double get(int row, int column) {
        return columnMajor[column * rows + row];
    }
}
