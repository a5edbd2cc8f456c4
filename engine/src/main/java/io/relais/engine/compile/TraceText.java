package io.relais.engine.compile;

import java.util.Arrays;

/**
 * A trace entry's text written as the inside of a JSON string, in UTF-8: the bytes Jackson's
 * UTF-8 generator writes for that text with its default escapes (docs/performance.md, "The served
 * decision's trace written as bytes"). An answer writes some twenty entries of a few hundred
 * characters each; their constant parts are escaped and encoded once, when the condition
 * compiles ({@link Constant}), and only the values compared are escaped while the answer is
 * written. Only the characters whose escape does not depend on the generator's settings are
 * written here: printable ASCII, {@code "} and {@code \}, the named escapes ({@code \n}, {@code
 * \t}, {@code \r}, {@code \b}, {@code \f}) and the other characters of the basic plane as UTF-8.
 * Any other (a surrogate, another control character) makes the text {@linkplain #plain() not
 * plain}, and the caller writes the entry as a string instead. One per answer being written;
 * not thread-safe.
 */
public final class TraceText {

  /** A constant part of a step's text, escaped and encoded once. */
  public record Constant(String text, byte[] utf8, boolean plain) {

    /** {@code text} escaped and encoded. */
    public static Constant of(String text) {
      TraceText out = new TraceText(text.length() + 8);
      out.text(text);
      return new Constant(text, Arrays.copyOf(out.bytes, out.length), out.plain);
    }
  }

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;
  /** Characters of the text (UTF-16 units, as {@link String#length()} counts them), not bytes. */
  private int chars;
  private boolean plain = true;

  public TraceText() {
    this(1024);
  }

  private TraceText(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  /** Empties the text, to write another entry. */
  public void reset() {
    length = 0;
    chars = 0;
    plain = true;
  }

  /** The bytes written, from 0 to {@link #length()}. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return length;
  }

  /** How many characters the text has: its {@link String#length()}. */
  public int chars() {
    return chars;
  }

  /** Whether every character was written as the generator writes it (else the text is unusable). */
  public boolean plain() {
    return plain;
  }

  /** Appends a constant part. */
  public TraceText append(Constant constant) {
    byte[] utf8 = constant.utf8;
    room(utf8.length);
    System.arraycopy(utf8, 0, bytes, length, utf8.length);
    length += utf8.length;
    chars += constant.text.length();
    plain &= constant.plain;
    return this;
  }

  /** Appends {@code text}, escaped. */
  public TraceText text(String text) {
    int n = text.length();
    room(n);
    chars += n;
    int at = length;
    byte[] out = bytes;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        out[at++] = (byte) c; // room was made for a byte for each character left
        continue;
      }
      length = at;
      room(3 + n - i); // this character's (at most 3 bytes), then a byte for each one left
      out = bytes;
      if (c < 0x80) {
        at = escape(out, at, c);
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        plain = false; // escaped or combined as the generator's settings say: not written here
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    length = at;
    return this;
  }

  /** Appends {@code text}, which is known to need no escape (digits, a sign, a point, letters). */
  TraceText ascii(String text) {
    int n = text.length();
    room(n);
    byte[] out = bytes;
    int at = length;
    for (int i = 0; i < n; i++) {
      out[at++] = (byte) text.charAt(i); // ASCII: one byte a character
    }
    length = at;
    chars += n;
    return this;
  }

  /** Appends {@link Long#toString(long)} of {@code value}, without making that string. */
  TraceText number(long value) {
    if (value == Long.MIN_VALUE) {
      return ascii(Long.toString(value)); // no positive counterpart
    }
    int digits = 1;
    for (long rest = Math.abs(value); rest >= 10; rest /= 10) {
      digits++;
    }
    int n = value < 0 ? digits + 1 : digits;
    room(n);
    byte[] out = bytes;
    long rest = Math.abs(value);
    for (int at = length + n - 1; at >= length + n - digits; at--) {
      out[at] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    if (value < 0) {
      out[length] = '-';
    }
    length += n;
    chars += n;
    return this;
  }

  // ASCII that the generator escapes (or DEL, which it writes as it is), at `at`.
  private int escape(byte[] out, int at, char c) {
    byte named = switch (c) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '\n' -> 'n';
      case '\t' -> 't';
      case '\r' -> 'r';
      case '\b' -> 'b';
      case '\f' -> 'f';
      default -> 0;
    };
    if (named != 0) {
      out[at++] = '\\';
      out[at++] = named;
    } else if (c == 0x7F) {
      out[at++] = (byte) c;
    } else {
      plain = false; // \\u00XX, whose hex digits' case is the generator's setting
    }
    return at;
  }

  private void room(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
  }
}
