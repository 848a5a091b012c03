package dev.yubin.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {

    private static String pem(Object... items) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object item : items) {
                writer.writeObject(item);
            }
        }
        return out.toString();
    }

    @Test
    void selfSignedCertificateNamesTheHostAndIsCurrentlyValid() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("mail.example1.jp");
        X509Certificate cert = identity.certificateChain().get(0);
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertEquals("CN=mail.example1.jp", cert.getSubjectX500Principal().getName());
        assertEquals(List.of(List.of(2, "mail.example1.jp")), cert.getSubjectAlternativeNames().stream()
                .map(List::copyOf).toList());
        assertEquals("EC", identity.privateKey().getAlgorithm());
    }

    @Test
    void readsPkcs8AndTraditionalRsaKeysAndTheChainInOrder(@TempDir Path dir) throws Exception {
        TlsIdentity leaf = TlsIdentity.selfSigned("leaf.example");
        TlsIdentity other = TlsIdentity.selfSigned("ca.example");
        Path chain = Files.writeString(dir.resolve("chain.pem"),
                pem(leaf.certificateChain().get(0), other.certificateChain().get(0)));
        Path pkcs8 = Files.writeString(dir.resolve("key8.pem"),
                pem(new JcaPKCS8Generator(leaf.privateKey(), null)));
        TlsIdentity read = TlsIdentity.fromPem(chain, pkcs8);
        assertEquals(2, read.certificateChain().size());
        assertEquals(leaf.certificateChain().get(0), read.certificateChain().get(0));
        assertEquals(leaf.privateKey(), read.privateKey());

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair pair = rsa.generateKeyPair();
        Path traditional = Files.writeString(dir.resolve("rsa.pem"), pem(pair.getPrivate()));
        assertTrue(Files.readString(traditional).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals(pair.getPrivate(), TlsIdentity.fromPem(chain, traditional).privateKey());

        Path both = Files.writeString(dir.resolve("both.pem"), Files.readString(chain) + Files.readString(pkcs8));
        assertEquals(leaf.privateKey(), TlsIdentity.fromPem(both, both).privateKey());
    }

    @Test
    void missingFilesAndMissingItemsAreReportedWithTheFileName(@TempDir Path dir) throws Exception {
        TlsIdentity leaf = TlsIdentity.selfSigned("leaf.example");
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem(leaf.certificateChain().get(0)));
        Path nothing = Files.writeString(dir.resolve("empty.pem"), "not pem\n");
        IOException e = assertThrows(IOException.class, () -> TlsIdentity.fromPem(cert, dir.resolve("nope.pem")));
        assertTrue(e.getMessage().endsWith("nope.pem: no such file"), e.getMessage());
        e = assertThrows(IOException.class, () -> TlsIdentity.fromPem(nothing, cert));
        assertTrue(e.getMessage().endsWith("empty.pem: no PEM certificate found"), e.getMessage());
        e = assertThrows(IOException.class, () -> TlsIdentity.fromPem(cert, cert));
        assertTrue(e.getMessage().endsWith("cert.pem: no PEM private key found"), e.getMessage());
    }
}
