package io.relais.dsl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden files: an input file beside a file of expected output. Run the build with
 * {@code -Dgolden.update=true} to rewrite the expectations, then read the diff.
 */
public final class Golden {

  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private Golden() {}

  /** The source folder of test resources, so updates land in the tree, not in target/. */
  public static Path folder(String relative) {
    Path path = Paths.get("src", "test", "resources", "golden").resolve(relative);
    assertThat(path).as("golden folder (tests run from the module directory)").isDirectory();
    return path;
  }

  /** Every input file with {@code extension} in {@code folder}, sorted by name. */
  public static List<Path> inputs(Path folder, String extension) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(extension)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The path beside {@code input} with its extension replaced by {@code extension}. */
  public static Path sibling(Path input, String extension) {
    String name = input.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return input.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + extension);
  }

  public static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts {@code actual} equals the golden file, or rewrites it in update mode. */
  public static void assertMatches(Path expectedFile, String actual) {
    if (UPDATE) {
      try {
        Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    assertThat(expectedFile).as("golden file (create it with -Dgolden.update=true)").exists();
    assertThat(actual).as("output against %s", expectedFile).isEqualTo(read(expectedFile));
  }
}
