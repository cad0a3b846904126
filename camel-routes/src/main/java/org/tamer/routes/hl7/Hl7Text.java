package org.tamer.routes.hl7;

/** Escapes and unescapes text for an HL7 v2 field with a message's own separators (\F\, \S\, \T\, \R\, \E\, \.br\). */
public final class Hl7Text {

    private final char field;
    private final char component;
    private final char repetition;
    private final char escape;
    private final char subcomponent;

    public Hl7Text(char fieldSeparator, String encodingCharacters) {
        this.field = fieldSeparator;
        this.component = encodingCharacters.charAt(0);
        this.repetition = encodingCharacters.charAt(1);
        this.escape = encodingCharacters.charAt(2);
        this.subcomponent = encodingCharacters.charAt(3);
    }

    public static Hl7Text standard() {
        return new Hl7Text('|', "^~\\&");
    }

    public String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == escape) {
                out.append(escape).append('E').append(escape);
            } else if (ch == field) {
                out.append(escape).append('F').append(escape);
            } else if (ch == component) {
                out.append(escape).append('S').append(escape);
            } else if (ch == repetition) {
                out.append(escape).append('R').append(escape);
            } else if (ch == subcomponent) {
                out.append(escape).append('T').append(escape);
            } else if (ch == '\n') {
                out.append(escape).append(".br").append(escape);
            } else if (ch != '\r') {
                out.append(ch);
            }
        }
        return out.toString();
    }

    public String unescape(String text) {
        if (text.indexOf(escape) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            int close = ch == escape ? text.indexOf(escape, i + 1) : -1;
            if (close < 0) {
                out.append(ch);
                i++;
                continue;
            }
            String sequence = text.substring(i + 1, close);
            switch (sequence) {
                case "F" -> out.append(field);
                case "S" -> out.append(component);
                case "R" -> out.append(repetition);
                case "T" -> out.append(subcomponent);
                case "E" -> out.append(escape);
                case ".br" -> out.append('\n');
                default -> { }
            }
            i = close + 1;
        }
        return out.toString();
    }
}
