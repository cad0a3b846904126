package org.tamer.routes.adapters;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import org.tamer.runtime.ecg.DecoderLimits;

/**
 * Streaming XML readers for the adapters: DTDs and external entities disabled (no XXE, no entity expansion),
 * element nesting and element count bounded by the {@link DecoderLimits}, and every parser failure, including the
 * unchecked ones some StAX implementations raise lazily from {@code getText()}, reported as an
 * {@link EcgFormatException}.
 */
public final class XmlStreams {

    private XmlStreams() {
    }

    /** A reader over a whole document with the default limits. */
    public static XMLStreamReader open(byte[] xml, String source) {
        return open(xml, source, DecoderLimits.defaults());
    }

    /** A reader over a whole document; its encoding (UTF-8, UTF-16 with BOM, declared) is detected. */
    public static XMLStreamReader open(byte[] xml, String source, DecoderLimits limits) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            return new Bounded(factory.createXMLStreamReader(new ByteArrayInputStream(xml)), source, limits);
        } catch (XMLStreamException | RuntimeException e) {
            throw new EcgFormatException(source, "XML", "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Counts elements and depth as the document streams by, and turns parser failures into format errors. */
    private static final class Bounded extends StreamReaderDelegate {

        private final String source;
        private final DecoderLimits limits;
        private int depth;
        private int elements;

        Bounded(XMLStreamReader reader, String source, DecoderLimits limits) {
            super(reader);
            this.source = source;
            this.limits = limits;
        }

        @Override
        public int next() throws XMLStreamException {
            int event;
            try {
                event = super.next();
            } catch (RuntimeException e) {
                throw malformed(e);
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (++depth > limits.maxNestingDepth()) {
                    throw new EcgFormatException(source, getLocalName(), DecoderLimits.exceeded("elements nested "
                            + depth + " deep", "max-nesting-depth", limits.maxNestingDepth()));
                }
                if (++elements > limits.maxElements()) {
                    throw new EcgFormatException(source, "XML", DecoderLimits.exceeded("more than "
                            + limits.maxElements() + " elements", "max-elements", limits.maxElements()));
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
            return event;
        }

        @Override
        public boolean hasNext() throws XMLStreamException {
            try {
                return super.hasNext();
            } catch (RuntimeException e) {
                throw malformed(e);
            }
        }

        @Override
        public String getText() {
            try {
                return super.getText();
            } catch (RuntimeException e) {
                throw malformed(e);
            }
        }

        private EcgFormatException malformed(RuntimeException e) {
            if (e instanceof EcgFormatException format) {
                return format;
            }
            return new EcgFormatException(source, "XML", "not well-formed: " + e.getMessage(), e);
        }
    }
}
