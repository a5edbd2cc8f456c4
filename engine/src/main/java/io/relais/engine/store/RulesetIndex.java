package io.relais.engine.store;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.IndexResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.diagnostic.Severity;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.registry.ActivePointer;
import io.relais.engine.registry.RulesetStore;
import io.relais.engine.registry.StoredVersion;
import io.relais.engine.registry.VersionInfo;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ruleset versions and active pointers in the index {@code <prefix>-rulesets}, shared by every
 * instance. A version is the document {@code version:<name>:<n>}, written with {@code op_type
 * create} so two writers never get one number; the pointer is {@code active:<name>}, written
 * conditionally on its sequence number and primary term, so an activation is one atomic write.
 * Every write refreshes the index at once, so the next search of any instance sees it: writes
 * here are rare (an upload, an activation) and the index is small, so the refresh is cheap,
 * and an author is not kept waiting for the periodic refresh. Every request goes through {@link
 * StoreCalls}, so the circuit breaker and the bound on calls in flight guard ruleset reads and
 * writes as they guard contacts: with the circuit open a read fails at once with {@link
 * StoreUnavailableException} instead of waiting for its timeout.
 */
public final class RulesetIndex implements RulesetStore {

  private static final String MAPPING = "rulesets-mapping.json";
  private static final String VERSION = "version";
  private static final String POINTER = "pointer";
  // Far above the version cap times any sensible number of rulesets; one page, no scrolling.
  private static final int PAGE = 10_000;

  private final ElasticsearchStore store;
  private final ElasticsearchClient client;
  private final StoreCalls calls;
  private final String index;

  /** Calls that nothing guards or counts ({@link StoreCalls#uncounted()}): tests and tools. */
  public RulesetIndex(ElasticsearchStore store) {
    this(store, StoreCalls.uncounted());
  }

  /** Every request through {@code calls} (the service's, which also counts failures). */
  public RulesetIndex(ElasticsearchStore store, StoreCalls calls) {
    this.store = store;
    this.client = store.client();
    this.calls = calls;
    this.index = store.settings().index("rulesets");
  }

  public String name() {
    return index;
  }

  private static String versionId(String name, int version) {
    return "version:" + name + ":" + version;
  }

  private static String pointerId(String name) {
    return "active:" + name;
  }

