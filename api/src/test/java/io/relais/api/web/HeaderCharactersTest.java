package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The firewall's header rules without regular expressions accept exactly what Spring Security's
 * default patterns accept (copied here from {@code StrictHttpFirewall}), code point by code point
 * and on random strings, and the service's firewall uses them.
 */
class HeaderCharactersTest {

  private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
  private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

  @Test
  void everyCodePointIsJudgedAsTheDefaultPatternsJudgeIt() {
    for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
      String text = new String(Character.toChars(c));
      assertThat(HeaderCharacters.assignedAndNotControl(text)).as("name U+%04X", c)
          .isEqualTo(NAMES.matcher(text).matches());
      assertThat(HeaderCharacters.assignedAndNotControlOrTab(text)).as("value U+%04X", c)
          .isEqualTo(VALUES.matcher(text).matches());
    }
  }

  @Test
  void randomStringsAreJudgedAsTheDefaultPatternsJudgeThem() {
    Random random = new Random(29);
    int[] pool = {'a', 'Z', ' ', '\t', '\n', 0x7f, 0x85, 0xe9, 0x378, 0xd800, 0xdc00, 0xfffe, 0x1f600, 0xe0001, 0x10ffff};
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(6); i > 0; i--) {
        int c = random.nextBoolean() ? pool[random.nextInt(pool.length)] : random.nextInt(0x300);
        text.appendCodePoint(c);
      }
      String s = text.toString();
      assertThat(HeaderCharacters.assignedAndNotControl(s)).as("name %s", s).isEqualTo(NAMES.matcher(s).matches());
      assertThat(HeaderCharacters.assignedAndNotControlOrTab(s)).as("value %s", s)
          .isEqualTo(VALUES.matcher(s).matches());
    }
  }

  @Test
  void theServiceFirewallRefusesControlCharactersInHeadersAndAcceptsTabsInValues() {
    HttpFirewall firewall = new ApiSecurityConfiguration().firewall();
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/decisions");
    request.addHeader("X-Bell", "ring\u0007");
    request.addHeader("X-Tab", "a\tb");
    request.addHeader("X-Bad\u0001Name", "v");
    var checked = firewall.getFirewalledRequest(request);

    assertThat(checked.getHeader("X-Tab")).isEqualTo("a\tb");
    assertThatThrownBy(() -> checked.getHeader("X-Bell")).isInstanceOf(RequestRejectedException.class);
    assertThatThrownBy(() -> checked.getHeader("X-Bad\u0001Name")).isInstanceOf(RequestRejectedException.class);
  }
}
