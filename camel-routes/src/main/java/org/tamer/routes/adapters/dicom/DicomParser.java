package org.tamer.routes.adapters.dicom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.DecoderLimits;

/**
 * A small DICOM Part 10 parser for the little-endian transfer syntaxes (explicit and implicit VR): preamble and
 * {@code DICM}, the file meta group, then the data set, with defined- and undefined-length sequences and items.
 * Pixel data encapsulation, big-endian and deflated syntaxes are out of scope and refused. Every length is checked
 * against the bytes present before a value is copied, and sequence nesting and the element count are bounded by the
 * {@link DecoderLimits}, so a hostile file can neither overflow the stack nor allocate beyond its own size.
 */
final class DicomParser {

    static final String IMPLICIT_LITTLE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LITTLE = "1.2.840.10008.1.2.1";
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");
    /** Sequences this reader descends into; in implicit VR they cannot be recognised otherwise. */
    private static final Set<Integer> SEQUENCES = Set.of(0x54000100, 0x003A0200, 0x003A0208, 0x003A0211,
            0x00400555, 0x0040A043, 0x0040A168, 0x0040B020, 0x004008EA, 0x0040A730, 0x00081032);

    private final byte[] data;
    private final String source;
    private final DecoderLimits limits;
    private int position;
    private int depth;
    private int elements;

    DicomParser(byte[] data, String source, DecoderLimits limits) {
        this.data = data;
        this.source = source;
        this.limits = limits;
    }

    /** Parses a whole file; the returned meta group and data set are merged (meta tags are group 0002). */
    DicomDataset parse() {
        if (data.length < 132 || !new String(data, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) {
            throw new EcgFormatException(source, "preamble", "no 'DICM' at byte 128: not a DICOM Part 10 file");
        }
        position = 132;
        DicomDataset all = new DicomDataset();
        // the file meta group is always explicit VR little endian
        while (position + 4 <= data.length && (u16(position) == 0x0002)) {
            all.put(element(true));
        }
        String syntax = all.string(DicomDataset.tag(0x0002, 0x0010)).orElseThrow(() ->
                new EcgFormatException(source, "(0002,0010) TransferSyntaxUID", "missing"));
        boolean explicit;
        if (syntax.equals(EXPLICIT_LITTLE)) {
            explicit = true;
        } else if (syntax.equals(IMPLICIT_LITTLE)) {
            explicit = false;
        } else {
            throw new EcgFormatException(source, "(0002,0010) TransferSyntaxUID", "'" + syntax
                    + "' is not supported (explicit or implicit VR little endian only)");
        }
        while (position < data.length) {
            all.put(element(explicit));
        }
        return all;
    }

    private DicomDataset.Element element(boolean explicit) {
        require(8, "element header");
        int tag = u16(position) << 16 | u16(position + 2);
        if (++elements > limits.maxElements()) {
            throw new EcgFormatException(source, DicomDataset.name(tag), DecoderLimits.exceeded("more than "
                    + limits.maxElements() + " data elements", "max-elements", limits.maxElements()));
        }
        position += 4;
        String vr = null;
        long length;
        if (explicit) {
            vr = new String(data, position, 2, StandardCharsets.US_ASCII);
            if (LONG_VRS.contains(vr)) {
                require(8, DicomDataset.name(tag));
                length = u32(position + 4);
                position += 8;
            } else {
                length = u16(position + 2);
                position += 4;
            }
        } else {
            length = u32(position);
            position += 4;
        }
        boolean sequence = "SQ".equals(vr) || (!explicit && (SEQUENCES.contains(tag) || length == UNDEFINED));
        if (sequence) {
            if (depth == limits.maxNestingDepth()) {
                throw new EcgFormatException(source, DicomDataset.name(tag), DecoderLimits.exceeded("sequences nested "
                        + (depth + 1) + " deep", "max-nesting-depth", limits.maxNestingDepth()));
            }
            if (length != UNDEFINED) {
                require(length, DicomDataset.name(tag));
            }
            depth++;
            try {
                return new DicomDataset.Element(tag, "SQ", null, items(explicit, length, tag));
            } finally {
                depth--;
            }
        }
        if (length == UNDEFINED) {
            throw new EcgFormatException(source, DicomDataset.name(tag), "undefined length on a non-sequence "
                    + "element (encapsulated data is not supported)");
        }
        require(length, DicomDataset.name(tag));
        byte[] value = java.util.Arrays.copyOfRange(data, position, position + (int) length);
        position += (int) length;
        return new DicomDataset.Element(tag, vr, value, null);
    }

    private List<DicomDataset> items(boolean explicit, long length, int sequenceTag) {
        List<DicomDataset> items = new ArrayList<>();
        long end = length == UNDEFINED ? Long.MAX_VALUE : position + length;
        while (position < end) {
            require(8, DicomDataset.name(sequenceTag) + " item");
            int tag = u16(position) << 16 | u16(position + 2);
            long itemLength = u32(position + 4);
            position += 8;
            if (tag == SEQUENCE_END) {
                break;
            }
            if (tag != ITEM) {
                throw new EcgFormatException(source, DicomDataset.name(sequenceTag), "expected an item tag, found "
                        + DicomDataset.name(tag));
            }
            if (itemLength != UNDEFINED) {
                require(itemLength, DicomDataset.name(sequenceTag) + " item");
            }
            DicomDataset item = new DicomDataset();
            long itemEnd = itemLength == UNDEFINED ? Long.MAX_VALUE : position + itemLength;
            while (position < itemEnd) {
                require(4, DicomDataset.name(sequenceTag) + " item");
                if ((u16(position) << 16 | u16(position + 2)) == ITEM_END) {
                    position += 8;
                    break;
                }
                item.put(element(explicit));
            }
            items.add(item);
        }
        return items;
    }

    private void require(long bytes, String what) {
        if (position + bytes > data.length) {
            throw new EcgFormatException(source, what, "the file ends " + (position + bytes - data.length)
                    + " bytes early: truncated");
        }
    }

    private int u16(int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
    }

    private long u32(int at) {
        return (long) (data[at] & 0xff) | (long) (data[at + 1] & 0xff) << 8 | (long) (data[at + 2] & 0xff) << 16
                | (long) (data[at + 3] & 0xff) << 24;
    }
}
