package io.relais.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * golden/check: each NAME.rules beside NAME.diagnostics (rendered, one per line; empty means
 * clean), and each sub-folder NAME/ (a multi-file ruleset) beside NAME.diagnostics.
 */
class CheckGoldenTest {

  private static final Path FOLDER = Golden.folder("check");

  @TestFactory
  Stream<DynamicTest> everyGoldenFile() {
    return Golden.inputs(FOLDER, ".rules").stream().map(input -> DynamicTest.dynamicTest(
        input.getFileName().toString(),
        () -> Golden.assertMatches(Golden.sibling(input, ".diagnostics"), render(input))));
  }

  @TestFactory
  Stream<DynamicTest> everyGoldenFolder() {
    return folders().stream().map(folder -> DynamicTest.dynamicTest(
        folder.getFileName() + "/",
        () -> Golden.assertMatches(
            folder.resolveSibling(folder.getFileName() + ".diagnostics"), render(folder))));
  }

  @Test
  void everyExampleOfTheLanguageDocumentChecksClean() {
    var examples = Golden.inputs(FOLDER, ".rules").stream()
        .filter(p -> p.getFileName().toString().startsWith("dsl-md-"))
        .toList();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
    for (Path example : examples) {
      var result = RuleLanguage.check("example",
          List.of(new Source(example.getFileName().toString(), Golden.read(example))));
      assertThat(result.diagnostics()).as(example.toString()).isEmpty();
      assertThat(result.ruleset()).as(example.toString()).isPresent();
    }
  }

  /** Every code of {@link Codes} shows up in some golden file, errors and warnings alike. */
  @Test
  void theGoldenFilesCoverEveryDiagnosticCode() throws IOException {
    Set<String> seen = new TreeSet<>();
    for (Path input : Golden.inputs(FOLDER, ".rules")) {
      codes(RuleLanguage.check("golden", List.of(source(input))).diagnostics(), seen);
    }
    for (Path folder : folders()) {
      codes(RuleLanguage.check(RuleLanguage.load(folder)).diagnostics(), seen);
    }
    Set<String> expected = new TreeSet<>(allCodes());
    expected.removeAll(NEED_A_DMN_MODEL);
    assertThat(seen).containsAll(expected);
  }

  /**
   * Codes only a DMN model can produce: this module has no DMN engine, so the engine's
   * DmnGoldenTest covers them (docs/language.md ("Decision tables")).
   */
  static final Set<String> NEED_A_DMN_MODEL = Set.of(Codes.UNKNOWN_MODEL, Codes.UNKNOWN_DECISION,
      Codes.UNKNOWN_INPUT, Codes.UNBOUND_INPUT, Codes.NOT_A_SINGLE_VALUE, Codes.DMN_ERROR,
      Codes.DMN_OVERLAP, Codes.DMN_GAP, Codes.DMN_WARNING, Codes.DMN_EXTERNAL_FUNCTION,
      Codes.DMN_JAVA_PROPERTY, Codes.DMN_EXTERNAL_RESOURCE, Codes.DMN_RECURSION,
      Codes.DMN_ITERATION, Codes.DMN_REGEX, Codes.DMN_COST);

  static Set<String> allCodes() {
    Set<String> codes = new TreeSet<>();
    for (var field : Codes.class.getFields()) {
      try {
        codes.add((String) field.get(null));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return codes;
  }

  private static void codes(List<Diagnostic> diagnostics, Set<String> into) {
    diagnostics.forEach(d -> into.add(d.code()));
  }

  private static List<Path> folders() {
    try (Stream<Path> list = Files.list(FOLDER)) {
      return list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Source source(Path input) {
    return new Source(input.getFileName().toString(), Golden.read(input));
  }

  private static String render(Path input) throws IOException {
    var result = Files.isDirectory(input)
        ? RuleLanguage.check(RuleLanguage.load(input))
        : RuleLanguage.check("golden", List.of(source(input)));
    assertThat(result.ruleset().isPresent()).as("ruleset present iff no error")
        .isEqualTo(!result.hasErrors());
    return result.diagnostics().stream()
        .map(Diagnostic::render)
        .map(line -> line + "\n")
        .collect(Collectors.joining());
  }
}
