package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest
  @CsvSource({
    "/financing/leasing/**, /financing/leasing/offers, true",
    "/financing/leasing/**, /financing/leasing/offers/2026/suv, true",
    "/financing/leasing/**, /financing/leasing/, true",
    "/financing/leasing/**, /financing/credit/offers, false",
    "/models/suv/*, /models/suv/x5, true",
    "/models/suv/*, /models/suv/x5/colours, false",
    "/models/*/price, /models/suv/price, true",
    "/models/*/price, /models/suv/x5/price, false",
    "/models/**/price, /models/suv/x5/price, true",
    "/page?, /page1, true",
    "/page?, /page12, false",
    "/pricing, /pricing/plans, false",
    "/pricing, /en/pricing, false",
    "/a+b(c)[d].html, /a+b(c)[d].html, true",
    "/a+b(c)[d].html, /aab(c)[d]xhtml, false",
    "*.pdf, brochure.pdf, true",
    "*.pdf, docs/brochure.pdf, false",
  })
  void matchesTheWholeText(String glob, String text, boolean expected) {
    assertThat(Glob.compile(glob).matches(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"\\Q*, \\Qanything", "$^, $^"})
  void regexSyntaxInAGlobIsLiteral(String glob, String text) {
    assertThat(Glob.compile(glob).matches(text)).isTrue();
  }

  @Test
  void agreesWithABacktrackingReferenceOnRandomGlobsAndTexts() {
    Random random = new Random(8);
    String globAlphabet = "ab/*?";
    String textAlphabet = "ab/c";
    for (int round = 0; round < 20_000; round++) {
      String glob = randomText(random, globAlphabet, random.nextInt(9));
      String text = randomText(random, textAlphabet, random.nextInt(10));
      assertThat(Glob.compile(glob).matches(text))
          .as("%s matches %s", glob, text)
          .isEqualTo(reference(glob, 0, text, 0));
    }
  }

  @Test
  void agreesWithTheReferenceOnEitherSideOfSixtyFourStates() {
    // Globs of fewer than 64 tokens run on one long, longer ones on arrays of longs: random
    // globs from 55 to 75 tokens (a literal prefix, then random) exercise both and the seam.
    Random random = new Random(64);
    String globAlphabet = "ab/*?\u00e9";
    String textAlphabet = "ab/c\u00e9";
    for (int round = 0; round < 5_000; round++) {
      String prefix = "a/".repeat(27 + random.nextInt(4));
      String glob = prefix + randomText(random, globAlphabet, random.nextInt(12));
      String text = prefix + randomText(random, textAlphabet, random.nextInt(12));
      assertThat(Glob.compile(glob).matches(text))
          .as("%s matches %s", glob, text)
          .isEqualTo(reference(glob, 0, text, 0));
    }
  }

  @Test
  void handlesCharactersOutsideTheBasicPlaneAsOneCharacter() {
    assertThat(Glob.compile("/?/x").matches("/\uD83D\uDE00/x")).isTrue();
    assertThat(Glob.compile("/??/x").matches("/\uD83D\uDE00/x")).isFalse();
    assertThat(Glob.compile("/*\uD83D\uDE00").matches("/ab\uD83D\uDE00")).isTrue();
  }

  @Test
  void longGlobsAndPathologicalGlobsAreLinear() {
    // Once a PatternSyntaxException (stack overflow) and 26 s of backtracking: now instant.
    assertThat(Glob.compile("*a".repeat(10_000)).matches("a".repeat(10_000))).isTrue();
    assertThat(Glob.compile("*a".repeat(10_000)).matches("a".repeat(9_999))).isFalse();
    assertThat(Glob.compile("**a**a**a**a**a**a**a**a**a**a**b").matches("a".repeat(40)))
        .isFalse();
    assertThat(Glob.compile("**a".repeat(500) + "**b").matches("a".repeat(100_000)))
        .isFalse();
  }

  @Test
  void nothingMatchesNull() {
    assertThat(Glob.compile("**").matches(null)).isFalse();
    assertThat(Glob.compile("").matches("")).isTrue();
    assertThat(Glob.compile("**").matches("")).isTrue();
    assertThat(Glob.compile("?").matches("")).isFalse();
  }

  private static String randomText(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  // The semantics as written in docs/engine.md, by plain backtracking (fine on short input).
  private static boolean reference(String glob, int g, String text, int t) {
    if (g == glob.length()) {
      return t == text.length();
    }
    char c = glob.charAt(g);
    if (c == '*' && g + 1 < glob.length() && glob.charAt(g + 1) == '*') {
      for (int end = t; end <= text.length(); end++) {
        if (reference(glob, g + 2, text, end)) {
          return true;
        }
      }
      return false;
    }
    if (c == '*') {
      for (int end = t; end <= text.length(); end++) {
        if (reference(glob, g + 1, text, end)) {
          return true;
        }
        if (end < text.length() && text.charAt(end) == '/') {
          return false;
        }
      }
      return false;
    }
    if (t == text.length()) {
      return false;
    }
    return (c == '?' || c == text.charAt(t)) && reference(glob, g + 1, text, t + 1);
  }
}
