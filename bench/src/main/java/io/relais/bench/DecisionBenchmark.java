package io.relais.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.bench.drl.HandWrittenDrl;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.DroolsAlone;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.EvaluationJson;
import io.relais.engine.evaluation.TraceMode;
import io.relais.engine.store.DecisionJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One decision for one contact with 50 history events, a page visit, against the workload's
 * ruleset ({@link Workload}) of 50, 1,000 or 10,000 rules (23 of them match whatever the size).
 * Every side in one run: {@code relais} (the evaluation: compiled rules on Drools, decisions,
 * trace available), {@code relaisServed} (the decision as {@code POST /decisions} answers it:
 * the evaluation and its JSON with the fired rules' trace, streamed as the service writes it;
 * {@code relaisServedMaps} the same answer as it was written before, through a map of maps, which
 * the set-up requires to be the same bytes), {@code relaisRecorded}
 * (the same JSON also compressed, as {@code EventRecorder} and {@code BulkApplier} record it;
 * {@code relaisRecordedBefore} as they recorded it before, the same text),
 * {@code handWrittenDrl} (the same rules in DRL on a reused session) and {@code plainJava} (the same
 * rules hand-coded), and Drools' share alone ({@code droolsAlone} and its two other shapes, see
 * {@link DroolsAlone}). The set-up refuses to run unless the sides make the same decisions with the
 * same values, field by field, twice in a row (sessions are reused).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionBenchmark {

  /** Rules in the ruleset: 50 is the one-bucket ruleset, the others repeat its mix. */
  @Param({"50", "1000", "10000"})
  public int rules;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where the served sides write their answer: as the service writes into the response's buffer
   * (kept by the server between requests), not into a new array per answer.
   */
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);

  CompiledRuleset ruleset;
  Contact contact;
  Event event;
  List<Event> history;
  HandWrittenDrl drl;
  PlainJavaRules plain;
  /** Drools' share alone, in each shape ({@link DroolsAlone}). */
  DroolsAlone alone;
  DroolsAlone aloneDispatching;
  DroolsAlone aloneInOneCycle;


  /**
   * JMH's set-up: every fork compares Relais with plain Java, and the fork that measures the
   * hand-written DRL compares it too (the DRL of 10,000 rules takes minutes to build: the other
   * forks do not build it).
   */
  @Setup
  public void setUp(BenchmarkParams params) {
    setUp(params.getBenchmark().endsWith(".handWrittenDrl"), params.getBenchmark().contains(".droolsAlone"));
  }

  /**
   * The set-up, outside JMH too (DecisionCpuTime): with the hand-written DRL or without, and with
   * Drools' share alone or without (three more KieBases: built only for the forks that measure
   * them).
   */
  void setUp(boolean withDrl, boolean withDroolsAlone) {
    ruleset = CompiledRuleset.compile(Workload.checked(rules), 1);
    contact = Workload.contact();
    event = Workload.event();
    history = Workload.history();
    drl = withDrl ? new HandWrittenDrl(rules, event, history, Workload.NOW) : null;
    plain = new PlainJavaRules(rules);
    // Twice: sessions are reused, and a second decision must be the first one again.
    for (int round = 0; round < 2; round++) {
      Evaluation sample = relais();
      List<Workload.Decided> decided = Workload.decided(sample);
      Workload.requireSame("plain Java", decided, Workload.canonical(plainJava()));
      if (withDrl) {
        Workload.requireSame("hand-written DRL", decided, Workload.canonical(handWrittenDrl()));
      }
      requireSameAnswer();
      if (round == 0) {
        System.out.printf("%n%d rules: %d fired, %d decisions, the same in plain Java%s%n",
            rules, sample.firedRules().size(), decided.size(), withDrl ? " and DRL" : "");
      }
    }
    if (withDroolsAlone) {
      // Each refuses to be built unless its cycles reach the rules this evaluation did.
      Evaluation sample = relais();
      alone = new DroolsAlone(ruleset, sample, DroolsAlone.Shape.ACTIVATIONS);
      aloneDispatching = new DroolsAlone(ruleset, sample, DroolsAlone.Shape.DISPATCH);
      aloneInOneCycle = new DroolsAlone(ruleset, sample, DroolsAlone.Shape.ONE_CYCLE);
    }
  }

  /**
   * The set-up's check of the served sides: the answer written by {@link EvaluationJson} is the
   * map of {@code toJson} written by the object mapper, byte for byte.
   */
  private void requireSameAnswer() {
    byte[] streamed;
    byte[] mapped;
    try {
      relaisServed();
      streamed = body.toByteArray();
      relaisServedMaps();
      mapped = body.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String recordedBefore;
    try {
      recordedBefore = relaisRecordedBefore();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (!relaisRecorded().deflated().equals(recordedBefore)) {
      throw new IllegalStateException("the recorded decision differs from the one made before");
    }
    if (!Arrays.equals(streamed, mapped)) {
      throw new IllegalStateException("the streamed answer differs from the mapped one:\n"
          + new String(streamed, java.nio.charset.StandardCharsets.UTF_8) + "\n"
          + new String(mapped, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Benchmark
  public Evaluation relais() {
    return ruleset.evaluate(contact, Optional.of(event), history, Workload.NOW);
  }

  /**
   * The answer of {@code POST /decisions}: the evaluation and its JSON, trace included, written
   * out as the service writes it ({@link EvaluationJson}, streamed by the object mapper's generator
   * into the answer's buffer). Returns the answer's length.
   */
  @Benchmark
  public int relaisServed() throws IOException {
    Evaluation evaluation = ruleset.evaluate(contact, Optional.of(event), history, Workload.NOW);
    body.reset();
    JSON.writeValue(body, EvaluationJson.answer(evaluation, TraceMode.FIRED, List.of()));
    return body.size();
  }

  /**
   * The same answer as the service wrote it before {@link EvaluationJson}: the evaluation's map of
   * maps ({@code toJson}), then the object mapper walking it. The set-up requires the same bytes.
   */
  @Benchmark
  public int relaisServedMaps() throws IOException {
    Evaluation evaluation = ruleset.evaluate(contact, Optional.of(event), history, Workload.NOW);
    body.reset();
    JSON.writeValue(body, evaluation.toJson(TraceMode.FIRED));
    return body.size();
  }

  /**
   * The decision of an event as {@code EventRecorder} and {@code BulkApplier} record it: the
   * same JSON, written out and compressed for the store.
   */
  @Benchmark
  public DecisionJson relaisRecorded() {
    Evaluation evaluation = ruleset.evaluate(contact, Optional.of(event), history, Workload.NOW);
    return DecisionJson.of(evaluation);
  }

  /**
   * The recorded decision as it was made before the store kept its compressors: the map written
   * out by the object mapper, then a new {@code Deflater} set up, used and freed. The set-up
   * requires the same compressed text as {@link #relaisRecorded()}.
   */
  @Benchmark
  public String relaisRecordedBefore() throws IOException {
    Evaluation evaluation = ruleset.evaluate(contact, Optional.of(event), history, Workload.NOW);
    byte[] utf8 = JSON.writeValueAsString(evaluation.toJson(TraceMode.FIRED)).getBytes(StandardCharsets.UTF_8);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(utf8);
      deflater.finish();
      byte[] out = new byte[utf8.length / 2 + 64];
      int length = 0;
      while (!deflater.finished()) {
        if (length == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        length += deflater.deflate(out, length, out.length - length);
      }
      return Base64.getEncoder().encodeToString(Arrays.copyOf(out, length));
    } finally {
      deflater.end();
    }
  }

  @Benchmark
  public List<Workload.Made> handWrittenDrl() {
    return drl.evaluate(contact, Workload.NOW);
  }

  /**
   * Drools' share of {@link #relais()} alone: the same network and cycles on the same sessions,
   * each condition's answer known in advance, no action (DroolsAlone). No evaluation in this
   * shape costs less.
   */
  @Benchmark
  public BitSet droolsAlone() {
    return alone.decide();
  }

  /** {@link #droolsAlone()} with no match, agenda or firing: Drools only dispatching. */
  @Benchmark
  public BitSet droolsAloneDispatching() {
    return aloneDispatching.decide();
  }

  /** {@link #droolsAlone()} with every phase in one cycle (not what the phases allow). */
  @Benchmark
  public BitSet droolsAloneInOneCycle() {
    return aloneInOneCycle.decide();
  }

  @Benchmark
  public List<Workload.Made> plainJava() {
    return plain.evaluate(contact, event, history, Workload.NOW);
  }
}
