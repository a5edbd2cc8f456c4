package io.relais.dsl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new Main(o, e).run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static final String VALID =
      "segment \"Leasing pages\"\nwhen\n  event is page_visit\nthen\n  tag \"LEASING\"\nend\n";

  @Test
  void checkExitsZeroForAValidFile() throws IOException {
    Path file = write("leads.rules", VALID);

    assertThat(run("check", file.toString())).isEqualTo(Main.OK);
    assertThat(out()).isEqualTo("0 errors, 0 warnings in 1 file\n");
  }

  @Test
  void checkPrintsEveryErrorWithItsSourceLineAndExitsOne() throws IOException {
    Path file =
        write(
            "leads.rules",
            "scoring \"Visit\"\nwhen\n  contact.scroe > 5\nthen\n  add 1 to score\nend\n");

    assertThat(run("check", file.toString())).isEqualTo(Main.PROBLEMS);
    assertThat(out())
        .contains("leads.rules:3:3: error: unknown field contact.scroe — did you mean contact.score?")
        .contains("\n    contact.scroe > 5\n    ^\n")
        .endsWith("1 error, 0 warnings in 1 file\n");
  }

  @Test
  void checkTreatsAFolderAsOneRuleset() throws IOException {
    write("shop/a.rules", "define HOT = 100\n");
    write(
        "shop/b.rules",
        "scoring \"Hot\"\nwhen\n  contact.score > HOT\nthen\n  add 1 to score\nend\n");

    assertThat(run("check", dir.resolve("shop").toString())).isEqualTo(Main.OK);
    assertThat(out()).isEqualTo("0 errors, 0 warnings in 2 files\n");
  }

  @Test
  void warningsAloneDoNotFailTheCheck() throws IOException {
    Path file =
        write("w.rules", "segment \"Old\"\nwhen\n  contact.age > 200\nthen\n  tag \"OLD\"\nend\n");

    assertThat(run("check", file.toString())).isEqualTo(Main.OK);
    assertThat(out()).contains(": warning: ").endsWith("0 errors, 1 warning in 1 file\n");
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    Path notRules = write("notes.txt", "hello");

    assertThat(run()).isEqualTo(Main.USAGE);
    assertThat(run("frobnicate")).isEqualTo(Main.USAGE);
    assertThat(run("check")).isEqualTo(Main.USAGE);
    assertThat(run("check", dir.resolve("missing.rules").toString())).isEqualTo(Main.USAGE);
    assertThat(run("check", notRules.toString())).isEqualTo(Main.USAGE);
    assertThat(run("format", "--frob", notRules.toString())).isEqualTo(Main.USAGE);
    assertThat(run("lsp", "--port", "4000")).isEqualTo(Main.USAGE);
    assertThat(err()).contains("unknown command `frobnicate`").contains("no such file or folder")
        .contains("lsp takes no arguments");
  }

  @Test
  void helpExitsZero() {
    assertThat(run("--help")).isEqualTo(Main.OK);
    assertThat(out()).contains("relais check PATH...").contains("relais format [--check] PATH...")
        .contains("relais lsp");
  }

  @Test
  void formatRewritesFilesInPlaceAndLeavesCanonicalOnesAlone() throws IOException {
    Path messy = write("r/messy.rules", "SEGMENT \"Leasing pages\" WHEN event is page_visit THEN tag \"LEASING\" END");
    Path tidy = write("r/tidy.rules", VALID.replace("Leasing pages", "Other"));
    long tidyModified = Files.getLastModifiedTime(tidy).toMillis();

    assertThat(run("format", dir.resolve("r").toString())).isEqualTo(Main.OK);
    assertThat(Files.readString(messy)).isEqualTo(VALID);
    assertThat(Files.getLastModifiedTime(tidy).toMillis()).isEqualTo(tidyModified);
    assertThat(out()).contains("messy.rules: formatted").doesNotContain("tidy.rules");
  }

  @Test
  void formatCheckWritesNothingAndExitsOneWhenAFileWouldChange() throws IOException {
    String messyText = "segment \"A\" then tag \"X\" end\n";
    Path messy = write("m.rules", messyText);

    assertThat(run("format", "--check", messy.toString())).isEqualTo(Main.PROBLEMS);
    assertThat(Files.readString(messy)).isEqualTo(messyText);
    assertThat(out()).contains("m.rules: would be reformatted");
  }

  @Test
  void formatCheckExitsZeroWhenEverythingIsCanonical() throws IOException {
    Path tidy = write("t.rules", VALID);

    assertThat(run("format", "--check", tidy.toString())).isEqualTo(Main.OK);
  }

  @Test
  void formatLeavesFilesWithSyntaxErrorsAloneAndSaysWhy() throws IOException {
    String broken = "segment \"A\"\nwen event is page_visit\nthen tag \"X\"\nend\n";
    Path file = write("broken.rules", broken);

    assertThat(run("format", file.toString())).isEqualTo(Main.PROBLEMS);
    assertThat(Files.readString(file)).isEqualTo(broken);
    assertThat(out()).contains("broken.rules:2:1: error:").contains("not formatted");
  }
}
