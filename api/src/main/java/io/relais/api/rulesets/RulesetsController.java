package io.relais.api.rulesets;

import io.relais.api.web.ApiException;
import io.relais.api.web.Caller;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.engine.registry.ActivePointer;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetTooLargeException;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.registry.StoredVersion;
import io.relais.engine.registry.VersionInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Rulesets: validate, store a version, list, read, activate (docs/api.md "Rulesets"). */
@RestController
@RequestMapping("/api/v1/rulesets")
@Tag(name = "Rulesets")
public class RulesetsController {

  private final RulesetRegistry registry;

  public RulesetsController(RulesetRegistry registry) {
    this.registry = registry;
  }

  /** Several files of one ruleset: file name to text. */
  public record FilesBody(Map<String, String> files) {}

  public record Validation(boolean valid, List<DiagnosticJson> diagnostics) {}

  public record Stored(String name, int version, boolean active, List<DiagnosticJson> diagnostics) {}

  public record Summary(String name, Integer activeVersion, List<Integer> versions) {}

  public record VersionJson(int version, Instant createdAt, String createdBy, boolean active) {}

  public record Detail(String name, Integer activeVersion, Instant activatedAt, String activatedBy,
      Map<String, String> files, List<VersionJson> versions) {}

  public record VersionDetail(String name, int version, Instant createdAt, String createdBy, boolean active,
      Map<String, String> files, List<DiagnosticJson> diagnostics) {}

  @Operation(summary = "Check rule text without storing it")
  @ApiResponse(responseCode = "200", description = "whether the files are valid, with every diagnostic")
  @ApiResponse(responseCode = "413", description = "ruleset-too-large: over relais.rulesets.max-size or max-files")
  @PostMapping(path = "/{name}/validate", consumes = MediaType.TEXT_PLAIN_VALUE)
  public Validation validateText(@PathVariable String name, @RequestBody String text) {
    return validate(name, Map.of(checkedName(name) + RuleLanguage.EXTENSION, text));
  }

  @Operation(summary = "Check several files without storing them")
  @ApiResponse(responseCode = "200", description = "whether the files are valid, with every diagnostic")
  @ApiResponse(responseCode = "413", description = "ruleset-too-large: over relais.rulesets.max-size or max-files")
  @PostMapping(path = "/{name}/validate", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Validation validateFiles(@PathVariable String name, @RequestBody FilesBody body) {
    return validate(name, files(body));
  }

  private Validation validate(String name, Map<String, String> files) {
    CheckResult result = limited(() -> registry.validate(checkedName(name), files));
    return new Validation(result.ruleset().isPresent(), DiagnosticJson.all(result.diagnostics()));
  }

  @Operation(summary = "Store a new version (activated unless activate=false); 422 with every diagnostic when invalid")
  @ApiResponse(responseCode = "201", description = "stored (and active unless activate=false)")
  @ApiResponse(responseCode = "413", description = "ruleset-too-large: over relais.rulesets.max-size or max-files")
  @ApiResponse(responseCode = "422", description = "invalid-ruleset: the rule text has errors (`diagnostics`); nothing stored")
  @PutMapping(path = "/{name}", consumes = MediaType.TEXT_PLAIN_VALUE)
  public ResponseEntity<Stored> putText(@PathVariable String name, @RequestBody String text,
      @RequestParam(defaultValue = "true") boolean activate, HttpServletRequest request) {
    return put(name, Map.of(checkedName(name) + RuleLanguage.EXTENSION, text), activate, author(request));
  }

  @Operation(summary = "Store a new version made of several files")
  @ApiResponse(responseCode = "201", description = "stored (and active unless activate=false)")
  @ApiResponse(responseCode = "413", description = "ruleset-too-large: over relais.rulesets.max-size or max-files")
  @ApiResponse(responseCode = "422", description = "invalid-ruleset: the rule text has errors (`diagnostics`); nothing stored")
  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Stored> putFiles(@PathVariable String name, @RequestBody FilesBody body,
      @RequestParam(defaultValue = "true") boolean activate, HttpServletRequest request) {
    return put(name, files(body), activate, author(request));
  }

  private ResponseEntity<Stored> put(String name, Map<String, String> files, boolean activate, String author) {
    RulesetRegistry.PutResult result = limited(() -> registry.put(checkedName(name), files, activate, author));
    if (result.version().isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-ruleset", "Invalid ruleset",
          "The ruleset has errors; the active version is unchanged.",
          Map.of("diagnostics", DiagnosticJson.all(result.diagnostics())));
    }
    StoredVersion version = result.version().get();
    return ResponseEntity.status(HttpStatus.CREATED).body(
        new Stored(version.name(), version.version(), result.active(), DiagnosticJson.all(result.diagnostics())));
  }

