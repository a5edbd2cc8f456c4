package io.relais.dsl.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.testing.Golden;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Whatever the text, {@link RulesParser#parse} returns a result, never throws and never hangs.
 * The seed is fixed so a failure replays; {@code -Dfuzz.seed=N} explores other inputs.
 */
class ParserFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
  private static final Duration TIME_BOX = Duration.ofSeconds(120);

  private static final List<String> ALPHABET = alphabet();
  private static final List<String> CORPUS = Golden.inputs(Golden.folder("syntax"), ".rules")
      .stream().map(Golden::read).toList();

  private static List<String> alphabet() {
    List<String> words = new ArrayList<>();
    for (int type = 1; type <= RelaisLexer.VOCABULARY.getMaxTokenType(); type++) {
      String literal = RelaisLexer.VOCABULARY.getLiteralName(type);
      if (literal != null) {
        words.add(literal.substring(1, literal.length() - 1));
      }
    }
    words.addAll(List.of("\"x\"", "\"{{contact.firstName|a}}\"", "\"{{\"", "\"a\\qb\"", "12",
        "-3", "12.50", "12.", "7days", "2026-11-27", "2026-02-30", "foo", "contact.score",
        "event.url", "page_visit", "MQL", "\"unterminated", "# comment\n", "\n", "\n\n", "€",
        "WHEN", "Segment", "\"😀\""));
    return List.copyOf(words);
  }

  @Test
  void tokenSoup() {
    Random random = new Random(SEED);
    for (int n = 0; n < 2500; n++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(60);
      for (int i = 0; i < length; i++) {
        text.append(ALPHABET.get(random.nextInt(ALPHABET.size())));
        text.append(random.nextInt(8) == 0 ? "\n" : " ");
      }
      check("soup-" + n, text.toString());
    }
  }

  @Test
  void randomBytesAndCharacters() {
    Random random = new Random(SEED + 1);
    for (int n = 0; n < 1500; n++) {
      byte[] bytes = new byte[random.nextInt(300)];
      random.nextBytes(bytes);
      check("bytes-" + n, new String(bytes, StandardCharsets.UTF_8));
      char[] chars = new char[random.nextInt(300)];
      for (int i = 0; i < chars.length; i++) {
        // Mostly ASCII, with any UTF-16 unit (lone surrogates included) now and then.
        chars[i] = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
            : (char) (9 + random.nextInt(120));
      }
      check("chars-" + n, new String(chars));
    }
  }

  @Test
  void mutationsOfTheValidCorpus() {
    assertThat(CORPUS).isNotEmpty();
    Random random = new Random(SEED + 2);
    for (int n = 0; n < 3000; n++) {
      String text = CORPUS.get(random.nextInt(CORPUS.size()));
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        text = mutate(text, random);
      }
      check("mutation-" + n, text);
    }
  }

  private static String mutate(String text, Random random) {
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    List<String> tokens = new ArrayList<>(Arrays.asList(text.split(" ", -1)));
    switch (random.nextInt(9)) {
      case 0 -> lines.remove(random.nextInt(lines.size()));
      case 1 -> {
        int i = random.nextInt(lines.size());
        lines.add(i, lines.get(i));
      }
      case 2 -> swap(lines, random);
      case 3 -> {
        tokens.remove(random.nextInt(tokens.size()));
        return String.join(" ", tokens);
      }
      case 4 -> {
        int i = random.nextInt(tokens.size());
        tokens.add(i, tokens.get(i));
        return String.join(" ", tokens);
      }
      case 5 -> {
        swap(tokens, random);
        return String.join(" ", tokens);
      }
      case 6 -> {
        return text.substring(0, random.nextInt(text.length() + 1));
      }
      case 7 -> {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + ALPHABET.get(random.nextInt(ALPHABET.size()))
            + text.substring(at);
      }
      default -> {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + (char) random.nextInt(0x3000) + text.substring(at);
      }
    }
    return String.join("\n", lines);
  }

  private static void swap(List<String> list, Random random) {
    int i = random.nextInt(list.size());
    int j = random.nextInt(list.size());
    String t = list.get(i);
    list.set(i, list.get(j));
    list.set(j, t);
  }

  @Test
  void pathologicalInputs() {
    String rule = "segment \"x\" when %s then tag \"x\" end\n";
    check("10k nested parentheses",
        rule.formatted("(".repeat(10_000) + "a = 1" + ")".repeat(10_000)));
    check("10k unclosed parentheses", rule.formatted("(".repeat(10_000)));
    check("10k nested brackets", rule.formatted("a in " + "[".repeat(10_000)));
    check("100k not", rule.formatted("not ".repeat(100_000) + "a = 1"));
    check("100k not in parentheses", rule.formatted("not (".repeat(20_000) + "a = 1"));
    check("1 MB string", "define S = \"" + "x".repeat(1 << 20) + "\"\n");
    check("1 MB unterminated string", "define S = \"" + "x".repeat(1 << 20));
    check("1 MB template", "nurture \"n\" then send \"" + "{{a}}".repeat(200_000) + "\" end");
    check("1 MB identifier", rule.formatted("a".repeat(1 << 20) + " = 1"));
    check("1 MB comment", "#" + "x".repeat(1 << 20));
    check("1 MB number", "define N = " + "9".repeat(1 << 20));
    check("100k and", rule.formatted("a = 1" + " and a = 1".repeat(100_000)));
    check("100k or", rule.formatted("a = 1" + " or a = 1".repeat(100_000)));
    check("100k and, broken at the end", rule.formatted("a = 1" + " and a = 1".repeat(100_000)
        + " and"));
    check("100k plus", rule.formatted("a" + " + 1".repeat(100_000) + " > 0"));
    check("100k actions", "segment \"x\" then " + "tag \"x\" ".repeat(100_000) + "end");
    check("20k rules", "segment \"x\" then tag \"x\" end\n".repeat(20_000));
    check("20k broken rules", "segment x then tag \"x\" end\n".repeat(20_000));
    check("100k junk words", "junk ".repeat(100_000));
    check("100k end", "end ".repeat(100_000));
    check("empty", "");
    check("only whitespace", " \n\t\r\n ");
  }

  @Test
  void deepNestingIsReportedNotCrashedOn() {
    ParseResult result = check("deep",
        "segment \"x\" when " + "(".repeat(10_000) + "a = 1" + ")".repeat(10_000)
            + " then tag \"x\" end\nsegment \"y\" then tag \"y\" end\n");
    assertThat(result.diagnostics()).extracting(Diagnostic::code)
        .containsExactly("nested-too-deeply");
    assertThat(result.file().items()).hasSize(1);
  }

  @Test
  void longChainsBuildLeftNestedTrees() {
    ParseResult result = check("chain", "segment \"x\" when a = 1" + " and a = 1".repeat(100_000)
        + " then tag \"x\" end");
    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.file().items()).hasSize(1);
  }

  private static ParseResult check(String name, String text) {
    Supplier<ParseResult> parse = () -> RulesParser.parse(new Source("fuzz.rules", text));
    ParseResult result = assertTimeoutPreemptively(TIME_BOX, parse::get,
        () -> name + " (seed " + SEED + ") did not finish: " + abbreviate(text));
    assertThat(result).as(name).isNotNull();
    assertThat(result.file()).as(name).isNotNull();
    int lines = text.split("\n", -1).length;
    Diagnostic previous = null;
    for (Diagnostic d : result.diagnostics()) {
      String context = name + " (seed " + SEED + "): " + d.render() + " for " + abbreviate(text);
      assertThat(d.span().line()).as(context).isBetween(1, lines);
      assertThat(d.span().column()).as(context).isPositive();
      assertThat(d.message()).as(context).isNotBlank()
          .doesNotContain("<EOF>", "mismatched input", "extraneous input", "no viable alternative",
              "token recognition", "IDENT", "ident", "BAD_NUMBER", "bad_number", "UNTERMINATED",
              "unterminated_string", "UNRECOGNIZED", "unrecognized");
      if (previous != null) {
        assertThat(d.span().line() * 1_000_000L + d.span().column()).as(context)
            .isGreaterThanOrEqualTo(previous.span().line() * 1_000_000L
                + previous.span().column());
      }
      previous = d;
    }
    if (result.diagnostics().isEmpty() && !text.isBlank()
        && !text.strip().startsWith("#")) {
      assertThat(result.file().items()).as(name + ": a clean file has items").isNotEmpty();
    }
    return result;
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
