package io.relais.dsl.cli;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.format.Formatter;
import io.relais.dsl.lsp.LanguageServerMain;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code relais check PATH...}, {@code relais format [--check] PATH...} and {@code relais lsp}.
 * Exit codes: 0 all good, 1 problems found (errors, or files a {@code --check} would reformat;
 * for {@code lsp}, an {@code exit} without {@code shutdown}), 2 usage.
 */
public final class Main {

  public static final int OK = 0;
  public static final int PROBLEMS = 1;
  public static final int USAGE = 2;

  private static final String HELP =
      """
      Usage:
        relais check PATH...           check rulesets; PATH is a ruleset folder or a .rules file
        relais format [--check] PATH...  rewrite files in the canonical layout
        relais lsp                     the language server for editors (docs/editors.md)
        relais --help

      check   prints every problem as file:line:column: error|warning: message, with the
              source line; exits 0 when valid (warnings allowed), 1 on errors.
      format  rewrites each file that is not in canonical layout; files with syntax errors are
              left alone and reported. With --check nothing is written: the files that would
              change are listed and the exit code is 1 if there are any.
      lsp     speaks the Language Server Protocol on standard input and output until the
              editor says exit; a folder's .rules and .dmn files are checked as one ruleset.
      Exit code 2: the command line itself is wrong (unknown command, no PATH, missing file).
      """;

  private final PrintStream out;
  private final PrintStream err;

  public Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.out, System.err).run(args));
  }

  /** Runs one command and returns its exit code. */
  public int run(String... args) {
    if (args.length == 0) {
      err.print(HELP);
      return USAGE;
    }
    String command = args[0];
    List<String> rest = List.of(args).subList(1, args.length);
    try {
      return switch (command) {
        case "--help", "-h", "help" -> {
          out.print(HELP);
          yield OK;
        }
        case "check" -> check(rest);
        case "format" -> format(rest);
        // `--stdio` is what some LSP clients add; standard input and output is all it speaks.
        case "lsp" -> rest.isEmpty() || rest.equals(List.of("--stdio"))
            ? LanguageServerMain.run(System.in, DecisionModels.installed())
            : usage("lsp takes no arguments (--stdio is allowed): the editor sends the files");
        default -> usage("unknown command `" + command + "`");
      };
    } catch (UncheckedIOException e) {
      err.println("relais: " + e.getCause().getMessage());
      return USAGE;
    }
  }

  private int usage(String problem) {
    err.println("relais: " + problem);
    err.println("Try `relais --help`.");
    return USAGE;
  }

  // ---- check ----

  private int check(List<String> args) {
    List<Path> paths = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("-")) {
        return usage("unknown option `" + arg + "` for check");
      }
      paths.add(Path.of(arg));
    }
    if (paths.isEmpty()) {
      return usage("check needs at least one PATH (a ruleset folder or a .rules file)");
    }
    for (Path path : paths) {
      String problem = pathProblem(path);
      if (problem != null) {
        return usage(problem);
      }
    }
    int errors = 0;
    int warnings = 0;
    int files = 0;
    for (Path path : paths) {
      RulesetSources ruleset = load(path);
      files += ruleset.sources().size();
      CheckResult result = RuleLanguage.check(ruleset);
      Map<String, Source> byName =
          ruleset.sources().stream()
              .collect(Collectors.toMap(Source::name, Function.identity(), (a, b) -> a));
      for (Diagnostic diagnostic : result.diagnostics()) {
        Source source = byName.get(diagnostic.span().file());
        out.println(source == null ? diagnostic.render() : diagnostic.renderWithSource(source));
        if (diagnostic.isError()) {
          errors++;
        } else {
          warnings++;
        }
      }
    }
    out.println(
        count(errors, "error") + ", " + count(warnings, "warning") + " in " + count(files, "file"));
    return errors > 0 ? PROBLEMS : OK;
  }

  // A typo in a path must not pass for "nothing to check".
  private static String pathProblem(Path path) {
    if (!Files.exists(path)) {
      return "no such file or folder: " + path;
    }
    if (!Files.isDirectory(path) && !path.getFileName().toString().endsWith(RuleLanguage.EXTENSION)) {
      return "not a " + RuleLanguage.EXTENSION + " file: " + path;
    }
    return null;
  }

  private static RulesetSources load(Path path) {
    try {
      return RuleLanguage.load(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  // ---- format ----

  private int format(List<String> args) {
    boolean checkOnly = false;
    List<Path> paths = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--check")) {
        checkOnly = true;
      } else if (arg.startsWith("-")) {
        return usage("unknown option `" + arg + "` for format");
      } else {
        paths.add(Path.of(arg));
      }
    }
    if (paths.isEmpty()) {
      return usage("format needs at least one PATH (a ruleset folder or a .rules file)");
    }
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      String problem = pathProblem(path);
      if (problem != null) {
        return usage(problem);
      }
      files.addAll(ruleFiles(path));
    }
    int changed = 0;
    int broken = 0;
    for (Path file : files) {
      String text = read(file);
      ParseResult parsed = RulesParser.parse(new Source(file.getFileName().toString(), text));
      if (parsed.hasErrors()) {
        Source source = new Source(file.getFileName().toString(), text);
        parsed.diagnostics().forEach(d -> out.println(d.renderWithSource(source)));
        out.println(file + ": not formatted: fix the syntax errors first");
        broken++;
        continue;
      }
      String formatted = Formatter.format(parsed.file());
      if (formatted.equals(text)) {
        continue;
      }
      changed++;
      if (checkOnly) {
        out.println(file + ": would be reformatted");
      } else {
        write(file, formatted);
        out.println(file + ": formatted");
      }
    }
    String verb = checkOnly ? "to reformat" : "reformatted";
    out.println(
        count(changed, "file")
            + " "
            + verb
            + (broken > 0 ? ", " + count(broken, "file") + " with syntax errors" : "")
            + " of "
            + files.size());
    return broken > 0 || (checkOnly && changed > 0) ? PROBLEMS : OK;
  }

  private static List<Path> ruleFiles(Path path) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> list = Files.list(path)) {
      return list.filter(p -> p.getFileName().toString().endsWith(RuleLanguage.EXTENSION))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
