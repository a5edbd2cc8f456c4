package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceText} writes what Jackson's UTF-8 generator writes for the same text inside a JSON
 * string, or says it cannot ({@link TraceText#plain()}); the steps a condition compiles to write
 * the same text as bytes as they do as a string.
 */
class TraceTextTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void textIsWrittenAsTheGeneratorWritesItOrNotAtAll() throws Exception {
    Random random = new Random(5);
    // Every ASCII character, some of the basic plane, surrogates.
    char[] alphabet = new char[128 + 6];
    for (char c = 0; c < 128; c++) {
      alphabet[c] = c;
    }
    char[] more = {'é', 'ß', '\u07FF', '\u0800', '\uFFFD', '\uD83D'};
    System.arraycopy(more, 0, alphabet, 128, more.length);
    int plain = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(40); n > 0; n--) {
        char c = alphabet[random.nextInt(alphabet.length)];
        text.append(c);
        if (c == '\uD83D' && random.nextBoolean()) {
          text.append('\uDE00'); // a pair, else a lone surrogate
        }
      }
      TraceText out = new TraceText();
      out.text(text.toString());
      boolean expected = text.chars().noneMatch(c -> c < 0x20 && "\n\t\r\b\f".indexOf(c) < 0
          || Character.isSurrogate((char) c));
      assertThat(out.plain()).as("plain: %s", text).isEqualTo(expected);
      assertThat(out.chars()).isEqualTo(text.length());
      if (out.plain()) {
        plain++;
        assertThat(new String(Arrays.copyOf(out.bytes(), out.length()), StandardCharsets.UTF_8))
            .isEqualTo(inside(text.toString()));
      }
    }
    assertThat(plain).isGreaterThan(1_000);
  }

  @Test
  void aConstantIsTheTextItWrites() throws Exception {
    for (String text : List.of("", "contact.score = ", " matches \"/é/**\"", "tag \"q\\\" = ", "tab\there")) {
      TraceText out = new TraceText();
      out.append(TraceText.Constant.of(text)).append(TraceText.Constant.of(text));
      assertThat(out.plain()).isTrue();
      assertThat(out.chars()).isEqualTo(2 * text.length());
      assertThat(out.toString()).isEqualTo(inside(text + text));
    }
    TraceText out = new TraceText().append(TraceText.Constant.of("😀"));
    assertThat(out.plain()).isFalse();
  }

  @Test
  void stepsWriteTheSameTextAsBytesAsAsAString() throws Exception {
    List<StepText> steps = List.of(
        StepText.of("contact.score = ", StepText.Value.SHOWN, " >= ", StepText.Value.SHOWN),
        StepText.of("x = ", StepText.Value.SHOWN, " between ", StepText.Value.SHOWN, " and ", StepText.Value.SHOWN),
        StepText.of("event.url = ", StepText.Value.SHOWN, " matches \"/é/**\""),
        StepText.of("tag \"T\" = ", StepText.Value.AS_IS, " >= 1"),
        StepText.of("in segment \"S\" = ", StepText.Value.AS_IS),
        StepText.of("event is page_visit = ", StepText.Value.EVENT));
    List<Object> values = Arrays.asList(null, "", "text \"q\" \\ é\n", 3, 42L, true, new BigDecimal("100.500"),
        new BigDecimal("1E+3"), new BigDecimal("-0.000"), new BigDecimal("123456789012345678901234567890.10"),
        new BigDecimal("625"), new BigDecimal("-12"), BigDecimal.ZERO, BigDecimal.valueOf(Long.MAX_VALUE),
        BigDecimal.valueOf(Long.MIN_VALUE), new BigDecimal("999999999999999999"), new BigDecimal("1000000000000000000"),
        Long.MIN_VALUE, -7L, 0, Integer.MIN_VALUE,
        Instant.parse("2026-11-22T10:00:00.120Z"), LocalDate.of(2026, 1, 2), io.relais.dsl.ast.Stage.MQL,
        List.of("a", 1), 2.5);
    Random random = new Random(3);
    for (StepText step : steps) {
      for (int i = 0; i < 2_000; i++) {
        Object a = values.get(random.nextInt(values.size()));
        Object b = values.get(random.nextInt(values.size()));
        Object c = values.get(random.nextInt(values.size()));
        StringBuilder string = new StringBuilder();
        step.write(string, a, b, c);
        TraceText bytes = new TraceText();
        step.write(bytes, a, b, c);
        assertThat(bytes.plain()).isTrue();
        assertThat(bytes.chars()).isEqualTo(string.length());
        assertThat(bytes.toString()).isEqualTo(inside(string.toString()));
      }
    }
  }

  @Test
  void aTraceEntryIsWrittenAsItsWhyOrNotAtAllWhenCut() throws Exception {
    StepText step = StepText.of("event.title = ", StepText.Value.SHOWN, " is not empty");
    for (int length : new int[] {0, 10, Trace.MAX_LENGTH - 61, Trace.MAX_LENGTH - 60, Trace.MAX_LENGTH + 10}) {
      Trace trace = Trace.recording();
      int from = trace.start();
      trace.add(step, "x".repeat(length), null, null);
      trace.add(step, "é", null, null);
      TraceText out = new TraceText();
      boolean written = trace.write(from, trace.end(), out);
      String why = trace.why(from, trace.end());
      // Written as bytes only when the text is not cut (4,096 characters fit, not one more; the
      // "é" is two bytes but one character): the cut text is the string's to write.
      assertThat(written).as("length %d", length).isEqualTo(length <= Trace.MAX_LENGTH - 61);
      assertThat(why.endsWith("…")).isEqualTo(!written);
      if (written) {
        assertThat(out.toString()).isEqualTo(inside(why));
      }
    }
  }

  /** What the generator writes inside the quotes of {@code text}. */
  private static String inside(String text) throws Exception {
    String quoted = new String(JSON.writeValueAsBytes(text), StandardCharsets.UTF_8);
    return quoted.substring(1, quoted.length() - 1);
  }
}
