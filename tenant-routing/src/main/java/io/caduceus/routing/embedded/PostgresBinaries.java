package io.caduceus.routing.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.jar.JarEntry;

/**
 * zonky's PostgreSQL binaries, found without reading their archive once it is unpacked.
 *
 * <p>zonky unpacks the 15 MB archive into a folder named after the archive's MD5, so at every start it read the whole
 * archive out of the jar and hashed it only to find the folder it had unpacked the time before (it also ran a shell
 * script to learn the Linux distribution). This resolver hands zonky the archive once; after that start it links
 * a second name to the unpacked folder, a name zonky derives from a few bytes that stand for the archive: its jar
 * entry's size and CRC-32, read from the jar's directory for nothing. Later starts hand zonky those bytes, and zonky
 * finds the link and its {@code .exists} mark. Another archive (another binaries version) has another size and CRC,
 * so it is unpacked and linked anew. The build bundles only the generic Linux archive (the pom excludes the Alpine
 * one), which is the one zonky's default resolver picks.
 */
final class PostgresBinaries implements PgBinaryResolver {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

  private final Path folder;
  private Path link;
  private DigestInputStream archive;

  /** Binaries unpacked under {@code folder} (zonky's working directory). */
  PostgresBinaries(Path folder) {
    this.folder = folder;
  }

  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    String identity = identity(("postgres-" + system + "-" + machineHardware + ".txz").toLowerCase(Locale.ROOT));
    if (identity != null) {
      byte[] stand = ("caduceus: zonky PostgreSQL binaries " + identity).getBytes(StandardCharsets.UTF_8);
      Path named = folder.resolve("PG-" + md5(stand));
      if (Files.isRegularFile(named.resolve(".exists"))) {
        return new ByteArrayInputStream(stand);
      }
      link = named;
    }
    archive = new DigestInputStream(DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware),
        digest());
    return archive;
  }

  /**
   * After a start that read the archive: links the cheap name to the folder zonky unpacked it into. A link that
   * cannot be made costs only speed (the next start reads the archive again), so it is logged, not thrown.
   */
  void remember() {
    if (link == null || archive == null) {
      return;
    }
    Path unpacked = Path.of("PG-" + HexFormat.of().formatHex(archive.getMessageDigest().digest()));
    try {
      if (Files.isRegularFile(folder.resolve(unpacked).resolve(".exists"))) {
        Path temporary = folder.resolve(link.getFileName() + ".link-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, unpacked);
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (FileAlreadyExistsException e) {
      LOG.debug("another start linked the PostgreSQL binaries first");
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("could not link the unpacked PostgreSQL binaries; the next start reads their archive again ({})",
          e.getClass().getSimpleName());
    } finally {
      archive = null;
    }
  }

  /** The archive's size and CRC-32 from its jar entry, or null when it is not in a jar (then it is always read). */
  private static String identity(String resource) throws IOException {
    URL url = PostgresBinaries.class.getClassLoader().getResource(resource);
    if (url == null) {
      return null;
    }
    URLConnection connection = url.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      return null;
    }
    JarEntry entry = jar.getJarEntry();
    return entry == null || entry.getSize() < 0 || entry.getCrc() < 0 ? null
        : resource + " " + entry.getSize() + " " + Long.toHexString(entry.getCrc());
  }

  private static String md5(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** zonky keeps the folder it found per resolver for the JVM's life: every instance is one resolver to it. */
  @Override
  public boolean equals(Object other) {
    return other instanceof PostgresBinaries;
  }

  @Override
  public int hashCode() {
    return PostgresBinaries.class.hashCode();
  }
}
