package org.tamer.routes.adapters.wfdb;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.tamer.routes.adapters.EcgFormatException;

/** Signal files sent together with a header, held in memory; nothing is opened. */
final class SuppliedSignalFiles implements WfdbSignalFiles {

    private final Map<String, byte[]> files;
    private final WfdbLimits limits;

    SuppliedSignalFiles(Map<String, byte[]> files, WfdbLimits limits) {
        this.files = new TreeMap<>(files);
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public byte[] read(String name, long neededBytes, String referrer) {
        if (!WfdbSignalFiles.isConfinedName(name)) {
            throw WfdbSignalFiles.notConfined(referrer, "signal file");
        }
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw new EcgFormatException(referrer, "signal file", "the header names '" + name + "', which was not "
                    + "sent with it (sent: " + String.join(", ", files.keySet()) + ")");
        }
        long wanted = neededBytes < 0 ? bytes.length : Math.min(bytes.length, neededBytes);
        WfdbSignalFiles.checkSize(wanted, limits, referrer, name);
        return wanted == bytes.length ? bytes : Arrays.copyOf(bytes, (int) wanted);
    }
}
