package io.relais.api.language;

import io.relais.api.rulesets.DiagnosticJson;
import io.relais.api.rulesets.RulesetFileNames;
import io.relais.api.web.ApiException;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.language.LanguageService;
import io.relais.dsl.language.Position;
import io.relais.dsl.language.Snapshot;
import io.relais.engine.dmn.KogitoDecisionModels;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetTooLargeException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The language service over REST for the studio page (docs/api.md, "Language service"): the
 * answers {@code ./relais lsp} gives an editor, for files sent whole. Nothing is stored.
 */
@RestController
@RequestMapping(path = "/api/v1/language", consumes = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Language service")
public class LanguageController {

  private static final String TOO_LARGE =
      "ruleset-too-large: over relais.rulesets.max-size or max-files";

  private final RulesetRegistry registry;
  /** With the engine's DMN models, so tables and decisions are checked and completed. */
  private final LanguageService service =
      new LanguageService(Optional.of(new KogitoDecisionModels()));

  public LanguageController(RulesetRegistry registry) {
    this.registry = registry;
  }

  @Operation(summary = "Every diagnostic of the files, as ./relais check gives them")
  @ApiResponse(responseCode = "200", description = "the diagnostics, sorted by file, line and column")
  @ApiResponse(responseCode = "413", description = TOO_LARGE)
  @PostMapping("/diagnostics")
  public LanguageJson.Diagnostics diagnostics(@RequestBody LanguageJson.Request request) {
    Snapshot snapshot = snapshot(request);
    return new LanguageJson.Diagnostics(!snapshot.analysis().result().hasErrors(),
        DiagnosticJson.all(snapshot.diagnostics()));
  }

  @Operation(summary = "What may be written at a position: names and keywords with type and documentation")
  @ApiResponse(responseCode = "200", description = "the completions")
  @ApiResponse(responseCode = "413", description = TOO_LARGE)
  @PostMapping("/completion")
  public LanguageJson.Completions completion(@RequestBody LanguageJson.Request request) {
    Snapshot snapshot = snapshot(request);
    return new LanguageJson.Completions(service.completion(snapshot, file(request), position(request))
        .stream().map(LanguageJson.Item::of).toList());
  }

  @Operation(summary = "The type and documentation of the name at a position")
  @ApiResponse(responseCode = "200", description = "the hover, or {} when the position names nothing known")
  @ApiResponse(responseCode = "413", description = TOO_LARGE)
  @PostMapping("/hover")
  public LanguageJson.HoverAnswer hover(@RequestBody LanguageJson.Request request) {
    Snapshot snapshot = snapshot(request);
    return service.hover(snapshot, file(request), position(request)).map(LanguageJson.HoverAnswer::of)
        .orElse(new LanguageJson.HoverAnswer(null, null));
  }

  @Operation(summary = "Where the name at a position is declared, in any file of the ruleset")
  @ApiResponse(responseCode = "200", description = "the declarations (none for built-in names)")
  @ApiResponse(responseCode = "413", description = TOO_LARGE)
  @PostMapping("/definition")
  public LanguageJson.Definitions definition(@RequestBody LanguageJson.Request request) {
    Snapshot snapshot = snapshot(request);
    return new LanguageJson.Definitions(service.definition(snapshot, file(request), position(request))
        .stream().map(LanguageJson.Location::of).toList());
  }

  @Operation(summary = "The outline of a file: rules, campaigns and their steps, tables, declarations")
  @ApiResponse(responseCode = "200", description = "the symbols")
  @ApiResponse(responseCode = "413", description = TOO_LARGE)
  @PostMapping("/symbols")
  public LanguageJson.Symbols symbols(@RequestBody LanguageJson.Request request) {
    Snapshot snapshot = snapshot(request);
    return new LanguageJson.Symbols(service.symbols(snapshot, file(request)).stream()
        .map(LanguageJson.SymbolJson::of).toList());
  }

  @Operation(summary = "The edits that put a file in the canonical layout of ./relais format")
  @ApiResponse(responseCode = "200", description = "the edits")
  @ApiResponse(responseCode = "413", description = TOO_LARGE)
  @PostMapping("/format")
  public LanguageJson.Formatting format(@RequestBody LanguageJson.Request request) {
    Snapshot snapshot = snapshot(request);
    return new LanguageJson.Formatting(service.format(snapshot, file(request)).stream()
        .map(LanguageJson.Edit::of).toList());
  }

  /** The files checked, within the limits of a ruleset. */
  private Snapshot snapshot(LanguageJson.Request request) {
    if (request == null) {
      throw ApiException.badRequest("Send {\"files\": {\"name.rules\": \"...\"}}.");
    }
    Map<String, String> files = RulesetFileNames.checked(request.files());
    try {
      registry.checkLimits(files);
    } catch (RulesetTooLargeException e) {
      throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "ruleset-too-large", "Ruleset too large",
          e.getMessage(), Map.of());
    }
    return service.snapshot("ruleset", files);
  }

  /** The rule file asked about: one of the files sent. */
  private static String file(LanguageJson.Request request) {
    String file = request.file();
    if (file == null || !request.files().containsKey(file) || !file.endsWith(RuleLanguage.EXTENSION)) {
      throw ApiException.badRequest("\"file\" must name one of the .rules files sent: " + file);
    }
    return file;
  }

  private static Position position(LanguageJson.Request request) {
    if (request.line() == null || request.column() == null || request.line() < 1 || request.column() < 1) {
      throw ApiException.badRequest("Send \"line\" and \"column\", both from 1 (columns in UTF-16 code units).");
    }
    return new Position(request.line(), request.column());
  }
}
