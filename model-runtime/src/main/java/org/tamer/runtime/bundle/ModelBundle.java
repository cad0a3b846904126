package org.tamer.runtime.bundle;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tamer.runtime.Digests;
import org.tamer.runtime.DirectoryReplacement;
import org.tamer.runtime.network.TamerNetwork;

/**
 * A published TAMER model: a folder with {@code bundle.json} ({@link BundleManifest}) and {@code parameters.bin}
 * (the network's parameters in DJL's format, float32). The parameters are pinned by their SHA-256 in the
 * manifest. Bundles are written to a temporary folder and moved into place ({@link DirectoryReplacement}), so a reader
 * never sees half of one.
 */
public final class ModelBundle {

    /**
     * The bundle format this runtime writes and the newest it reads. 2 added per-class operating points; a format 1
     * bundle reads as one without them.
     */
    public static final int FORMAT_VERSION = 2;
    public static final String MANIFEST_FILE = "bundle.json";
    public static final String PARAMETERS_FILE = "parameters.bin";

    private final Path directory;
    private final BundleManifest manifest;
    private final String revision;

    private ModelBundle(Path directory, BundleManifest manifest, String manifestJson) {
        this.directory = directory;
        this.manifest = manifest;
        this.revision = Digests.sha256Hex(manifestJson.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Opens a bundle folder, checking the manifest and the parameters' hash.
     *
     * @throws IllegalArgumentException naming the file and field when anything is missing or inconsistent
     */
    public static ModelBundle open(Path directory) {
        Path manifestFile = directory.resolve(MANIFEST_FILE);
        String json;
        try {
            json = Files.readString(manifestFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            Path previous = DirectoryReplacement.previousOf(directory);
            if (!Files.exists(directory) && Files.exists(previous)) {
                throw new IllegalArgumentException(directory + ": not found, but " + previous + " is: a publish was"
                        + " interrupted between its two renames; publishing again (or moving that folder back) restores"
                        + " the bundle", e);
            }
            throw new IllegalArgumentException(manifestFile + ": not found; " + directory + " is not a model bundle", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifestFile, e);
        }
        BundleManifest manifest = BundleJson.read(json, manifestFile.toString());
        Path parameters = directory.resolve(PARAMETERS_FILE);
        String actual = sha256(parameters);
        if (!actual.equals(manifest.parametersSha256())) {
            throw new IllegalArgumentException(parameters + ": SHA-256 " + actual + " does not match "
                    + manifest.parametersSha256() + " in " + MANIFEST_FILE + ": the bundle is corrupt or was altered");
        }
        return new ModelBundle(directory, manifest, json);
    }

    /**
     * Writes a bundle: the network's parameters and the manifest (whose parameter hash is replaced by the real
     * one). An existing bundle at {@code directory} is replaced atomically.
     */
    public static ModelBundle write(Path directory, BundleManifest manifest, TamerNetwork network) {
        Objects.requireNonNull(network, "network");
        if (!network.config().equals(manifest.network())) {
            throw new IllegalArgumentException("the manifest describes " + manifest.network()
                    + " but the network is " + network.config());
        }
        Path target = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target.getParent());
            Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                network.saveParameters(out);
            }
            Files.write(staging.resolve(PARAMETERS_FILE), bytes.toByteArray());
            BundleManifest complete = new BundleManifest(FORMAT_VERSION, manifest.name(), manifest.version(),
                    manifest.created(), manifest.network(), manifest.preprocessing(), manifest.stft(),
                    manifest.textEncoder(), manifest.prompts(), manifest.classEmbeddings(), manifest.calibration(),
                    Digests.sha256Hex(bytes.toByteArray()), manifest.operatingPoints());
            String json = BundleJson.write(complete);
            Files.writeString(staging.resolve(MANIFEST_FILE), json, StandardCharsets.UTF_8);
            DirectoryReplacement.replace(staging, target);
            return new ModelBundle(target, complete, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model bundle to " + target, e);
        }
    }

    public Path directory() {
        return directory;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /**
     * The SHA-256 of the manifest as stored: it changes with anything published into the bundle (parameters,
     * prompts, class embeddings, calibration), so it tells whether a bundle on disk is the one loaded.
     */
    public String revision() {
        return revision;
    }

    /**
     * Builds the network the manifest describes and loads its parameters onto {@code manager}'s device.
     *
     * @throws IllegalArgumentException when the parameters do not fit the configuration
     */
    public TamerNetwork loadNetwork(NDManager manager) {
        TamerNetwork network = new TamerNetwork(manifest.network());
        network.initialize(manager);
        Path parameters = directory.resolve(PARAMETERS_FILE);
        Map<String, Shape> expected = new LinkedHashMap<>();
        network.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
            network.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new IllegalArgumentException("the file holds more parameters than the network has");
            }
            // DJL does not compare the loaded shapes with the configured ones: do it here.
            for (var p : network.getParameters()) {
                Shape loaded = p.getValue().getArray().getShape();
                if (!loaded.equals(expected.get(p.getKey()))) {
                    throw new IllegalArgumentException("parameter " + p.getKey() + " has shape " + loaded
                            + " but the configuration needs " + expected.get(p.getKey()));
                }
            }
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(parameters + " does not fit the network configuration in "
                    + MANIFEST_FILE + " (" + manifest.network() + "): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + parameters, e);
        }
        return network;
    }

    private static String sha256(Path file) {
        MessageDigest digest = Digests.sha256();
        try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": not found; the bundle is incomplete", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

}
