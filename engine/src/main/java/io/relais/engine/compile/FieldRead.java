package io.relais.engine.compile;

/**
 * One contact field's read, bound when a ruleset compiles: conditions call it without looking
 * the field up by name (docs/engine.md, "The schema").
 */
@FunctionalInterface
public interface FieldRead {

  /** The field's value in {@code facts}; {@code null} when empty. */
  Object read(Facts facts);

  /** How a ruleset's compiler binds a contact field, by its JSON path, to its read. */
  @FunctionalInterface
  interface Binder {

    /**
     * The read of {@code jsonPath} ({@code score}, {@code consent.email}, {@code
     * attributes.industry}, {@code age}).
     *
     * @throws IllegalArgumentException when the field has no accessor
     */
    FieldRead bind(String jsonPath);
  }
}
