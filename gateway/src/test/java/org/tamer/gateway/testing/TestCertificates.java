package org.tamer.gateway.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keys and certificates for TLS tests, made by the JDK's {@code keytool} in a folder: self-signed key pairs with
 * the subject alternative names a test needs (a host name the peer must match), trust stores holding chosen
 * certificates, and SSL contexts over them. Every store is PKCS#12 with password {@link #PASSWORD}.
 */
public final class TestCertificates {

    public static final String PASSWORD = "tamer-test";

    private final Path folder;

    public TestCertificates(Path folder) {
        this.folder = folder;
    }

    /**
     * A key store {@code <alias>.p12} with a new EC P-256 key pair and a self-signed certificate for {@code cn} and
     * the subject alternative names {@code san} (keytool syntax, e.g. {@code dns:localhost,ip:127.0.0.1}; empty:
     * none).
     */
    public Path keyStore(String alias, String cn, String san) throws Exception {
        Path store = folder.resolve(alias + ".p12");
        List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=" + cn, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD));
        if (!san.isEmpty()) {
            arguments.addAll(List.of("-ext", "san=" + san));
        }
        keytool(arguments.toArray(String[]::new));
        return store;
    }

    /** A trust store {@code <name>.p12} holding the certificates of the given key stores (alias: file name). */
    public Path trustStore(String name, Path... keyStores) throws Exception {
        Path trust = folder.resolve(name + ".p12");
        for (Path keyStore : keyStores) {
            String alias = keyStore.getFileName().toString().replace(".p12", "");
            Path certificate = folder.resolve(alias + "-" + name + ".cer");
            keytool("-exportcert", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-file", certificate.toString());
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-storetype",
                    "PKCS12", "-keystore", trust.toString(), "-storepass", PASSWORD);
        }
        return trust;
    }

    /** An SSL context trusting {@code trustStore}, presenting {@code keyStore}'s key when not null. */
    public static SSLContext context(Path keyStore, Path trustStore) throws Exception {
        KeyManagerFactory keys = null;
        if (keyStore != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore), PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    /** Settings for an MLLP listener on 127.0.0.1 with mutual TLS (client certificates required). */
    public static org.tamer.gateway.camel.MllpSettings mllpWithMutualTls(int port, Path keyStore, Path trustStore) {
        return new org.tamer.gateway.camel.MllpSettings(true, "127.0.0.1", port, 4 << 20, 4, 4,
                java.time.Duration.ofMinutes(2), java.time.Duration.ofMinutes(2),
                new org.tamer.gateway.camel.MllpSettings.Tls(keyStore.toString(), PASSWORD, trustStore.toString(),
                        PASSWORD, "REQUIRE"));
    }
}
