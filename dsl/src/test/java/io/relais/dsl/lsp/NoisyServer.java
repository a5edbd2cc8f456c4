package io.relais.dsl.lsp;

import io.relais.dsl.check.DecisionModels;
import java.util.List;
import java.util.Optional;

/**
 * {@code relais lsp} as {@code Main} runs it, with DMN models read by a library that prints to
 * {@code System.out} (as a logger left on its console default does): for {@link StdioTest}.
 */
public final class NoisyServer {

  static final String NOISE = "noise from a library";

  private NoisyServer() {}

  public static void main(String[] args) {
    DecisionModels noisy = file -> {
      System.out.println(NOISE);
      return new DecisionModels.Model(file.name(), Optional.empty(), List.of(), List.of(), List.of());
    };
    System.exit(LanguageServerMain.run(System.in, Optional.of(noisy)));
  }
}
