package io.relais.dsl.source;

import java.util.List;
import java.util.Objects;

/** The text of one {@code .rules} file and the name diagnostics use for it. */
public record Source(String name, String text) {

  public Source {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
  }

  /** The text of a 1-based line without its line terminator, or "" past the end. */
  public String line(int line) {
    List<String> lines = text.lines().toList();
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }
}
