package io.relais.api.audiences;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.relais.api.web.ApiException;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.schema.Schema;
import io.relais.engine.audience.Audiences;
import io.relais.engine.audience.PushedConditions;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreCalls;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /audiences/count}, {@code GET /leads} and {@code GET /funnel}: conditions of the rule
 * language pushed down to the store as one query (docs/audiences.md).
 */
@RestController
@Tag(name = "Audiences")
public class AudiencesController {

  // The failures every operation that takes a condition can answer (the OpenAPI descriptions).
  private static final String NO_ACTIVE_RULESET = "not-found: the ruleset has no active version";
  private static final String CONDITION_REFUSED = "invalid-condition: the condition has errors (`diagnostics`); not-pushable: a part cannot run as a store query (`part`, `file`, `line`, `column`); query-refused: the store refused the query";

  /** The most leads one call returns. */
  public static final int MAX_LEADS = 1_000;

  /** What a lead's line shows; the rest of the contact is at {@code GET /contacts/{id}}. */
  private static final Set<String> LEAD_FIELDS = leadFields();

  // The schema's main fields, and the segments (docs/engine.md, "The schema").
  private static Set<String> leadFields() {
    Set<String> fields = new java.util.LinkedHashSet<>();
    Schema.fields().stream().filter(Schema.Field::summary).forEach(f -> fields.add(f.jsonProperty()));
    fields.add(Schema.StatePart.SEGMENTS.jsonName());
    return Set.copyOf(fields);
  }

  private final RulesetRegistry registry;
  private final Audiences audiences;
  /** Conditions already checked and pushed down, by ruleset version and text. */
  private final PushedConditions conditions = new PushedConditions(PushedConditions.DEFAULT_CAPACITY);

  public AudiencesController(RulesetRegistry registry, ElasticsearchStore store, StoreCalls calls,
      io.relais.api.config.AudiencesProperties properties) {
    this.registry = registry;
    this.audiences = new Audiences(store, calls, properties.maxResidualScan());
  }

  /** A condition of the rule language, checked with the declarations of the active version of {@code ruleset}. */
  public record CountRequest(String ruleset, String condition) {}

  /** How many stored contacts meet the condition. */
  public record CountAnswer(long count) {}

  @Operation(summary = "Count the stored contacts that meet a condition of the rule language")
  @ApiResponse(responseCode = "200", description = "the count")
  @ApiResponse(responseCode = "404", description = NO_ACTIVE_RULESET)
  @ApiResponse(responseCode = "422", description = CONDITION_REFUSED)
  @PostMapping(path = "/api/v1/audiences/count", consumes = MediaType.APPLICATION_JSON_VALUE)
  public CountAnswer count(@RequestBody CountRequest request) {
    if (request == null || request.ruleset() == null || request.ruleset().isBlank()) {
      throw ApiException.badRequest("Name the ruleset whose declarations the condition uses: {\"ruleset\": \"...\"}.");
    }
    if (request.condition() == null) {
      throw ApiException.badRequest("Send the condition: {\"condition\": \"contact.score >= 50\"}.");
    }
    RulesetVersion version = active(request.ruleset());
    return new CountAnswer(run(() -> audiences.count(conditions.plan(version, request.condition()),
        version.compiled().checked())));
  }

  /** A lead: the contact's main fields. */
  public record LeadsAnswer(List<Map<String, Object>> leads) {}

