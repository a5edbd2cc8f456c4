package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.Codes;
import io.relais.dsl.diagnostic.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * The checks of docs/language.md ("Decision tables") with the engine's DMN models: golden/dmn/NAME/ (rules and
 * .dmn files) beside NAME.diagnostics. {@code -Dgolden.update=true} rewrites the expectations.
 */
class DmnGoldenTest {

  private static final Path FOLDER = Path.of("src/test/resources/golden/dmn");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  /** The codes only a DMN model can produce; the dsl module's golden files cover the rest. */
  static final Set<String> DMN_CODES = Set.of(Codes.UNKNOWN_MODEL, Codes.UNKNOWN_DECISION,
      Codes.UNKNOWN_INPUT, Codes.UNBOUND_INPUT, Codes.NOT_A_SINGLE_VALUE, Codes.DMN_ERROR,
      Codes.DMN_OVERLAP, Codes.DMN_GAP, Codes.DMN_WARNING, Codes.DMN_EXTERNAL_FUNCTION,
      Codes.DMN_JAVA_PROPERTY, Codes.DMN_EXTERNAL_RESOURCE, Codes.DMN_RECURSION,
      Codes.DMN_ITERATION, Codes.DMN_REGEX, Codes.DMN_COST);

  @TestFactory
  Stream<DynamicTest> everyGoldenFolder() throws IOException {
    return folders().stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName() + "/",
        () -> {
          Path expected = folder.resolveSibling(folder.getFileName() + ".diagnostics");
          String actual = render(check(folder));
          if (UPDATE) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
          }
          assertThat(expected).as("golden file (create it with -Dgolden.update=true)").exists();
          assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
        }));
  }

  @Test
  void theGoldenFoldersCoverEveryCodeThatNeedsAModel() throws IOException {
    Set<String> seen = new TreeSet<>();
    for (Path folder : folders()) {
      check(folder).diagnostics().forEach(d -> seen.add(d.code()));
    }
    assertThat(seen).containsAll(DMN_CODES);
  }

  private static CheckResult check(Path folder) throws IOException {
    CheckResult result = RuleLanguage.check(RuleLanguage.load(folder));
    assertThat(result.ruleset().isPresent()).as("ruleset present iff no error")
        .isEqualTo(!result.hasErrors());
    return result;
  }

  private static String render(CheckResult result) {
    return result.diagnostics().stream().map(Diagnostic::render).map(l -> l + "\n")
        .collect(Collectors.joining());
  }

  private static List<Path> folders() throws IOException {
    try (Stream<Path> list = Files.list(FOLDER)) {
      return list.filter(Files::isDirectory).sorted().toList();
    }
  }
}
