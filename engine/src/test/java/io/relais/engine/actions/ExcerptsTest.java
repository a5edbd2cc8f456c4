package io.relais.engine.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What is kept of a receiver's answer: short, and escaped. */
class ExcerptsTest {

  @Test
  void plainTextIsKeptAsItIs() {
    assertThat(Excerpts.of("ok, queued 3".getBytes(StandardCharsets.UTF_8))).isEqualTo("ok, queued 3");
  }

  @Test
  void markupControlCharactersAndNonAsciiAreEscaped() {
    assertThat(Excerpts.of("<b>é\n\u0000\"'&\\".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("\\u003cb\\u003e\\u00e9\\u000a\\u0000\\u0022\\u0027\\u0026\\u005c");
  }

  @Test
  void aLongAnswerIsCut() {
    String excerpt = Excerpts.of("x".repeat(100_000).getBytes(StandardCharsets.UTF_8));
    assertThat(excerpt).hasSize(Excerpts.MAX_CHARACTERS + 3).endsWith("...");
  }

  @Test
  void invalidUtf8ReadsAsReplacementCharacters() {
    assertThat(Excerpts.of(new byte[] {'a', (byte) 0xff, 'b'})).isEqualTo("a\\ufffdb");
  }
}