  /**
   * Creates the index with its mapping unless it exists. Creating and accepting "already
   * exists" (rather than asking first) is safe when several instances start at once.
   */
  @Override
  public void ensureExists() {
    try {
      calls.run("create index " + index, () -> {
        try (InputStream mapping = RulesetIndex.class.getResourceAsStream(MAPPING)) {
          String replicas = String.valueOf(store.replicasForNewIndex());
          return client.indices().create(c -> c.index(index).mappings(m -> m.withJson(mapping))
              .settings(s -> s.numberOfReplicas(replicas)));
        }
      });
    } catch (ElasticsearchException e) {
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw e;
      }
    }
  }

  @Override
  public boolean create(StoredVersion version) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("kind", VERSION);
    document.put("name", version.name());
    document.put(VERSION, version.version());
    document.put("createdAt", millis(version.createdAt()));
    document.put("createdBy", version.createdBy());
    document.put("files", version.files());
    document.put("warnings", version.warnings().stream().map(RulesetIndex::toJson).toList());
    try {
      calls.run("store a ruleset version", () -> client.create(c -> c.index(index)
          .id(versionId(version.name(), version.version())).document(document).refresh(Refresh.True)));
      return true;
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<StoredVersion> version(String name, int version) {
    return get(versionId(name, version)).map(hit -> toVersion(hit.source()));
  }

  @Override
  public List<VersionInfo> versions(String name) {
    return searchVersions(Optional.of(name));
  }

  @Override
  public List<VersionInfo> allVersions() {
    return searchVersions(Optional.empty());
  }

  private List<VersionInfo> searchVersions(Optional<String> name) {
    List<VersionInfo> versions = new ArrayList<>();
    for (Hit<Map> hit : search(VERSION, name, true)) {
      Map<String, Object> source = source(hit.source());
      versions.add(new VersionInfo((String) source.get("name"), number(source.get(VERSION)),
          Instant.parse((String) source.get("createdAt")), (String) source.get("createdBy")));
    }
    return versions;
  }

  @Override
  public void delete(String name, int version) {
    try {
      calls.run("delete a ruleset version", () -> client.delete(d -> d.index(index).id(versionId(name, version))
          .refresh(Refresh.True)));
    } catch (ElasticsearchException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
  }

  @Override
  public Optional<ActivePointer> pointer(String name) {
    return get(pointerId(name)).map(hit -> toPointer(hit.source(), hit.seqNo(), hit.primaryTerm()));
  }

  @Override
  public List<ActivePointer> pointers() {
    return search(POINTER, Optional.empty(), false).stream()
        .map(hit -> toPointer(source(hit.source()), hit.seqNo(), hit.primaryTerm()))
        .toList();
  }

  @Override
  public Optional<ActivePointer> setPointer(
      String name, int version, Instant at, String by, Optional<ActivePointer> expected) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("kind", POINTER);
    document.put("name", name);
    document.put(VERSION, version);
    document.put("activatedAt", millis(at));
    document.put("activatedBy", by);
    try {
      IndexResponse written = calls.run("activate a ruleset version", () -> client.index(i -> {
        i.index(index).id(pointerId(name)).document(document).refresh(Refresh.True);
        if (expected.isEmpty()) {
          return i.opType(OpType.Create);
        }
        return i.ifSeqNo(expected.get().seqNo()).ifPrimaryTerm(expected.get().primaryTerm());
      }));
      return Optional.of(new ActivePointer(name, version, Instant.parse(millis(at)), by,
          written.seqNo(), written.primaryTerm()));
    } catch (ElasticsearchException e) {
      if (e.status() == 409) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A document read by id (real time: no refresh needed), with its revision. */
  private record Found(Map<String, Object> source, long seqNo, long primaryTerm) {}

  private Optional<Found> get(String id) {
    try {
      @SuppressWarnings("rawtypes")
      GetResponse<Map> found = calls.read("read a ruleset document", () -> client.get(g -> g.index(index).id(id),
          Map.class));
      if (!found.found() || found.source() == null) {
        return Optional.empty();
      }
      return Optional.of(new Found(source(found.source()), found.seqNo(), found.primaryTerm()));
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return Optional.empty(); // no index yet
      }
      throw e;
    }
  }

  @SuppressWarnings("rawtypes")
  private List<Hit<Map>> search(String kind, Optional<String> name, boolean withoutFiles) {
    try {
      SearchResponse<Map> response = calls.read("search rulesets", () -> client.search(s -> {
        s.index(index).size(PAGE).seqNoPrimaryTerm(true)
            .query(q -> q.bool(b -> {
              b.filter(f -> f.term(t -> t.field("kind").value(kind)));
              name.ifPresent(n -> b.filter(f -> f.term(t -> t.field("name").value(n))));
              return b;
            }))
            .sort(o -> o.field(f -> f.field("name").order(SortOrder.Asc)))
            .sort(o -> o.field(f -> f.field(VERSION).order(SortOrder.Asc)));
        if (withoutFiles) {
          s.source(src -> src.filter(f -> f.excludes("files", "warnings")));
        }
        return s;
      }, Map.class));
      return response.hits().hits();
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        return List.of(); // no index yet
      }
      throw e;
    }
  }

  private static StoredVersion toVersion(Map<String, Object> source) {
    Map<String, String> files = new LinkedHashMap<>();
    if (source.get("files") instanceof Map<?, ?> stored) {
      stored.forEach((file, text) -> files.put(String.valueOf(file), String.valueOf(text)));
    }
    List<Diagnostic> warnings = new ArrayList<>();
    if (source.get("warnings") instanceof List<?> stored) {
      for (Object warning : stored) {
        if (warning instanceof Map<?, ?> json) {
          warnings.add(fromJson(json));
        }
      }
    }
    return new StoredVersion((String) source.get("name"), number(source.get(VERSION)), files, warnings,
        Instant.parse((String) source.get("createdAt")), (String) source.get("createdBy"));
  }

  private static ActivePointer toPointer(Map<String, Object> source, long seqNo, long primaryTerm) {
    return new ActivePointer((String) source.get("name"), number(source.get(VERSION)),
        Instant.parse((String) source.get("activatedAt")), (String) source.get("activatedBy"), seqNo, primaryTerm);
  }

  private static Map<String, Object> toJson(Diagnostic d) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("severity", d.severity().name());
    json.put("code", d.code());
    json.put("message", d.message());
    json.put("file", d.span().file());
    json.put("line", d.span().line());
    json.put("column", d.span().column());
    json.put("endLine", d.span().endLine());
    json.put("endColumn", d.span().endColumn());
    d.suggestion().ifPresent(s -> json.put("suggestion", s));
    return json;
  }

  private static Diagnostic fromJson(Map<?, ?> json) {
    SourceSpan span = new SourceSpan(String.valueOf(json.get("file")), number(json.get("line")),
        number(json.get("column")), number(json.get("endLine")), number(json.get("endColumn")));
    return new Diagnostic(Severity.valueOf(String.valueOf(json.get("severity"))), String.valueOf(json.get("code")),
        String.valueOf(json.get("message")), span,
        Optional.ofNullable(json.get("suggestion")).map(String::valueOf));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> source(Map source) {
    return (Map<String, Object>) source;
  }

  private static int number(Object value) {
    return ((Number) value).intValue();
  }

  // Elasticsearch dates keep milliseconds; storing them so makes what is read back equal.
  private static String millis(Instant at) {
    return at.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
