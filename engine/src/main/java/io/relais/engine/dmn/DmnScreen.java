package io.relais.engine.dmn;

import io.relais.dsl.check.Codes;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.kie.dmn.core.ast.DMNDecisionServiceFunctionDefinitionEvaluator;
import org.kie.dmn.core.ast.DMNFunctionDefinitionEvaluator;
import org.kie.dmn.core.ast.DMNFunctionWithReturnType;
import org.kie.dmn.feel.lang.FEELProperty;
import org.kie.dmn.feel.parser.feel11.FEEL_1_1Lexer;
import org.kie.dmn.feel.parser.feel11.profiles.KieExtendedFEELProfile;
import org.kie.dmn.feel.runtime.FEELFunction;
import org.kie.dmn.feel.runtime.functions.BuiltInFunctions;
import org.kie.dmn.feel.runtime.functions.CustomFEELFunction;
import org.kie.dmn.feel.runtime.functions.DTInvokerFunction;
import org.kie.dmn.feel.runtime.functions.JavaFunction;

/**
 * What a {@code .dmn} file may hold, read before any DMN library sees it (docs/language.md,
 * "Decision tables (DMN)"): a DMN file never runs code and never reaches a file or the network.
 *
 * <p>The text is read once with the JDK's own StAX parser, with DTDs, external entities and
 * external schemas off, and refused at the first:
 * <ul>
 *   <li>{@code <!DOCTYPE>}: a DTD can name a URL or a file, and declare entities
 *       ({@code <!ENTITY x SYSTEM "file:///etc/passwd">}) that XML parsers further on would read;
 *   <li>an XInclude element, and a DMN {@code <import>}: a file is read alone, nothing it names
 *       is fetched;
 *   <li>a function definition whose {@code kind} is not FEEL ({@code Java}, {@code PMML}), and a
 *       FEEL {@code function(...) external {...}} in any {@code <text>} (literal expressions,
 *       table cells, allowed values, contexts, at any depth): both call Java classes;
 *   <li>a FEEL path {@code .name} that Kogito would read by calling a Java method giving more
 *       than a text, number or boolean ({@code "abc".class.classLoader}): see
 *       {@link #javaProperty}.
 * </ul>
 * FEEL is read with Kogito's own FEEL lexer on the text as XML gives it (character references
 * decoded, CDATA and the pieces around comments joined), so the screen sees the tokens the DMN
 * engine would parse, whatever the spacing, comments or escapes.
 */
final class DmnScreen {

  private static final String XINCLUDE = "http://www.w3.org/2001/XInclude";

  private DmnScreen() {}

