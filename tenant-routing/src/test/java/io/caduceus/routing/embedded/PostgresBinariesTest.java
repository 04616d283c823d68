package io.caduceus.routing.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresBinariesTest {

  @Test
  void onlyTheFirstStartReadsTheArchiveOnceItsFolderIsLinked(@TempDir Path pgbin) throws Exception {
    PostgresBinaries first = new PostgresBinaries(pgbin);
    byte[] archive;
    try (InputStream in = first.getPgBinary("Linux", "x86_64")) {
      archive = in.readAllBytes();
    }
    assertThat(archive.length).isGreaterThan(1_000_000);
    // What zonky does with what it read: unpack into PG-<md5 of it>, marked by .exists.
    Path unpacked = pgbin.resolve("PG-" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive)));
    Files.createDirectories(unpacked);
    Files.createFile(unpacked.resolve(".exists"));
    first.remember();

    byte[] stand;
    try (InputStream in = new PostgresBinaries(pgbin).getPgBinary("Linux", "x86_64")) {
      stand = in.readAllBytes();
    }
    assertThat(stand.length).isLessThan(200);
    Path named = pgbin.resolve("PG-" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(stand)));
    assertThat(Files.isSymbolicLink(named)).isTrue();
    assertThat(named.toRealPath()).isEqualTo(unpacked.toRealPath());
    assertThat(named.resolve(".exists")).exists();
  }

  @Test
  void aFolderThatIsNotMarkedUnpackedIsNotLinked(@TempDir Path pgbin) throws Exception {
    PostgresBinaries first = new PostgresBinaries(pgbin);
    try (InputStream in = first.getPgBinary("Linux", "x86_64")) {
      in.readAllBytes();
    }
    first.remember();
    try (InputStream in = new PostgresBinaries(pgbin).getPgBinary("Linux", "x86_64")) {
      assertThat(in.readAllBytes().length).isGreaterThan(1_000_000);
    }
  }
}
