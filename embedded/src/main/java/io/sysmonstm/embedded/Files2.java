package io.sysmonstm.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

final class Files2 {
  private Files2() {}

  /** Best-effort removal of a temporary directory tree. */
  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // a temporary file still in use; the OS cleans the temp dir
                }
              });
    } catch (IOException ignored) {
      // nothing more to do for a temporary directory
    }
  }
}
