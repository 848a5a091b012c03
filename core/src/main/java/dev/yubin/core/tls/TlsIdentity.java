package dev.yubin.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A server's TLS identity: its private key and certificate chain, leaf first. Read from PEM files as Postfix's
 * {@code smtpd_tls_cert_file}/{@code smtpd_tls_key_file} are (PKCS#8, PKCS#1 RSA and SEC1 EC keys; encrypted keys
 * are refused), or generated self-signed for development. Immutable.
 */
public final class TlsIdentity {
    private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(365);

    private final PrivateKey privateKey;
    private final List<X509Certificate> certificateChain;

    private TlsIdentity(PrivateKey privateKey, List<X509Certificate> certificateChain) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.certificateChain = List.copyOf(certificateChain);
        if (this.certificateChain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    /** An identity from a key and a chain (leaf first). */
    public static TlsIdentity of(PrivateKey privateKey, List<X509Certificate> certificateChain) {
        return new TlsIdentity(privateKey, certificateChain);
    }

    /**
     * Reads the certificate chain (one or more PEM certificates, leaf first) and the private key; the two may be
     * the same file. Throws with the file name and the reason when a file is missing or holds no usable item.
     */
    public static TlsIdentity fromPem(Path certificateChainFile, Path privateKeyFile) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        for (Object item : readPem(certificateChainFile)) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new IOException(certificateChainFile + ": bad certificate: " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateChainFile + ": no PEM certificate found");
        }
        PrivateKey key = null;
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object item : readPem(privateKeyFile)) {
            if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new IOException(privateKeyFile + ": the private key is encrypted; give an unencrypted key");
            } else if (item instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (item instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            }
            if (key != null) {
                break;
            }
        }
        if (key == null) {
            throw new IOException(privateKeyFile + ": no PEM private key found");
        }
        return new TlsIdentity(key, chain);
    }

    private static List<Object> readPem(Path file) throws IOException {
        List<Object> items = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                items.add(item);
            }
        } catch (IOException e) {
            throw e instanceof java.nio.file.NoSuchFileException ? new IOException(file + ": no such file", e)
                    : new IOException(file + ": " + e.getMessage(), e);
        }
        return items;
    }

    /**
     * A new self-signed certificate for {@code hostname} (CN and DNS subject alternative name) with an EC P-256
     * key, valid for a year from an hour ago: for development and tests, where clients are told not to verify.
     */
    public static TlsIdentity selfSigned(String hostname) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + hostname.replaceAll("[,+=\"\\\\<>;]", "_"));
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SELF_SIGNED_VALIDITY)), name,
                    SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new TlsIdentity(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** The server's private key, matching the leaf certificate. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The chain, leaf first. */
    public List<X509Certificate> certificateChain() {
        return certificateChain;
    }

    @Override
    public String toString() {
        return "TlsIdentity[" + certificateChain.get(0).getSubjectX500Principal().getName() + "]";
    }
}
