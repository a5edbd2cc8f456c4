package io.relais.dsl.language;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.parser.CursorContext;
import io.relais.dsl.parser.Lexeme;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One file of a ruleset and what is derived from its text alone, each computed once: its
 * parse (rule files) and the names it uses in quotes. Kept while the text does not change, so
 * an edit parses only the file edited.
 */
final class FileState {

  private final Source source;
  private final boolean dmn;
  private ParseResult parsed;
  private Lines lines;
  private Map<Place.Slot, Map<String, List<SourceSpan>>> quoted;

  FileState(Source source) {
    this.source = source;
    this.dmn = RuleLanguage.isDmn(source.name());
  }

  Source source() {
    return source;
  }

  boolean isDmn() {
    return dmn;
  }

  /** The parse of a rule file (null for a DMN file). */
  synchronized ParseResult parsed() {
    if (parsed == null && !dmn) {
      parsed = RulesParser.parse(source);
    }
    return parsed;
  }

  synchronized Lines lines() {
    if (lines == null) {
      lines = new Lines(source.name(), source.text());
    }
    return lines;
  }

  /**
   * The names this file writes in quotes where a tag, a segment or a message goes, with where:
   * read from the tokens, so a rule that does not parse yet still contributes its names.
   */
  synchronized Map<Place.Slot, Map<String, List<SourceSpan>>> quoted() {
    if (quoted == null) {
      quoted = new LinkedHashMap<>();
      if (!dmn) {
        List<Lexeme> code = new ArrayList<>();
        for (Lexeme l : CursorContext.lexemes(source)) {
          if (l.kind() != Lexeme.Kind.COMMENT) {
            code.add(l);
          }
        }
        for (int i = 0; i < code.size(); i++) {
          Lexeme l = code.get(i);
          if (!l.isString()) {
            continue;
          }
          Place.Slot slot = Place.quotedSlot(code.subList(0, i));
          if (slot == Place.Slot.TAG || slot == Place.Slot.SEGMENT || slot == Place.Slot.MESSAGE) {
            quoted.computeIfAbsent(slot, s -> new LinkedHashMap<>())
                .computeIfAbsent(l.value(), v -> new ArrayList<>())
                .add(lines().span(l.start(), l.end()));
          }
        }
      }
    }
    return quoted;
  }
}