  @Operation(summary = "Every ruleset with its active version and versions")
  @GetMapping
  public List<Summary> list() {
    return registry.list().stream()
        .map(e -> new Summary(e.name(), e.activeVersion().orElse(null),
            e.versions().stream().map(VersionInfo::version).toList()))
        .toList();
  }

  @Operation(summary = "The active version's files and every version with who stored it and when")
  @ApiResponse(responseCode = "200", description = "the ruleset")
  @ApiResponse(responseCode = "404", description = "not-found: unknown ruleset")
  @GetMapping("/{name}")
  public Detail get(@PathVariable String name) {
    RulesetRegistry.Entry entry = registry.get(name)
        .orElseThrow(() -> ApiException.notFound("No ruleset named \"" + name + "\"."));
    Optional<ActivePointer> active = entry.active();
    Integer activeVersion = entry.activeVersion().orElse(null);
    Map<String, String> files = active.flatMap(p -> registry.version(name, p.version()))
        .map(StoredVersion::files).orElse(Map.of());
    return new Detail(entry.name(), activeVersion, active.map(ActivePointer::activatedAt).orElse(null),
        active.map(ActivePointer::activatedBy).orElse(null), files,
        entry.versions().stream()
            .map(v -> new VersionJson(v.version(), v.createdAt(), v.createdBy(),
                activeVersion != null && v.version() == activeVersion))
            .toList());
  }

  @Operation(summary = "One stored version with its files")
  @ApiResponse(responseCode = "200", description = "the version")
  @ApiResponse(responseCode = "404", description = "not-found: unknown ruleset or version")
  @GetMapping("/{name}/versions/{version}")
  public VersionDetail version(@PathVariable String name, @PathVariable int version) {
    StoredVersion stored = registry.version(name, version)
        .orElseThrow(() -> ApiException.notFound("Ruleset \"" + name + "\" has no version " + version + "."));
    boolean active = registry.get(name).flatMap(RulesetRegistry.Entry::activeVersion)
        .map(v -> v == version).orElse(false);
    return new VersionDetail(stored.name(), stored.version(), stored.createdAt(), stored.createdBy(), active,
        stored.files(), DiagnosticJson.all(stored.warnings()));
  }

  @Operation(summary = "Make a stored version the active one on every instance (rollback too)")
  @ApiResponse(responseCode = "200", description = "active")
  @ApiResponse(responseCode = "404", description = "not-found: unknown ruleset or version")
  @PostMapping("/{name}/versions/{version}/activate")
  public Stored activate(@PathVariable String name, @PathVariable int version, HttpServletRequest request) {
    RulesetVersion active = registry.activate(name, version, author(request))
        .orElseThrow(() -> ApiException.notFound("Ruleset \"" + name + "\" has no version " + version + "."));
    return new Stored(active.name(), active.version(), true, DiagnosticJson.all(active.warnings()));
  }

  /** Who makes a change, as versions and activations record it: the calling key's name. */
  static String author(HttpServletRequest request) {
    return Caller.name();
  }

  private static <T> T limited(Supplier<T> call) {
    try {
      return call.get();
    } catch (RulesetTooLargeException e) {
      throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "ruleset-too-large", "Ruleset too large",
          e.getMessage(), Map.of());
    }
  }

  private static String checkedName(String name) {
    if (!RulesetRegistry.isValidName(name)) {
      throw ApiException.badRequest("A ruleset name is 1 to 100 letters, digits, '.', '_' or '-': " + name);
    }
    return name;
  }

  private static Map<String, String> files(FilesBody body) {
    return RulesetFileNames.checked(body == null ? null : body.files());
  }
}
