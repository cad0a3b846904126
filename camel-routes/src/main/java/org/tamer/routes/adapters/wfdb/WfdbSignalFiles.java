package org.tamer.routes.adapters.wfdb;

import java.util.Map;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * Where the signal files a WFDB header names come from. A header is data from outside, so the names in it never
 * reach the file system unchecked: a record in an archive reads only regular files inside its own folder
 * ({@link WfdbRecordFolder}), an uploaded record only the bytes sent with it ({@link #supplied}), and a header sent
 * alone reads nothing ({@link #none}).
 */
public interface WfdbSignalFiles {

    /**
     * The bytes of a signal file.
     *
     * @param name        the file name as the header writes it
     * @param neededBytes the bytes the header implies (byte offset plus samples), or -1 when it does not say
     * @param referrer    the header, for error messages
     * @return at least the needed bytes when the file holds them (fewer when it is truncated; the decoder reports
     *         that), never more than the limit
     * @throws EcgFormatException when the name is not allowed, the file is absent, not a regular file or too large
     */
    byte[] read(String name, long neededBytes, String referrer);

    /** The files sent together with an uploaded header, by name (an upload's zip entries). */
    static WfdbSignalFiles supplied(Map<String, byte[]> files, WfdbLimits limits) {
        return new SuppliedSignalFiles(files, limits);
    }

    /**
     * No signal file at all: a header that came alone (an uploaded {@code .hea}); every read fails with
     * {@code howToSend}, whatever the header names, so the answer tells nothing about the receiver's files.
     */
    static WfdbSignalFiles none(String howToSend) {
        return (name, neededBytes, referrer) -> {
            throw new EcgFormatException(referrer, "signal files", howToSend);
        };
    }

    /**
     * Whether a header's file name is a relative name without {@code ..}, the only kind a record may use (the WFDB
     * library's search path, absolute names and standard input {@code -} are never followed).
     */
    static boolean isConfinedName(String name) {
        if (name.isEmpty() || name.equals("-") || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0
                || name.startsWith("/") || name.startsWith("~") || name.matches("^[A-Za-z]:.*")) {
            return false;
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The refusal of a name that is not {@link #isConfinedName confined}; it does not depend on the name. */
    static EcgFormatException notConfined(String referrer, String field) {
        return new EcgFormatException(referrer, field, "a signal file must be named relative to the header's own "
                + "folder (no absolute path, no '..', no '-'); nothing was opened");
    }

    /** Refuses a read of more than the limit. */
    static void checkSize(long bytes, WfdbLimits limits, String referrer, String field) {
        if (bytes > limits.maxSignalFileBytes()) {
            throw new EcgFormatException(referrer, field, "the signal file is " + bytes + " bytes, over the limit of "
                    + limits.maxSignalFileBytes() + " (" + WfdbLimits.MAX_SIGNAL_FILE_BYTES + ")");
        }
    }
}