  /** The file's refusals, or its first XML error; empty when Kogito may read it. */
  static List<Diagnostic> screen(Source file) {
    Positions positions = new Positions(file);
    List<Diagnostic> refused = new ArrayList<>();
    // The character data of the <text> element being read, and where its start tag is.
    StringBuilder[] feel = new StringBuilder[1];
    SourceSpan[] feelAt = new SourceSpan[1];
    int[] depth = {0, -1}; // the element's, the <text>'s
    try {
      read(file.text(), (reader, event) -> {
        switch (event) {
          case XMLStreamConstants.DTD -> {
            // Nothing after a doctype is read: its entities would change what follows.
            refused.add(Diagnostic.error(Codes.DMN_EXTERNAL_RESOURCE,
                positions.before(reader, "<!DOCTYPE"),
                "a DOCTYPE is not allowed in a DMN file: a DTD can make the service read a"
                    + " file or a URL; remove the <!DOCTYPE ...> declaration"));
            return false;
          }
          case XMLStreamConstants.ENTITY_REFERENCE ->
            // Not reached with DTDs off (an undeclared entity is an XML error); kept as a guard.
            refused.add(Diagnostic.error(Codes.DMN_EXTERNAL_RESOURCE,
                positions.before(reader, "&"),
                "the entity reference &" + reader.getLocalName() + "; is not allowed in a DMN"
                    + " file"));
          case XMLStreamConstants.START_ELEMENT -> {
            depth[0]++;
            SourceSpan at = positions.before(reader, "<");
            element(reader, at).ifPresent(refused::add);
            if (feel[0] == null && "text".equals(reader.getLocalName())) {
              feel[0] = new StringBuilder();
              feelAt[0] = at;
              depth[1] = depth[0];
            }
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (feel[0] != null) {
              feel[0].append(reader.getText());
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            if (feel[0] != null && depth[0] == depth[1]) {
              feel(feel[0].toString(), feelAt[0]).ifPresent(refused::add);
              feel[0] = null;
            }
            depth[0]--;
          }
          default -> {
            // Comments and processing instructions hold no FEEL and fetch nothing.
          }
        }
        return true;
      });
      return refused;
    } catch (XMLStreamException e) {
      return List.of(notWellFormed(file, e));
    }
  }

  /** What {@link #read} calls with each event: false to stop reading. */
  @FunctionalInterface
  interface Events {
    boolean on(XMLStreamReader reader, int event) throws XMLStreamException;
  }

  /** Reads {@code xml} with the screen's parser (see {@link #factory}), event by event. */
  static void read(String xml, Events events) throws XMLStreamException {
    XMLStreamReader reader = factory().createXMLStreamReader(new StringReader(xml));
    try {
      while (reader.hasNext() && events.on(reader, reader.next())) {
        // each event handled by events
      }
    } finally {
      reader.close();
    }
  }

  /** A decision table of a file: where it starts, its rows and its inputs. */
  record Table(SourceSpan at, int rows, int inputs) {
    long cells() {
      return (long) rows * Math.max(1, inputs);
    }
  }

  /** The decision tables of a file the screen accepted, in file order. */
  static List<Table> tables(Source file) {
    List<Table> tables = new ArrayList<>();
    Positions positions = new Positions(file);
    SourceSpan[] at = new SourceSpan[1];
    int[] count = {0, -1, 0, 0}; // depth, the table's depth, rows, inputs
    try {
      read(file.text(), (reader, event) -> {
        if (event == XMLStreamConstants.START_ELEMENT) {
          count[0]++;
          String name = reader.getLocalName();
          if (count[1] < 0 && "decisionTable".equals(name)) {
            at[0] = positions.before(reader, "<");
            count[1] = count[0];
            count[2] = 0;
            count[3] = 0;
          } else if (count[0] == count[1] + 1 && "rule".equals(name)) {
            count[2]++;
          } else if (count[0] == count[1] + 1 && "input".equals(name)) {
            count[3]++;
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (count[0] == count[1]) {
            tables.add(new Table(at[0], count[2], count[3]));
            count[1] = -1;
          }
          count[0]--;
        }
        return true;
      });
    } catch (XMLStreamException e) {
      // Not well-formed: reported by the screen; such a file has no tables to analyse.
    }
    return tables;
  }

  /**
   * Every {@code <text>} of a file the screen accepted, in file order: the offset of its start
   * tag and its content as XML gives it (references decoded, CDATA joined).
   */
  static List<Map.Entry<Integer, String>> texts(Source file) {
    String xml = file.text();
    List<Map.Entry<Integer, String>> found = new ArrayList<>();
    StringBuilder[] content = new StringBuilder[1];
    int[] at = {0, 0, -1}; // start offset, depth, the <text>'s depth
    try {
      read(xml, (reader, event) -> {
        if (event == XMLStreamConstants.START_ELEMENT) {
          at[1]++;
          if (content[0] == null && "text".equals(reader.getLocalName())) {
            content[0] = new StringBuilder();
            int after = reader.getLocation().getCharacterOffset();
            at[0] = Math.max(0, after <= 0 ? 0 : xml.lastIndexOf('<', after - 1));
            at[2] = at[1];
          }
        } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
            || event == XMLStreamConstants.SPACE) {
          if (content[0] != null) {
            content[0].append(reader.getText());
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (content[0] != null && at[1] == at[2]) {
            found.add(Map.entry(at[0], content[0].toString()));
            content[0] = null;
          }
          at[1]--;
        }
        return true;
      });
    } catch (XMLStreamException e) {
      // Not well-formed: reported by the screen; positions fall back to elements' lines.
    }
    return found;
  }

  /** The refusal an element itself earns: XInclude, import, or a function that is not FEEL. */
  private static Optional<Diagnostic> element(XMLStreamReader reader, SourceSpan at) {
    String name = reader.getLocalName();
    if (XINCLUDE.equals(reader.getNamespaceURI())) {
      return Optional.of(Diagnostic.error(Codes.DMN_EXTERNAL_RESOURCE, at,
          "XInclude is not allowed in a DMN file: <" + name + "> would make the service read a"
              + " file or a URL"));
    }
    if ("import".equals(name)) {
      return Optional.of(Diagnostic.error(Codes.DMN_EXTERNAL_RESOURCE, at,
          "imports are not allowed in a DMN file: each file is read alone, and nothing it names"
              + " (another model, a PMML file, a URL) is fetched; copy what the model needs"
              + " into it"));
    }
    for (int i = 0; i < reader.getAttributeCount(); i++) {
      // Only tFunctionDefinition (functionDefinition, a BKM's encapsulatedLogic) has a kind;
      // read on every element, in any namespace, so that no spelling slips through.
      if ("kind".equals(reader.getAttributeLocalName(i))
          && !"FEEL".equals(reader.getAttributeValue(i).strip())) {
        return Optional.of(Diagnostic.error(Codes.DMN_EXTERNAL_FUNCTION, at,
            "external functions are not allowed in a DMN file: <" + name + " kind=\""
                + reader.getAttributeValue(i) + "\"> would run Java or PMML inside the"
                + " service; only FEEL functions are allowed"));
      }
    }
    return Optional.empty();
  }

  /** The refusal FEEL text earns: an external function, or a path that calls Java. */
  static Optional<Diagnostic> feel(String feel, SourceSpan at) {
    List<Token> tokens = tokens(feel);
    if (external(tokens)) {
      return Optional.of(Diagnostic.error(Codes.DMN_EXTERNAL_FUNCTION, at,
          "external functions are not allowed in a DMN file: `function(...) external {...}` would"
              + " run Java or PMML inside the service; write the function in FEEL"));
    }
    for (int i = 0; i + 1 < tokens.size(); i++) {
      String name = tokens.get(i + 1).getText();
      if (tokens.get(i).getType() == FEEL_1_1Lexer.DOT && javaProperty(name)) {
        return Optional.of(Diagnostic.error(Codes.DMN_JAVA_PROPERTY, at,
            "`." + name + "` is not allowed in a DMN file: on a value that is no context, Kogito"
                + " reads `." + name + "` by calling a Java method, and DMN files run no Java;"
                + " rename the context entry if `" + name + "` is one"));
      }
    }
    return Optional.empty();
  }

  /** The FEEL text's tokens as Kogito's lexer reads them, spaces and comments left out. */
  private static List<Token> tokens(String feel) {
    FEEL_1_1Lexer lexer = new FEEL_1_1Lexer(CharStreams.fromString(feel));
    lexer.removeErrorListeners(); // a lexing error is the DMN validator's to report
    List<Token> tokens = new ArrayList<>();
    for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
      if (t.getChannel() == Token.DEFAULT_CHANNEL) {
        tokens.add(t);
      }
    }
    return tokens;
  }

  /** {@code function}, its parenthesized parameters, then {@code external}. */
  private static boolean external(List<Token> tokens) {
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (tokens.get(i).getType() != FEEL_1_1Lexer.FUNCTION
          || tokens.get(i + 1).getType() != FEEL_1_1Lexer.LPAREN) {
        continue;
      }
      int depth = 0;
      for (int j = i + 1; j < tokens.size(); j++) {
        int type = tokens.get(j).getType();
        depth += type == FEEL_1_1Lexer.LPAREN ? 1 : type == FEEL_1_1Lexer.RPAREN ? -1 : 0;
        if (depth == 0) {
          if (j + 1 < tokens.size() && tokens.get(j + 1).getType() == FEEL_1_1Lexer.EXTERNAL) {
            return true;
          }
          break;
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code .name} can make Kogito call a Java method that gives more than a text, a
   * number or a boolean. On a value that is no context, date, duration or range, Kogito reads
   * {@code .name} by calling the value's public method {@code getName()}, {@code name()} or
   * {@code isName()} ({@code "abc".class} is {@code String.class}, and from a class, its class
   * loader). Values of that kind are texts, numbers, booleans, lists and functions; a path that
   * only ever reaches texts, numbers and booleans reaches nothing else.
   */
  static boolean javaProperty(String name) {
    return JAVA_PROPERTIES.contains(name)
        || (!name.isEmpty() && JAVA_PROPERTIES.contains(lowerFirst(name)));
  }

  /** Every name by which Kogito would call a method of a FEEL value giving no plain value. */
  private static final Set<String> JAVA_PROPERTIES = javaProperties();

  private static Set<String> javaProperties() {
    Set<Class<?>> values = new LinkedHashSet<>(List.of(Object.class, String.class,
        BigDecimal.class, Boolean.class, Iterable.class, Collection.class, List.class,
        ArrayList.class, LinkedList.class, CustomFEELFunction.class, DTInvokerFunction.class,
        JavaFunction.class, DMNFunctionDefinitionEvaluator.DMNFunction.class,
        DMNDecisionServiceFunctionDefinitionEvaluator.DMNDSFunction.class,
        DMNFunctionWithReturnType.class));
    for (FEELFunction f : BuiltInFunctions.getFunctions()) {
      values.add(f.getClass());
    }
    for (FEELFunction f : new KieExtendedFEELProfile().getFEELFunctions()) {
      values.add(f.getClass());
    }
    Set<String> names = new HashSet<>();
    for (Class<?> type : values) {
      for (Method m : type.getMethods()) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
            || plain(m.getReturnType())) {
          continue;
        }
        String name = m.getName();
        names.add(name);
        if (name.startsWith("get") && name.length() > 3) {
          names.add(lowerFirst(name.substring(3)));
        } else if (name.startsWith("is") && name.length() > 2) {
          names.add(lowerFirst(name.substring(2)));
        }
        FEELProperty property = m.getAnnotation(FEELProperty.class);
        if (property != null) {
          names.add(property.value());
        }
      }
    }
    return Set.copyOf(names);
  }

  /** A text, a number, a boolean or a character: what a path may give (void is no value). */
  private static boolean plain(Class<?> type) {
    return type == String.class || type == Boolean.class || type == Character.class
        || Number.class.isAssignableFrom(type)
        || (type.isPrimitive() && type != void.class);
  }

  private static String lowerFirst(String name) {
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  /**
   * The JDK's StAX parser (never another implementation found on the class path), reading no
   * DTD, no external entity and no external schema.
   */
  static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    return factory;
  }

  private static Diagnostic notWellFormed(Source file, XMLStreamException e) {
    int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNumber());
    int column = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getColumnNumber());
    String message = e.getMessage();
    int at = message.indexOf("Message: ");
    message = at >= 0 ? message.substring(at + "Message: ".length()) : message;
    return Diagnostic.error(Codes.DMN_ERROR, SourceSpan.at(file.name(), line, column),
        "not well-formed XML: " + message.strip());
  }

  /** Offsets of the text as lines and columns (UTF-16 units, as diagnostics count them). */
  static final class Positions {
    private final Source file;
    private final int[] lineStarts;

    Positions(Source file) {
      this.file = file;
      String text = file.text();
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
          starts.add(i + 1);
        }
      }
      lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Where the construct the reader just read starts: the last {@code opening} before the
     * reader's offset (StAX gives the offset after the construct).
     */
    SourceSpan before(XMLStreamReader reader, String opening) {
      int end = reader.getLocation() == null ? -1 : reader.getLocation().getCharacterOffset();
      int start = end <= 0 ? -1 : file.text().lastIndexOf(opening, end - 1);
      return start < 0 ? SourceSpan.at(file.name(), 1, 1) : at(start);
    }

    /** The line and column of an offset. */
    SourceSpan at(int offset) {
      int found = Arrays.binarySearch(lineStarts, offset);
      int line = found >= 0 ? found : -found - 2; // the last line that starts at or before
      return SourceSpan.at(file.name(), line + 1, offset - lineStarts[line] + 1);
    }

    /** Where line {@code line} (1-based, at most the last) starts. */
    int lineStart(int line) {
      return lineStarts[Math.max(1, Math.min(line, lineStarts.length)) - 1];
    }

    /** Where the line after line {@code line} starts, or the text's end. */
    int lineEnd(int line) {
      return line < lineStarts.length ? lineStarts[Math.max(line, 0)] : file.text().length();
    }
  }
}
