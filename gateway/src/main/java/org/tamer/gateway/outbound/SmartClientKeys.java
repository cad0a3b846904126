package org.tamer.gateway.outbound;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The gateway's SMART Backend Services client keys: a JWK Set file holding private keys (an RSA key for RS384 and
 * an EC P-384 key for ES384), created on first use with owner-only permissions, like an {@code ssh-keygen}. The
 * public half is what the hospital registers for the client: served at {@code /.well-known/jwks.json} and, when
 * configured, written to a file. A key is chosen by algorithm, and by key id when the file holds several (a key
 * rollover: publish the new key, then switch {@code kid}).
 */
public final class SmartClientKeys {

    private final Path file;
    private final JWKSet keys;

    private SmartClientKeys(Path file, JWKSet keys) {
        this.file = file;
        this.keys = keys;
    }

    public static SmartClientKeys loadOrCreate(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.exists(file)) {
                JWKSet keys = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8));
                for (JWK key : keys.getKeys()) {
                    if (!key.isPrivate()) {
                        throw new IllegalArgumentException("tamer.smart.key-file " + file + ": key " + key.getKeyID()
                                + " has no private part; the file must hold the client's private keys");
                    }
                }
                return new SmartClientKeys(file, keys);
            }
            Path folder = file.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            RSAKey rsa = new RSAKeyGenerator(3072).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS384).generate();
            ECKey ec = new ECKeyGenerator(Curve.P_384).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES384).generate();
            JWKSet keys = new JWKSet(List.of(rsa, ec));
            Path temporary = Files.createTempFile(folder, "smart-keys", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions apply
            }
            Files.writeString(temporary, keys.toString(false), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return new SmartClientKeys(file, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the SMART client key file " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("tamer.smart.key-file " + file + " is not a JWK Set: " + e.getMessage(),
                    e);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the SMART client keys", e);
        }
    }

    public Path file() {
        return file;
    }

    /** The public keys, to register with the authorization server. */
    public JWKSet publicKeys() {
        return keys.toPublicJWKSet();
    }

    /** Writes the public keys to {@code target} (world-readable: they are public). */
    public void writePublicKeys(Path target) {
        try {
            Path folder = target.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, "jwks", ".tmp");
            Files.writeString(temporary, publicKeys().toString(true), StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the public JWKS to " + target, e);
        }
    }

    /** A signing key for {@code algorithm} (RS384 or ES384), {@code keyId} when given. */
    public SigningKey signingKey(JWSAlgorithm algorithm, String keyId) {
        if (!JWSAlgorithm.RS384.equals(algorithm) && !JWSAlgorithm.ES384.equals(algorithm)) {
            throw new IllegalArgumentException("SMART Backend Services asks for RS384 or ES384, not " + algorithm);
        }
        for (JWK key : keys.getKeys()) {
            if (keyId != null && !keyId.isBlank() && !keyId.equals(key.getKeyID())) {
                continue;
            }
            Algorithm declared = key.getAlgorithm();
            if (declared != null && !declared.equals(algorithm)) {
                continue;
            }
            try {
                if (JWSAlgorithm.RS384.equals(algorithm) && key instanceof RSAKey rsa) {
                    return new SigningKey(algorithm, rsa.getKeyID(), new RSASSASigner(rsa));
                }
                if (JWSAlgorithm.ES384.equals(algorithm) && key instanceof ECKey ec
                        && Curve.P_384.equals(ec.getCurve())) {
                    return new SigningKey(algorithm, ec.getKeyID(), new ECDSASigner(ec));
                }
            } catch (JOSEException e) {
                throw new IllegalArgumentException("key " + key.getKeyID() + " in " + file + " cannot sign "
                        + algorithm + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("the SMART client key file " + file + " holds no " + algorithm + " key"
                + (keyId == null || keyId.isBlank() ? "" : " with kid '" + keyId + "'"));
    }

    /** A private key able to sign client assertions, with its {@code kid}. */
    public record SigningKey(JWSAlgorithm algorithm, String keyId, JWSSigner signer) {
        public SigningKey {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(signer, "signer");
        }
    }
}
