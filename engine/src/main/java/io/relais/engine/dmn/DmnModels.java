package io.relais.engine.dmn;

import io.relais.dsl.ast.ValueType;
import io.relais.dsl.check.Codes;
import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.validation.DMNValidator;
import org.kie.dmn.validation.DMNValidatorFactory;
import org.kie.kogito.dmn.DMNKogito;
import org.xml.sax.SAXParseException;

/**
 * Loads {@code .dmn} files with Kogito at run time (no build step) and validates them: XML,
 * DMN schema, model, FEEL, and the decision table analysis (overlaps under a UNIQUE hit
 * policy are errors, gaps warnings). A file's text is loaded once and shared by the checker
 * and every compiled ruleset that reads it: building a DMN runtime takes a while.
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

  private static final Map<String, Loaded> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
      return size() > CACHED;
    }
  };

  private static DMNValidator validator;

  private DmnModels() {}

  /**
   * One loaded file: what the checker sees ({@code model}), and the runtime to evaluate it with
   * (null when the file has errors).
   */
  public record Loaded(DecisionModels.Model model, DMNRuntime runtime, DMNModel dmn) {}

  /** The file loaded and validated, from the cache when its text was seen before. */
  public static Loaded load(Source file) {
    String key = file.name() + "\u0000" + file.text();
    synchronized (CACHE) {
      Loaded cached = CACHE.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Loaded loaded = read(file);
    synchronized (CACHE) {
      CACHE.put(key, loaded);
    }
    return loaded;
  }

  private static Loaded read(Source file) {
    String name = file.name();
    String text = file.text();
    List<Diagnostic> diagnostics = new ArrayList<>();
    Optional<Diagnostic> xml = wellFormed(file);
    if (xml.isPresent()) {
      return new Loaded(new DecisionModels.Model(name, Optional.empty(), List.of(), List.of(),
          List.of(xml.get())), null, null);
    }
    for (DMNMessage m : validate(text)) {
      diagnostic(file, m, true).ifPresent(diagnostics::add);
    }
    DMNRuntime runtime = null;
    DMNModel model = null;
    try {
      // No custom profiles; no run-time type check: a value outside an item definition's
      // allowed values reaches the rules, which decide what to do with it.
      runtime = DMNKogito.createGenericDMNRuntime(Set.of(), false, new StringReader(text));
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
      diagnostic(file, m, false).ifPresent(diagnostics::add);
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

  /** The XML itself, checked first: Kogito's own parser reports no position. */
  private static Optional<Diagnostic> wellFormed(Source file) {
    try {
      XMLInputFactory factory = XMLInputFactory.newFactory();
      factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
      factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
      XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(file.text()));
      while (reader.hasNext()) {
        reader.next();
      }
      return Optional.empty();
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNumber());
      int column = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getColumnNumber());
      String message = e.getMessage();
      int at = message.indexOf("Message: ");
      message = at >= 0 ? message.substring(at + "Message: ".length()) : message;
      return Optional.of(Diagnostic.error(Codes.DMN_ERROR, SourceSpan.at(file.name(), line, column),
          "not well-formed XML: " + message.strip()));
    }
  }

  private static List<DMNMessage> validate(String text) {
    synchronized (DmnModels.class) {
      if (validator == null) {
        validator = DMNValidatorFactory.newValidator();
      }
      try {
        return validator.validate(new StringReader(text), DMNValidator.Validation.VALIDATE_SCHEMA,
            DMNValidator.Validation.VALIDATE_MODEL, DMNValidator.Validation.ANALYZE_DECISION_TABLE);
      } catch (RuntimeException e) {
        return List.of(); // the runtime's own load reports what is wrong
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
