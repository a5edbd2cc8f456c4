package io.relais.engine.dmn;

import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.Codes;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.io.ReaderResource;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.core.compiler.RuntimeTypeCheckOption;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;
import org.kie.dmn.validation.DMNValidator;
import org.kie.dmn.validation.DMNValidatorFactory;
import org.xml.sax.SAXParseException;

/**
 * Loads {@code .dmn} files with Kogito at run time (no build step) and validates them: XML,
 * DMN schema, model, FEEL, and the decision table analysis (overlaps under a UNIQUE hit
 * policy are errors, gaps warnings). A file's text is loaded once and shared by the checker
 * and every compiled ruleset that reads it: building a DMN runtime takes a while.
 *
 * <p>No DMN file runs code or reaches the network (docs/language.md, "Decision tables (DMN)"):
 * {@link DmnScreen} refuses doctypes, entities, XInclude, imports and external functions before
 * Kogito reads the text, and Kogito's validator and runtime load Java classes with a class
 * loader that loads none, in case an external function ever got past the screen.
 */
public final class DmnModels {

  /** How many distinct file texts stay loaded (every version of every ruleset's tables). */
  private static final int CACHED = 64;

  /** Kogito's words before a schema message; the message itself is what authors need. */
  private static final Pattern SCHEMA_PREFIX =
      Pattern.compile("^Failed XML validation of DMN file: [^-]*- (cvc-[^:]*: )?");
  /** What the validator says when a file is no DMN model at all: a cascade of a schema error. */
  private static final String CANNOT_VALIDATE = "Validation of the DMN Model cannot be performed";

  private static final Pattern SAX_POSITION =
      Pattern.compile("lineNumber: (\\d+); columnNumber: (\\d+)");

