package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void aWarningNamesAnIncidentNeverTheExceptionOrItsMessage() {
    String shown = Failures.describe("Hot lead", new ArithmeticException("/ by zero at io.relais.Secret"));

    assertThat(shown).matches("an internal error \\(incident [0-9a-f]{8}\\)");
    assertThat(shown).doesNotContain("Arithmetic").doesNotContain("io.relais").doesNotContain("by zero");
  }
}
