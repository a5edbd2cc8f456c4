package io.relais.dsl.language;

import io.relais.dsl.format.Formatter;
import io.relais.dsl.parser.ParseResult;
import java.util.List;

/** Formatting: one edit that replaces the file with the formatter's canonical layout. */
final class Formatting {

  private Formatting() {}

  /** No edit when the file is canonical already, is a DMN file, or has syntax errors. */
  static List<TextEdit> edits(FileState file) {
    ParseResult parsed = file.parsed();
    if (parsed == null || parsed.hasErrors()) {
      return List.of();
    }
    String formatted = Formatter.format(parsed.file());
    if (formatted.equals(file.source().text())) {
      return List.of();
    }
    return List.of(new TextEdit(file.lines().whole(), formatted));
  }
}