  private static final Map<String, CompletableFuture<Loaded>> CACHE =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Loaded>> eldest) {
          return size() > CACHED;
        }
      };

  /** Validators not in use, at most {@link #IDLE_VALIDATORS_KEPT}. */
  private static final Queue<DMNValidator> IDLE_VALIDATORS = new ConcurrentLinkedQueue<>();
  private static final int IDLE_VALIDATORS_KEPT = 4;

  /**
   * The root class loader of every DMN runtime: it loads nothing, not even the JDK's classes, so
   * that FEEL can reach no Java class by name (docs/language.md, "Decision tables (DMN)").
   */
  static final ClassLoader NO_CLASSES = new ClassLoader(null) {
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      throw new ClassNotFoundException(name + " (a DMN model loads no Java class)");
    }

    @Override
    public URL getResource(String name) {
      return null;
    }

    @Override
    public Enumeration<URL> getResources(String name) {
      return Collections.emptyEnumeration();
    }
  };

  private DmnModels() {}

  /**
   * One loaded file: what the checker sees ({@code model}), and the runtime to evaluate it with
   * (null when the file has errors).
   */
  public record Loaded(DecisionModels.Model model, DMNRuntime runtime, DMNModel dmn) {}

  /**
   * The file loaded and validated, from the cache when its text was seen before. Files load in
   * parallel: the cache's lock is held only to find or add an entry, never while a file is read
   * or validated; callers that ask for a text being loaded wait for that load, not for others.
   */
  public static Loaded load(Source file) {
    return load(file, DmnModels::read);
  }

  /** {@link #load(Source)} with {@code read} reading a file not in the cache (tests). */
  static Loaded load(Source file, Function<Source, Loaded> read) {
    String key = file.name() + "\u0000" + file.text();
    CompletableFuture<Loaded> mine = new CompletableFuture<>();
    CompletableFuture<Loaded> known;
    synchronized (CACHE) {
      known = CACHE.putIfAbsent(key, mine);
    }
    if (known != null) {
      return known.join();
    }
    try {
      Loaded loaded = read.apply(file);
      mine.complete(loaded);
      return loaded;
    } catch (RuntimeException | Error e) {
      synchronized (CACHE) {
        CACHE.remove(key, mine); // the next caller tries again
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private static Loaded read(Source file) {
    // Screened first: no DMN library sees a file with a doctype, an import or a Java function.
    List<Diagnostic> refused = DmnScreen.screen(file);
    if (!refused.isEmpty()) {
      return new Loaded(new DecisionModels.Model(file.name(), Optional.empty(), List.of(),
          List.of(), refused), null, null);
    }
    return compile(file);
  }

  /**
   * Kogito's validation and runtime for a screened file. Tests call it directly to see what the
   * runtime does with a file the screen would refuse.
   */
  static Loaded compile(Source file) {
    String name = file.name();
    String text = file.text();
    List<Diagnostic> diagnostics = new ArrayList<>();
    // Kogito's table analysis takes time and finds gaps that grow fast with a table's size
    // (a 516 KB table: 100 s and 800,000 gaps): a large table is not analysed.
    Optional<DmnScreen.Table> largest = DmnScreen.tables(file).stream()
        .max(java.util.Comparator.comparingLong(DmnScreen.Table::cells));
    boolean analyse = largest.isEmpty() || largest.get().cells() <= MAX_ANALYSED_CELLS;
    Shown shown = new Shown();
    for (DMNMessage m : validate(text, analyse)) {
      shown.add(m, () -> diagnostic(file, m, true), diagnostics);
    }
    if (!analyse) {
      DmnScreen.Table table = largest.get();
      diagnostics.add(Diagnostic.warning(Codes.DMN_WARNING, table.at(), "this table has "
          + table.rows() + " rows of " + table.inputs() + " inputs, more than the "
          + Lin.number(MAX_ANALYSED_CELLS) + " cells Relais analyses: the file's tables are not"
          + " checked for gaps and overlaps (rows of a UNIQUE table that overlap make its"
          + " decision fail when they match together); split the table"));
    }
    DMNRuntime runtime = null;
    DMNModel model = null;
    try {
      runtime = runtime(text);
      model = runtime.getModels().isEmpty() ? null : runtime.getModels().get(0);
    } catch (RuntimeException e) {
      diagnostics.add(Diagnostic.error(Codes.DMN_ERROR, SourceSpan.at(name, 1, 1),
          "this DMN model cannot be loaded: " + e.getMessage()));
    }
    if (diagnostics.stream().anyMatch(d -> d.isError() && d.message().startsWith("not valid DMN"))) {
      // A schema error explains everything else; the loaders' failures after it are noise.
      diagnostics.removeIf(d -> d.message().startsWith(CANNOT_VALIDATE)
          || d.message().startsWith("this DMN model cannot be loaded"));
    }
    if (model == null) {
      return new Loaded(new DecisionModels.Model(name, Optional.empty(), List.of(), List.of(),
          dedupe(diagnostics)), null, null);
    }
    for (DMNMessage m : model.getMessages()) {
      shown.add(m, () -> diagnostic(file, m, false), diagnostics);
    }
    shown.summaries().forEach(diagnostics::add);
    if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
      // A model Kogito accepts is evaluated only if what it can cost is bounded: nothing can
      // stop an evaluation once it runs (docs/language.md, "What a DMN file may compute").
      diagnostics.addAll(FeelBounds.screen(file, model));
    }
    List<Diagnostic> all = dedupe(diagnostics);
    List<DecisionModels.Variable> inputs = new ArrayList<>();
    model.getInputs().forEach(i -> inputs.add(variable(file, i.getName(), i.getId(), i.getType())));
    List<DecisionModels.Variable> decisions = new ArrayList<>();
    model.getDecisions().forEach(d ->
        decisions.add(variable(file, d.getName(), d.getId(), d.getResultType())));
    boolean failed = all.stream().anyMatch(Diagnostic::isError);
    return new Loaded(new DecisionModels.Model(name, Optional.of(model.getName()), inputs,
        decisions, all), failed ? null : runtime, failed ? null : model);
  }

  /**
   * A DMN runtime for one file, as {@code DMNKogito.createGenericDMNRuntime} builds it (Kogito's
   * default profiles; no run-time type check: a value outside an item definition's allowed
   * values reaches the rules, which decide what to do with it), with a root class loader that
   * loads no class. FEEL's external functions (and Java function definitions) load their class
   * with that loader: were one ever to get past the screen, it would fail with "class not found"
   * before any class is loaded, initialized or called.
   */
  static DMNRuntime runtime(String text) {
    return DMNRuntimeBuilder.fromDefaults()
        .setRootClassLoader(NO_CLASSES)
        .setOption(new RuntimeTypeCheckOption(false))
        .buildConfiguration()
        .fromResources(List.of(new ReaderResource(new StringReader(text))))
        .getOrElseThrow(e -> new IllegalStateException("Error initializing DMNRuntime", e));
  }

  /** Table cells (rows × inputs) beyond which a file's tables are not analysed. */
  static final int MAX_ANALYSED_CELLS = 1_000;
  /** Diagnostics of one kind reported per file; the rest are counted in one more. */
  static final int SHOWN_PER_KIND = 100;

  /**
   * The diagnostics of each kind of message ({@code DECISION_TABLE_GAP}, ...) beyond the first
   * {@link #SHOWN_PER_KIND}: counted, and summed up in one more of that kind, so that a file's
   * diagnostics stay few whatever its tables.
   */
  private static final class Shown {
    private final Map<String, Integer> seen = new LinkedHashMap<>();
    private final Map<String, Diagnostic> firstHidden = new LinkedHashMap<>();

    /** Adds {@code m} as a diagnostic (converted only when shown: finding its line costs). */
    void add(DMNMessage m, java.util.function.Supplier<Optional<Diagnostic>> diagnostic,
        List<Diagnostic> into) {
      String kind = m.getMessageType() + "/" + m.getSeverity();
      int n = seen.merge(kind, 1, Integer::sum);
      if (n <= SHOWN_PER_KIND) {
        diagnostic.get().ifPresent(into::add);
      } else if (!firstHidden.containsKey(kind)) {
        diagnostic.get().ifPresent(d -> firstHidden.put(kind, d));
      }
    }

    List<Diagnostic> summaries() {
      List<Diagnostic> summaries = new ArrayList<>();
      firstHidden.forEach((kind, d) -> {
        String text = (seen.get(kind) - SHOWN_PER_KIND) + " more like the above, not shown";
        summaries.add(d.isError() ? Diagnostic.error(d.code(), d.span(), text)
            : Diagnostic.warning(d.code(), d.span(), text));
      });
      return summaries;
    }
  }

  private static List<DMNMessage> validate(String text, boolean analyseTables) {
    // A validator is used by one validation at a time: validations run in parallel, each with
    // a validator of its own, taken from the idle ones or made (making one takes ~100 ms).
    DMNValidator validator = IDLE_VALIDATORS.poll();
    if (validator == null) {
      // The class loader the validator compiles functions with: the runtime's, loading nothing.
      validator = DMNValidatorFactory.newValidator(NO_CLASSES, List.of());
    }
    try {
      return analyseTables
          ? validator.validate(new StringReader(text), DMNValidator.Validation.VALIDATE_SCHEMA,
              DMNValidator.Validation.VALIDATE_MODEL, DMNValidator.Validation.ANALYZE_DECISION_TABLE)
          : validator.validate(new StringReader(text), DMNValidator.Validation.VALIDATE_SCHEMA,
              DMNValidator.Validation.VALIDATE_MODEL);
    } catch (RuntimeException e) {
      return List.of(); // the runtime's own load reports what is wrong
    } finally {
      if (IDLE_VALIDATORS.size() < IDLE_VALIDATORS_KEPT) {
        IDLE_VALIDATORS.offer(validator);
      } else {
        validator.dispose();
      }
    }
  }

  /** A validator or compiler message as a diagnostic at the element it is about. */
  private static Optional<Diagnostic> diagnostic(Source file, DMNMessage m, boolean validator) {
    String type = m.getMessageType() == null ? "" : m.getMessageType().name();
    SourceSpan span = position(file, m);
    String text = String.valueOf(m.getMessage());
    Matcher schema = SCHEMA_PREFIX.matcher(text);
    if (schema.find()) {
      text = "not valid DMN: " + text.substring(schema.end());
    }
    return switch (m.getSeverity()) {
      case ERROR -> Optional.of(type.equals("DECISION_TABLE_OVERLAP_HITPOLICY_UNIQUE")
          ? Diagnostic.error(Codes.DMN_OVERLAP, span, text)
          // The hit policy recommender repeats an overlap already reported as an error.
          : type.equals("DECISION_TABLE_HITPOLICY_RECOMMENDER")
              ? Diagnostic.warning(Codes.DMN_WARNING, span, text)
              : Diagnostic.error(Codes.DMN_ERROR, span, text));
      case WARN -> Optional.of(type.equals("DECISION_TABLE_GAP") && text.startsWith("Gap detected")
          ? Diagnostic.warning(Codes.DMN_GAP, span, text)
          : Diagnostic.warning(Codes.DMN_WARNING, span, text));
      default -> Optional.empty();
    };
  }

  private static SourceSpan position(Source file, DMNMessage m) {
    Throwable e = m.getException();
    while (e != null) {
      if (e instanceof SAXParseException sax && sax.getLineNumber() > 0) {
        return SourceSpan.at(file.name(), sax.getLineNumber(), Math.max(1, sax.getColumnNumber()));
      }
      e = e.getCause();
    }
    Matcher sax = SAX_POSITION.matcher(String.valueOf(m.getMessage()));
    if (sax.find()) {
      return SourceSpan.at(file.name(), Integer.parseInt(sax.group(1)),
          Math.max(1, Integer.parseInt(sax.group(2))));
    }
    return element(file, m.getSourceId());
  }

  /** Where the element with {@code id} starts: line and column of its {@code <}. */
  static SourceSpan element(Source file, String id) {
    String text = file.text();
    int at = -1;
    if (id != null && !id.isEmpty()) {
      at = text.indexOf("id=\"" + id + "\"");
      if (at < 0) {
        at = text.indexOf("id='" + id + "'");
      }
    }
    if (at < 0) {
      return SourceSpan.at(file.name(), 1, 1);
    }
    int start = text.lastIndexOf('<', at);
    at = start < 0 ? at : start;
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < at; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return SourceSpan.at(file.name(), line, at - lineStart + 1);
  }

  private static List<Diagnostic> dedupe(List<Diagnostic> diagnostics) {
    Set<String> seen = new LinkedHashSet<>();
    List<Diagnostic> unique = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      if (seen.add(d.render())) {
        unique.add(d);
      }
    }
    return unique;
  }

  private static DecisionModels.Variable variable(Source file, String name, String id, DMNType type) {
    SourceSpan span = element(file, id);
    if (type == null) {
      return new DecisionModels.Variable(name, "Any", Optional.empty(), true, span);
    }
    String written = type.getName();
    if (type.isCollection() || type.isComposite()) {
      return new DecisionModels.Variable(name, written, Optional.empty(), false, span);
    }
    for (DMNType t = type; t != null; t = t.getBaseType()) {
      if (t.isCollection() || t.isComposite()) {
        return new DecisionModels.Variable(name, written, Optional.empty(), false, span);
      }
      String builtIn = t.getName();
      if (builtIn == null) {
        continue;
      }
      switch (builtIn) {
        case "string":
          return new DecisionModels.Variable(name, written, Optional.of(ValueType.TEXT), false, span);
        case "number":
          return new DecisionModels.Variable(name, written, Optional.of(ValueType.NUMBER), false, span);
        case "boolean":
          return new DecisionModels.Variable(name, written, Optional.of(ValueType.BOOLEAN), false, span);
        case "date":
          return new DecisionModels.Variable(name, written, Optional.of(ValueType.DATE), false, span);
        case "Any":
          return new DecisionModels.Variable(name, written, Optional.empty(), true, span);
        default:
          break;
      }
    }
    return new DecisionModels.Variable(name, written, Optional.empty(), false, span);
  }
}
