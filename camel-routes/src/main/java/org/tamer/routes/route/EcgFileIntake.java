package org.tamer.routes.route;

import java.util.Optional;

/** Where the file-drop route hands each ECG file (DICOM, HL7 aECG, Philips Sierra, GE MUSE) it finds. */
public interface EcgFileIntake {

    /**
     * Stores the file durably, or finds it stored already, and says whether it is a usable ECG.
     *
     * @param content  the file's bytes
     * @param fileName its name, which also helps tell the format
     * @param source   where it was found, for audit
     * @return empty when the ECG was accepted; otherwise why not (the file is stored as failed all the same)
     * @throws RuntimeException when it could not be stored: the file is left in place and offered again
     */
    Optional<String> receive(byte[] content, String fileName, String source);
}
