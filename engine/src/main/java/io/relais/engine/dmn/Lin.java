package io.relais.engine.dmn;

/**
 * An upper bound {@code c + k × n}, where n is the total length of a model's inputs: how the
 * screen of DMN files counts steps and sizes (docs/language.md, "What a DMN file may compute").
 * Arithmetic saturates at {@link #INFINITE}; a product of two bounds that both grow with n is
 * infinite, since the screen admits no cost that grows faster than the inputs.
 */
record Lin(long c, long k) {

  /** Larger than any limit; sums and products stay there. */
  static final long INFINITE = Long.MAX_VALUE / 4;

  static final Lin ZERO = new Lin(0, 0);
  static final Lin ONE = new Lin(1, 0);
  /** An input: at most every input character. */
  static final Lin INPUT = new Lin(1, 1);

  Lin {
    c = Math.min(c, INFINITE);
    k = Math.min(k, INFINITE);
  }

  static Lin of(long c) {
    return new Lin(c, 0);
  }

  Lin plus(Lin o) {
    return new Lin(add(c, o.c), add(k, o.k));
  }

  Lin plus(long o) {
    return new Lin(add(c, o), k);
  }

  Lin times(long m) {
    return new Lin(mul(c, m), mul(k, m));
  }

  /** The product; infinite when both grow with the inputs (see {@link #quadratic}). */
  Lin times(Lin o) {
    if (quadratic(o)) {
      return new Lin(INFINITE, INFINITE);
    }
    return new Lin(mul(c, o.c), add(mul(c, o.k), mul(k, o.c)));
  }

  /** Whether the product with {@code o} would grow as the square of the inputs. */
  boolean quadratic(Lin o) {
    return k > 0 && o.k > 0;
  }

  Lin max(Lin o) {
    return new Lin(Math.max(c, o.c), Math.max(k, o.k));
  }

  /** An upper bound of the smaller of the two: the one that grows slower with the inputs. */
  Lin min(Lin o) {
    return k < o.k || (k == o.k && c <= o.c) ? this : o;
  }

  boolean growsWithInputs() {
    return k > 0;
  }

  boolean exceeds(long maxC, long maxK) {
    return c > maxC || k > maxK;
  }

  /** The bound as the documentation writes it: {@code 1,000 + 20 × n}. */
  String show() {
    return k == 0 ? number(c) : number(c) + " + " + number(k) + " × n";
  }

  /** {@code 1000000} as {@code 1,000,000}, whatever the default locale. */
  static String number(long v) {
    return v >= INFINITE ? "unboundedly many" : String.format(java.util.Locale.ROOT, "%,d", v);
  }

  static long add(long a, long b) {
    long s = a + b;
    return s < 0 || s > INFINITE ? INFINITE : s;
  }

  static long mul(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    if (a >= INFINITE / b) {
      return INFINITE;
    }
    return Math.min(a * b, INFINITE);
  }

  static long pow(long base, int exponent) {
    long r = 1;
    for (int i = 0; i < exponent && r < INFINITE; i++) {
      r = mul(r, base);
    }
    return r;
  }
}
