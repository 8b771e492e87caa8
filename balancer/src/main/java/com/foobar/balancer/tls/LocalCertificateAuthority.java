package com.foobar.balancer.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code tls.auto} certificates, as mkcert makes them: a local CA (made once, kept under the data directory) and
 * a leaf certificate for the configured names signed by it. ECDSA P-256 throughout: fast to make and to handshake.
 * Private keys are written with mode 0600 and every file is written to a temporary name first, so a crash never
 * leaves half a key.
 */
final class LocalCertificateAuthority {

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Under the 398 days browsers accept for a leaf. */
    static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    /** A leaf this close to expiry is made again at start. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    static final String CA_CERT = "ca.pem";
    static final String CA_KEY = "ca-key.pem";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    LocalCertificateAuthority(Path dir) {
        this.dir = dir;
    }

    Path caCertificate() {
        return dir.resolve(CA_CERT);
    }

    /** The leaf files for {@code names}, made (with the CA if needed) unless valid ones for the same names exist. */
    Issued ensureLeaf(List<String> names) {
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve(CA_CERT)) || !Files.exists(dir.resolve(CA_KEY))) {
                makeCa();
            }
            String base = names.get(0).replace('*', '_').replace(':', '_');
            Path cert = dir.resolve(base + ".pem");
            Path key = dir.resolve(base + "-key.pem");
            if (Files.exists(cert) && Files.exists(key) && stillGood(readCert(cert), names)) {
                return new Issued(cert, key, false);
            }
            X509Certificate caCert = readCert(dir.resolve(CA_CERT));
            PrivateKey caKey = readKey(dir.resolve(CA_KEY));
            KeyPair leafKeys = ecKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LEAF_VALIDITY)),
                    new X500Name("CN=" + names.get(0) + ",O=foobar balancer local certificate"),
                    leafKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) {
                sans.add(new GeneralName(isIp(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
            X509Certificate leaf = sign(b, caKey);
            writeKey(key, leafKeys.getPrivate());
            writePem(cert, leaf, false);
            return new Issued(cert, key, true);
        } catch (IOException | GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new TlsSetupException("tls.auto: cannot make certificates under " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Files of an issued leaf; {@code created} false when existing ones were reused. */
    record Issued(Path cert, Path key, boolean created) {
    }

    private void makeCa() throws IOException, GeneralSecurityException,
            org.bouncycastle.operator.OperatorCreationException {
        KeyPair keys = ecKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=foobar balancer local CA " + Long.toHexString(RANDOM.nextLong())
                + ",O=foobar balancer local CA");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate ca = sign(b, keys.getPrivate());
        writeKey(dir.resolve(CA_KEY), keys.getPrivate());
        writePem(dir.resolve(CA_CERT), ca, false);
    }

    private static boolean stillGood(X509Certificate cert, List<String> names) throws GeneralSecurityException {
        if (cert.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            return false;
        }
        Set<String> have = new TreeSet<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                have.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        return have.equals(new TreeSet<>(names));
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static boolean isIp(String n) {
        return n.indexOf(':') >= 0 || n.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    static X509Certificate readCert(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String b64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        writePem(file, new JcaPKCS8Generator(key, null), true);
    }

    private static void writePem(Path file, Object pem, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(pem);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            // Created 0600 from the start: the key is never readable by others, not even for a moment.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    secret ? "rw-------" : "rw-r--r--")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(tmp + " appeared while writing it", e);
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write(text.toString());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
