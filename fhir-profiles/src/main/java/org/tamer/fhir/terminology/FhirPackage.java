package org.tamer.fhir.terminology;

import ca.uhn.fhir.context.FhirContext;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * This project's FHIR NPM package ({@code org.tamer.ecg}): the profiles, extensions, code systems, value sets and
 * concept maps under {@code package/} on the class path, listed by the package's {@code .index.json}. It can be
 * written as the {@code .tgz} that FHIR tooling (the HL7 validator, HAPI's NpmPackageValidationSupport, IG
 * publishers) loads.
 */
public final class FhirPackage {

    public static final String NAME = "org.tamer.ecg";
    private static final String FOLDER = "/package/";

    private final Map<String, byte[]> files;

    private FhirPackage(Map<String, byte[]> files) {
        this.files = files;
    }

    /** Loads the package from the class path. */
    public static FhirPackage load() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package.json", read("package.json"));
        byte[] index = read(".index.json");
        files.put(".index.json", index);
        JsonObject json = JsonParser.parseString(new String(index, StandardCharsets.UTF_8)).getAsJsonObject();
        for (JsonElement file : json.getAsJsonArray("files")) {
            String name = file.getAsJsonObject().get("filename").getAsString();
            files.put(name, read(name));
        }
        return new FhirPackage(files);
    }

    /** The conformance resources, parsed. */
    public List<IBaseResource> resources(FhirContext context) {
        List<IBaseResource> resources = new ArrayList<>();
        files.forEach((name, bytes) -> {
            if (!name.equals("package.json") && !name.equals(".index.json")) {
                resources.add(context.newJsonParser().parseResource(new String(bytes, StandardCharsets.UTF_8)));
            }
        });
        return resources;
    }

    /** File names in the package, {@code package.json} first. */
    public List<String> fileNames() {
        return List.copyOf(files.keySet());
    }

    /** Writes the package as an NPM tarball (gzip-compressed ustar, every file under {@code package/}). */
    public void writeTarball(OutputStream out) throws IOException {
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                gzip.write(tarHeader("package/" + file.getKey(), file.getValue().length));
                gzip.write(file.getValue());
                int padding = (512 - file.getValue().length % 512) % 512;
                gzip.write(new byte[padding]);
            }
            gzip.write(new byte[1024]);
        }
    }

    /** The package as a tarball in memory. */
    public byte[] tarball() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTarball(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] tarHeader(String name, long size) {
        byte[] header = new byte[512];
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("file name too long for a tar header: " + name);
        }
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, 0);
        header[156] = '0';
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, header, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        octal(header, 148, 7, checksum);
        header[155] = ' ';
        return header;
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String text = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - text.length())) + text;
        byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
        header[offset + length - 1] = 0;
    }

    private static byte[] read(String name) {
        try (InputStream in = FhirPackage.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("FHIR package file " + FOLDER + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FOLDER + name, e);
        }
    }
}
