package io.relais.api.web;

/**
 * The characters Spring Security's {@code StrictHttpFirewall} accepts in header names, header
 * values and parameter names by default, tested without regular expressions. The firewall's
 * defaults are the patterns {@code [\p{IsAssigned}&&[^\p{IsControl}]]*} (names) and {@code
 * [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*} (values), matched on every read of every header:
 * measured, a fifth of the service's CPU per event (docs/performance.md). These are the same
 * rules, code point by code point ({@code HeaderCharactersTest} compares them with the patterns
 * on every code point), set through the firewall's own setters.
 */
final class HeaderCharacters {

  private HeaderCharacters() {}

  /** Every code point assigned and not a control character: header and parameter names. */
  static boolean assignedAndNotControl(String text) {
    return allowed(text, false);
  }

  /** The same, tabs allowed: header values. */
  static boolean assignedAndNotControlOrTab(String text) {
    return allowed(text, true);
  }

  private static boolean allowed(String text, boolean tab) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      // Printable ASCII is assigned and not a control character: the common case, no lookup.
      if (c < 0x20 || c > 0x7e) {
        int type = Character.getType(c);
        if (type == Character.UNASSIGNED || type == Character.CONTROL && !(tab && c == '\t')) {
          return false;
        }
      }
      i += Character.charCount(c);
    }
    return true;
  }
}
