package moonshot.lab.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * The one key every simulated host authorises: {@code <labRoot>/keys/id_lab} (OpenSSH private key
 * format, RSA 3072, unencrypted) and {@code id_lab.pub}. Kept across lab restarts so a configured
 * executor keeps working.
 */
public final class ClientKey {
    private static final String COMMENT = "moonshot-hypervisor-lab";

    private final Path privateKey;
    private final PublicKey publicKey;

    private ClientKey(Path privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static ClientKey loadOrCreate(Path keysDir) throws IOException {
        Path priv = keysDir.resolve("id_lab");
        Path pub = keysDir.resolve("id_lab.pub");
        try {
            if (!Files.isRegularFile(priv) || !Files.isRegularFile(pub)) {
                create(keysDir, priv, pub);
            }
            List<AuthorizedKeyEntry> entries = AuthorizedKeyEntry.readAuthorizedKeys(pub);
            if (entries.isEmpty()) {
                throw new IOException("no key in " + pub);
            }
            return new ClientKey(priv, entries.get(0).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the lab client key in " + keysDir, e);
        }
    }

    private static void create(Path keysDir, Path priv, Path pub) throws IOException, GeneralSecurityException {
        Files.createDirectories(keysDir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        KeyPair pair = generator.generateKeyPair();
        Path tmp = keysDir.resolve("id_lab.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, COMMENT, null, out);
        }
        try (OutputStream out = Files.newOutputStream(pub)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(pair.getPublic(), COMMENT, out);
        }
        Files.move(tmp, priv, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public Path privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }
}
