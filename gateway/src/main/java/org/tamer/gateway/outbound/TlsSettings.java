package org.tamer.gateway.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for one outbound destination: whom to trust (a trust store of CA or server certificates; empty: the JDK's
 * default CAs) and, for mutual TLS, which client certificate to present (a key store; empty: none). Stores are
 * PKCS#12 or JKS files; a {@code file:} prefix is accepted, as for the MLLP listener. Host names are always
 * verified against the certificate by the clients that use the context.
 */
public record TlsSettings(Optional<Path> trustStore, String trustStorePassword, Optional<Path> keyStore,
                          String keyStorePassword) {

    public TlsSettings {
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
    }

    /** The JDK's default CAs, no client certificate. */
    public static TlsSettings defaults() {
        return new TlsSettings(Optional.empty(), "", Optional.empty(), "");
    }

    /** A configured store location: empty or blank means none; {@code file:} is stripped. */
    public static Optional<Path> location(String setting) {
        if (setting == null || setting.isBlank()) {
            return Optional.empty();
        }
        String path = setting.trim();
        return Optional.of(Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path));
    }

    /**
     * @param what the configuration prefix, for error messages (e.g. {@code tamer.fhir.tls})
     * @return an SSL context with these stores
     */
    public SSLContext context(String what) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore.isPresent() ? load(trustStore.get(), trustStorePassword, what + ".trust-store")
                    : null);
            KeyManagerFactory keys = null;
            if (keyStore.isPresent()) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(keyStore.get(), keyStorePassword, what + ".key-store"), keyStorePassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String password, String key) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(key + " " + file.toAbsolutePath() + " is not a readable file");
        }
        try {
            return KeyStore.getInstance(file.toFile(), password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(key + " " + file.toAbsolutePath() + " cannot be read (wrong password "
                    + "or not a PKCS#12/JKS store): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " " + file.toAbsolutePath() + " is not a usable key store: "
                    + e.getMessage(), e);
        }
    }
}
