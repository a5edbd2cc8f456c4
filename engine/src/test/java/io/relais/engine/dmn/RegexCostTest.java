package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.dmn.RegexCost.Flavour;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a pattern's text says of its matching cost (docs/language.md, "What a DMN file may compute"). */
class RegexCostTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
      "(a+)+$;;XPATH",
      "(a|aa)*;;XPATH",
      "((a|b)c)+;;XPATH",
      "(.*a){12};;XPATH",
      "(x+x+)+y;;XPATH",
      "(a)\\1;;XPATH",
      "'(a +) +';x;XPATH",
      "a;j;XPATH",
      "(?=a)a;;JAVA",
      "\\Qa\\E;;JAVA",
      "(a|b){2};;XPATH"})
  void exponentialOrUnknownPatternsAreRefused(String pattern, String flags, Flavour flavour) {
    assertThat(RegexCost.read(pattern, flags, flavour).refused).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      // pattern; unbounded quantifiers; anchored; degree in the text's length
      "^https?://[^/]+/;1;true;1",
      "soft;0;false;1",
      "^/blog/.*;1;true;1",
      ".*pricing;1;false;2",
      "[a-z-[aeiou]]+;1;false;2",
      "\\p{IsBasicLatin}+x*;2;false;3",
      "(ab)+;1;false;2",
      "(a+)?b;1;false;2",
      "\\d{4}-\\d{2}-\\d{2};0;false;1",
      "(en|fr|de)/;0;false;1"})
  void acceptedPatternsAreCountedByTheirShape(String pattern, int unbounded, boolean anchored,
      int degree) {
    RegexCost cost = RegexCost.read(pattern, null, Flavour.XPATH);

    assertThat(cost.refused).isNull();
    assertThat(cost.unbounded).isEqualTo(unbounded);
    assertThat(cost.anchored).isEqualTo(anchored);
    assertThat(cost.degree()).isEqualTo(degree);
  }

  @Test
  void boundedChoicesMultiply() {
    assertThat(RegexCost.read("a?b?c{1,3}(x|y|z)", null, Flavour.XPATH).choices).isEqualTo(2 * 2 * 3 * 3);
    assertThat(RegexCost.read("a.b", "q", Flavour.XPATH).unbounded).isZero();
    assertThat(RegexCost.read("^a*", "m", Flavour.XPATH).anchored).isFalse();
  }
}
