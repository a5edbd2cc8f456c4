package io.relais.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

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
}
