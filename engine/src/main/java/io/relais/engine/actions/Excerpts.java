package io.relais.engine.actions;

import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;

/**
 * What is kept of a receiver's answer: its first characters, escaped. A receiver is outside
 * Relais: its answer may hold anything (markup, control characters, a secret it echoes), so
 * only printable ASCII other than markup characters is kept as it is; everything else becomes
 * {@code \\uXXXX}, and the excerpt is cut at {@value #MAX_CHARACTERS} characters of the answer.
 */
public final class Excerpts {

  /** Characters of the answer kept at most. */
  public static final int MAX_CHARACTERS = 200;

  private Excerpts() {}

  /** The excerpt of an answer's first bytes (an invalid UTF-8 sequence reads as U+FFFD). */
  public static String of(byte[] answer) {
    CharBuffer text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(answer));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not throw", e);
    }
    StringBuilder out = new StringBuilder();
    int kept = Math.min(text.length(), MAX_CHARACTERS);
    for (int i = 0; i < kept; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '<' && c != '>' && c != '&' && c != '"' && c != '\'' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (text.length() > MAX_CHARACTERS) {
      out.append("...");
    }
    return out.toString();
  }
}
