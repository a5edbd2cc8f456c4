package io.relais.dsl.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.parser.CursorContext;
import org.junit.jupiter.api.Test;

class KeywordDocsTest {

  @Test
  void everyKeywordOfTheLexerHasItsLine() {
    assertThat(CursorContext.KEYWORDS).hasSizeGreaterThan(80).contains("when", "contact", "within");
    assertThat(CursorContext.KEYWORDS).filteredOn(k -> KeywordDocs.of(k).isEmpty()).isEmpty();
  }
}
