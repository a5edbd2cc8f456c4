package io.relais.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A benchmark's command line: {@code --name value} pairs, by name without the dashes. */
final class Options {

  private Options() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }
}
