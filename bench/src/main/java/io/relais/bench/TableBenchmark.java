package io.relais.bench;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A decision that reads a two-table DMN model (the B2B fit grid: industry × size → points,
 * points → grade) next to the same logic written as rules: what a decision table costs.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TableBenchmark {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  static final String WITH_TABLE = """
      attribute contact.industry : text

      table "Fit grid" from "fit-grid.dmn"
        input "Industry" = contact.industry
        input "Employees" = contact.companySize
      end

      scoring "Company fit"
      when
        event is form_submit and decision "Grade" of "Fit grid" in ["A", "B"]
      then
        add decision "Fit points" of "Fit grid" to score
      end
      """;

  /** The grid as rules: grade A or B is 5 points and more. */
  static final String WITHOUT_TABLE = """
      attribute contact.industry : text

      scoring "Fit 30"
      when
        event is form_submit and contact.industry in ["software", "finance"] and contact.companySize >= 200
      then
        add 30 to score
      end

      scoring "Fit 20"
      when
        event is form_submit and contact.industry in ["software", "finance"]
        and contact.companySize >= 20 and contact.companySize < 200
      then
        add 20 to score
      end

      scoring "Fit 5"
      when
        event is form_submit and contact.industry in ["software", "finance"] and contact.companySize < 20
      then
        add 5 to score
      end

      scoring "Fit 10"
      when
        event is form_submit and contact.industry not in ["software", "finance"]
        and contact.companySize >= 200
      then
        add 10 to score
      end
      """;

  CompiledRuleset withTable;
  CompiledRuleset withoutTable;
  Contact contact;
  Event event;

  static CompiledRuleset compile(List<Source> sources) {
    CheckResult checked = RuleLanguage.check("bench", sources);
    if (checked.ruleset().isEmpty()) {
      throw new IllegalStateException("benchmark ruleset has errors: " + checked.diagnostics());
    }
    return CompiledRuleset.compile(checked.ruleset().get(), 1);
  }

  static String fitGrid() {
    try (InputStream in = TableBenchmark.class.getResourceAsStream("/bench/fit-grid.dmn")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Setup
  public void setUp() {
    withTable = compile(List.of(new Source("fit-grid.dmn", fitGrid()),
        new Source("fit.rules", WITH_TABLE)));
    withoutTable = compile(List.of(new Source("fit.rules", WITHOUT_TABLE)));
    contact = Contact.builder().id("c-1").email("ana@example.com").firstName("Ana").companySize(50)
        .stage(Stage.LEAD).attributes(Map.of("industry", "software"))
        .consent(new Contact.Consent(true, null)).build();
    event = new Event("e", "form_submit", NOW, Map.of("form", "demo"));
    // Both variants must decide the same: print it once.
    System.out.printf("%nwith the table: %s; without: %s%n", withTable().decisions(),
        withoutTable().decisions());
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Evaluation withTable() {
    return withTable.evaluate(contact, Optional.of(event), List.of(), NOW);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Evaluation withoutTable() {
    return withoutTable.evaluate(contact, Optional.of(event), List.of(), NOW);
  }
}
