package io.relais.api.rulesets;

import io.relais.api.web.ApiException;
import io.relais.dsl.check.CheckResult;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Rulesets: validate, store a version, list, read, activate (API.md "Rulesets"). */
@RestController
@RequestMapping("/api/v1/rulesets")
@Tag(name = "Rulesets")
public class RulesetsController {

  private final RulesetRegistry registry;

  public RulesetsController(RulesetRegistry registry) {
    this.registry = registry;
  }

  /** Several files of one ruleset. */
  public record FilesBody(Map<String, String> files) {}

  public record Validation(boolean valid, List<DiagnosticJson> diagnostics) {}

  public record Stored(String name, int version, boolean active, List<DiagnosticJson> diagnostics) {}

  public record Summary(String name, Integer activeVersion, List<Integer> versions) {}

  public record VersionInfo(int version, Instant createdAt, String createdBy, boolean active) {}

  public record Detail(String name, Integer activeVersion, Map<String, String> files, List<VersionInfo> versions) {}

  @Operation(summary = "Check rule text without storing it")
  @PostMapping(path = "/{name}/validate", consumes = MediaType.TEXT_PLAIN_VALUE)
  public Validation validateText(@PathVariable String name, @RequestBody String text) {
    return validate(name, Map.of(checkedName(name) + ".rules", text));
  }

  @Operation(summary = "Check several rule files without storing them")
  @PostMapping(path = "/{name}/validate", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Validation validateFiles(@PathVariable String name, @RequestBody FilesBody body) {
    return validate(name, files(body));
  }

  private Validation validate(String name, Map<String, String> files) {
    CheckResult result = registry.validate(checkedName(name), files);
    return new Validation(result.ruleset().isPresent(), DiagnosticJson.all(result.diagnostics()));
  }

  @Operation(summary = "Store a new version (activated unless activate=false); 422 with every diagnostic when invalid")
  @PutMapping(path = "/{name}", consumes = MediaType.TEXT_PLAIN_VALUE)
  public ResponseEntity<Stored> putText(@PathVariable String name, @RequestBody String text,
      @RequestParam(defaultValue = "true") boolean activate,
      @RequestHeader(name = "X-Author", required = false) String author) {
    return put(name, Map.of(checkedName(name) + ".rules", text), activate, author);
  }

  @Operation(summary = "Store a new version made of several files")
  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Stored> putFiles(@PathVariable String name, @RequestBody FilesBody body,
      @RequestParam(defaultValue = "true") boolean activate,
      @RequestHeader(name = "X-Author", required = false) String author) {
    return put(name, files(body), activate, author);
  }

  private ResponseEntity<Stored> put(String name, Map<String, String> files, boolean activate, String author) {
    RulesetRegistry.PutResult result =
        registry.put(checkedName(name), files, activate, author == null || author.isBlank() ? "api" : author);
    if (result.version().isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-ruleset", "Invalid ruleset",
          "The ruleset has errors; the active version is unchanged.",
          Map.of("diagnostics", DiagnosticJson.all(result.diagnostics())));
    }
    RulesetVersion version = result.version().get();
    return ResponseEntity.status(HttpStatus.CREATED).body(
        new Stored(version.name(), version.version(), result.active(), DiagnosticJson.all(result.diagnostics())));
  }

  @Operation(summary = "Every ruleset with its active version")
  @GetMapping
  public List<Summary> list() {
    return registry.list().stream()
        .map(e -> new Summary(e.name(), e.active().map(RulesetVersion::version).orElse(null),
            e.versions().stream().map(RulesetVersion::version).toList()))
        .toList();
  }

  @Operation(summary = "The active version's files and every version")
  @GetMapping("/{name}")
  public Detail get(@PathVariable String name) {
    RulesetRegistry.Entry entry = registry.get(name)
        .orElseThrow(() -> ApiException.notFound("No ruleset named \"" + name + "\"."));
    Integer active = entry.active().map(RulesetVersion::version).orElse(null);
    return new Detail(entry.name(), active, entry.active().map(RulesetVersion::files).orElse(Map.of()),
        entry.versions().stream()
            .map(v -> new VersionInfo(v.version(), v.createdAt(), v.createdBy(), active != null && v.version() == active))
            .toList());
  }

  @Operation(summary = "Make a stored version the active one (rollback too)")
  @PostMapping("/{name}/versions/{version}/activate")
  public Stored activate(@PathVariable String name, @PathVariable int version) {
    RulesetVersion active = registry.activate(name, version)
        .orElseThrow(() -> ApiException.notFound("Ruleset \"" + name + "\" has no version " + version + "."));
    return new Stored(active.name(), active.version(), true, DiagnosticJson.all(active.warnings()));
  }

  private static String checkedName(String name) {
    if (!RulesetRegistry.isValidName(name)) {
      throw ApiException.badRequest("A ruleset name is 1 to 100 letters, digits, '.', '_' or '-': " + name);
    }
    return name;
  }

  private static Map<String, String> files(FilesBody body) {
    if (body == null || body.files() == null || body.files().isEmpty()) {
      throw ApiException.badRequest("Send {\"files\": {\"name.rules\": \"...\"}} with at least one file.");
    }
    body.files().forEach((file, text) -> {
      // .dmn files hold the ruleset's decision tables (docs/language.md, "Decision tables").
      boolean named = file != null && (file.endsWith(".rules") || file.endsWith(".dmn"));
      if (!named || file.contains("/") || file.contains("\\") || text == null) {
        throw ApiException.badRequest(
            "Each file needs a name ending in .rules or .dmn (no folders) and a text: " + file);
      }
    });
    return body.files();
  }
}