  @Operation(summary = "Contacts ranked by score, highest first, optionally at one stage")
  @ApiResponse(responseCode = "200", description = "the leads")
  @ApiResponse(responseCode = "404", description = NO_ACTIVE_RULESET)
  @ApiResponse(responseCode = "422", description = CONDITION_REFUSED)
  @GetMapping("/api/v1/leads")
  public LeadsAnswer leads(
      @RequestParam(required = false) String stage,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(required = false) String ruleset,
      @RequestParam(required = false) String condition) {
    if (limit < 1 || limit > MAX_LEADS) {
      throw ApiException.badRequest("limit must be between 1 and " + MAX_LEADS + ".");
    }
    List<Query> filters = new ArrayList<>();
    if (stage != null && !stage.isBlank()) {
      Stage wanted = Stage.named(stage).orElseThrow(() -> ApiException.badRequest(
          "Unknown stage \"" + stage + "\": one of " + List.of(Stage.values()) + "."));
      filters.add(Query.of(q -> q.term(t -> t.field("stage").value(wanted.name()))));
    }
    if (condition != null) {
      filters.add(query(ruleset, condition));
    }
    Query query = Query.of(q -> q.bool(b -> b.filter(filters)));
    List<Map<String, Object>> leads = new ArrayList<>();
    for (Map<String, Object> source : run(() -> audiences.topByScore(query, limit))) {
      Map<String, Object> lead = new LinkedHashMap<>();
      source.forEach((key, value) -> {
        if (LEAD_FIELDS.contains(key)) {
          lead.put(key, value);
        }
      });
      leads.add(lead);
    }
    return new LeadsAnswer(leads);
  }

  /**
   * One funnel stage: contacts at it, contacts at it or beyond, and the conversion to the next
   * stage ({@code atOrBeyond} of the next / {@code atOrBeyond} of this one; null at the last
   * stage or when nobody reached this one).
   */
  public record FunnelStage(String stage, long count, long atOrBeyond, BigDecimal conversionToNext) {}

  /** The funnel in stage order, DISQUALIFIED apart, and the total. */
  public record FunnelAnswer(long total, List<FunnelStage> stages, long disqualified) {}

  @Operation(summary = "Contacts per funnel stage and the conversion rate between consecutive stages")
  @ApiResponse(responseCode = "200", description = "the funnel")
  @ApiResponse(responseCode = "404", description = NO_ACTIVE_RULESET)
  @ApiResponse(responseCode = "422", description = CONDITION_REFUSED)
  @GetMapping("/api/v1/funnel")
  public FunnelAnswer funnel(
      @RequestParam(required = false) String ruleset, @RequestParam(required = false) String condition) {
    Query query = condition == null ? Query.of(q -> q.matchAll(m -> m)) : query(ruleset, condition);
    Map<Stage, Long> counts = run(() -> audiences.countsByStage(query));
    return funnel(counts);
  }

  /** The funnel of per-stage counts (docs/api.md: conversion is "reached the next" over "reached this one"). */
  static FunnelAnswer funnel(Map<Stage, Long> counts) {
    List<Stage> ordered = List.of(Stage.values()).stream().filter(Stage::isOrdered).toList();
    long[] beyond = new long[ordered.size()];
    long running = 0;
    for (int i = ordered.size() - 1; i >= 0; i--) {
      running += counts.getOrDefault(ordered.get(i), 0L);
      beyond[i] = running;
    }
    List<FunnelStage> stages = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      BigDecimal rate = i + 1 < ordered.size() && beyond[i] > 0
          ? BigDecimal.valueOf(beyond[i + 1]).divide(BigDecimal.valueOf(beyond[i]), 4, RoundingMode.HALF_EVEN)
          : null;
      stages.add(new FunnelStage(ordered.get(i).name(), counts.getOrDefault(ordered.get(i), 0L), beyond[i], rate));
    }
    long disqualified = counts.getOrDefault(Stage.DISQUALIFIED, 0L);
    return new FunnelAnswer(beyond[0] + disqualified, stages, disqualified);
  }

  private Query query(String ruleset, String condition) {
    RulesetVersion version = active(ruleset);
    return ConditionProblems.answer(
        () -> conditions.query(version, condition));
  }

  private RulesetVersion active(String ruleset) {
    if (ruleset == null || ruleset.isBlank()) {
      throw ApiException.badRequest("A condition needs the ruleset whose declarations it uses: ?ruleset=NAME.");
    }
    return registry.active(ruleset)
        .orElseThrow(() -> ApiException.notFound("No active ruleset named \"" + ruleset + "\"."));
  }

  private static <T> T run(java.util.function.Supplier<T> call) {
    return ConditionProblems.answer(call);
  }
}
