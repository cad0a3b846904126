package org.tamer.routes.adapters.muse;

/** Lets tests of other packages build the MUSE fixture. */
public final class MuseXmlReaderTestAccess {

    private MuseXmlReaderTestAccess() {
    }

    public static String museXml(float[][] millivolts) {
        return MuseXmlReaderTest.museXml(millivolts, false);
    }
}
