package io.relais.api.rulesets;

import io.relais.api.web.ApiException;
import io.relais.dsl.Names;
import io.relais.engine.registry.RulesetRegistry;
import java.util.Map;
import java.util.Optional;

/** The files of a ruleset as bodies send them: file name to text, names as a folder holds them. */
public final class RulesetFileNames {

  private RulesetFileNames() {}

  /**
   * The files, if there is at least one and each has a name ending in {@code .rules} or
   * {@code .dmn} (no folders), a name as names go ({@link Names}: no control characters, at
   * most 200 characters) and a text; a 400 problem otherwise.
   */
  public static Map<String, String> checked(Map<String, String> files) {
    if (files == null || files.isEmpty()) {
      throw ApiException.badRequest("Send {\"files\": {\"name.rules\": \"...\"}} with at least one file.");
    }
    files.forEach((file, text) -> {
      Optional<String> problem = file == null ? Optional.empty() : Names.problem(file);
      if (problem.isPresent()) {
        // Quoted shortened: the name may be thousands of characters long.
        throw ApiException.badRequest("The file name \"" + Names.shortened(file) + "\" " + problem.get() + ".");
      }
      if (file == null || file.contains("/") || file.contains("\\") || text == null
          || RulesetRegistry.FILE_EXTENSIONS.stream().noneMatch(ext -> file.endsWith(ext) && file.length() > ext.length())) {
        throw ApiException.badRequest("Each file needs a name ending in " + String.join(" or ",
            RulesetRegistry.FILE_EXTENSIONS.stream().sorted().toList()) + " (no folders) and a text: " + file);
      }
    });
    return files;
  }
}
