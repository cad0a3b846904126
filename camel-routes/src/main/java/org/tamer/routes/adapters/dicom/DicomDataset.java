package org.tamer.routes.adapters.dicom;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of a DICOM data set this reader needs: elements by tag, each with its VR (when the transfer syntax is
 * explicit), raw little-endian value bytes, or the items of a sequence.
 */
final class DicomDataset {

    /** One element. {@code items} is non-null for sequences. */
    record Element(int tag, String vr, byte[] value, List<DicomDataset> items) {
    }

    private final Map<Integer, Element> elements = new LinkedHashMap<>();

    void put(Element element) {
        elements.put(element.tag(), element);
    }

    Optional<Element> get(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    /** A string value with DICOM padding (spaces, NUL) removed. */
    Optional<String> string(int tag) {
        return get(tag).filter(e -> e.value() != null).map(e -> new String(e.value(), StandardCharsets.ISO_8859_1)
                .replace("\0", "").trim());
    }

    /** The items of a sequence, empty if absent. */
    List<DicomDataset> sequence(int tag) {
        return get(tag).map(Element::items).orElse(List.of());
    }

    /** An unsigned 16-bit value (US). */
    Optional<Integer> unsignedShort(int tag) {
        return get(tag).filter(e -> e.value() != null && e.value().length >= 2)
                .map(e -> (e.value()[0] & 0xff) | (e.value()[1] & 0xff) << 8);
    }

    /** An unsigned 32-bit value (UL), as long. */
    Optional<Long> unsignedLong(int tag) {
        return get(tag).filter(e -> e.value() != null && e.value().length >= 4)
                .map(e -> (long) (e.value()[0] & 0xff) | (long) (e.value()[1] & 0xff) << 8
                        | (long) (e.value()[2] & 0xff) << 16 | (long) (e.value()[3] & 0xff) << 24);
    }

    static int tag(int group, int element) {
        return group << 16 | element;
    }

    static String name(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xffff);
    }
}
