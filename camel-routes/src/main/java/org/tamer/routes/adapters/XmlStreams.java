package org.tamer.routes.adapters;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Streaming XML readers for the adapters, with DTDs and external entities disabled (no XXE). */
public final class XmlStreams {

    private XmlStreams() {
    }

    /** A reader over a whole document; its encoding (UTF-8, UTF-16 with BOM, declared) is detected. */
    public static XMLStreamReader open(byte[] xml, String source) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            return factory.createXMLStreamReader(new ByteArrayInputStream(xml));
        } catch (XMLStreamException e) {
            throw new EcgFormatException(source, "XML", "cannot be read: " + e.getMessage(), e);
        }
    }
}
