package org.tamer.routes.adapters.mat;

import java.util.Objects;

/**
 * A MATLAB character array of one row (e.g. {@code 'Female'}).
 *
 * @param name the variable's name
 * @param text the characters
 */
public record MatText(String name, String text) implements MatValue {

    public MatText {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }
}
