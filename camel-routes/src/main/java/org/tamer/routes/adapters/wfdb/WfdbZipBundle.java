package org.tamer.routes.adapters.wfdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * A WFDB record sent as one zip file holding its header and signal files (how a record is uploaded over HTTP, see
 * docs/gateway.md). Read entirely in memory: nothing is written to or opened on disk; the header's signal file
 * names resolve only against the zip's own entries in the header's folder. The zip may hold at most
 * {@link #MAX_ENTRIES} entries inflating to at most the signal file limit together, so a zip bomb stops at the
 * limit.
 */
public final class WfdbZipBundle {

    /** Most entries a record's zip may hold (a header, its signal files, perhaps a folder entry or two). */
    public static final int MAX_ENTRIES = 64;
    private static final int[] MAGIC = {'P', 'K', 3, 4};

    private final WfdbReader wfdb;

    public WfdbZipBundle(WfdbReader wfdb) {
        this.wfdb = Objects.requireNonNull(wfdb, "wfdb");
    }

    /** Whether the bytes start like a zip file (a local file header). */
    public static boolean accepts(byte[] content) {
        if (content.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (content[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The record in the zip: its one {@code .hea} entry, parsed, with the other entries of the header's folder as the
     * only signal files it can use.
     *
     * @param source the zip's name, for error messages
     */
    public Contents open(byte[] zip, String source) {
        Map<String, byte[]> entries = entries(zip, source);
        List<String> headers = entries.keySet().stream().filter(n -> n.endsWith(".hea")).toList();
        if (headers.size() != 1) {
            throw new EcgFormatException(source, "zip", "must hold exactly one WFDB header (.hea) with its signal "
                    + "files, but holds " + headers.size() + " headers among " + entries.size() + " entries");
        }
        String headerName = headers.get(0);
        String folder = headerName.substring(0, headerName.lastIndexOf('/') + 1);
        Map<String, byte[]> signalFiles = new LinkedHashMap<>();
        entries.forEach((name, bytes) -> {
            if (!name.equals(headerName) && name.startsWith(folder)) {
                signalFiles.put(name.substring(folder.length()), bytes);
            }
        });
        String headerSource = source + "!" + headerName;
        WfdbHeader header = wfdb.parseHeader(entries.get(headerName), headerSource);
        return new Contents(header, headerSource, WfdbSignalFiles.supplied(signalFiles, wfdb.limits()));
    }

    /**
     * A record's header and the signal files sent with it.
     *
     * @param header      the parsed header
     * @param source      the zip and entry name, for error messages
     * @param signalFiles the zip's other entries in the header's folder
     */
    public record Contents(WfdbHeader header, String source, WfdbSignalFiles signalFiles) {
    }

    private Map<String, byte[]> entries(byte[] zip, String source) {
        long budget = wfdb.limits().maxSignalFileBytes() + wfdb.limits().maxHeaderBytes();
        long total = 0;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (entries.size() == MAX_ENTRIES) {
                    throw new EcgFormatException(source, "zip", "holds more than " + MAX_ENTRIES + " files; a record "
                            + "needs its header and signal files only");
                }
                String name = entry.getName();
                if (!WfdbSignalFiles.isConfinedName(name)) {
                    throw new EcgFormatException(source, "zip entry", "entry names must be relative without '..'");
                }
                if (entries.containsKey(name)) {
                    throw new EcgFormatException(source, "zip entry '" + name + "'", "appears twice");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > budget) {
                        throw new EcgFormatException(source, "zip", "inflates to more than " + budget + " bytes, the "
                                + "limit (" + WfdbLimits.MAX_SIGNAL_FILE_BYTES + " plus "
                                + WfdbLimits.MAX_HEADER_BYTES + ")");
                    }
                    out.write(buffer, 0, n);
                }
                entries.put(name, out.toByteArray());
            }
        } catch (ZipException e) {
            throw new EcgFormatException(source, "zip", "not a readable zip file: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // ZipInputStream reports an entry name that is not UTF-8 this way, not as a ZipException
            throw new EcgFormatException(source, "zip entry", "name is not UTF-8", e);
        } catch (IOException e) {
            throw new EcgFormatException(source, "zip", "cannot read: " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new EcgFormatException(source, "zip", "holds no files");
        }
        return entries;
    }
}
