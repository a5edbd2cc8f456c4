package io.relais.api.decisions;

import io.relais.api.web.ApiException;
import io.relais.engine.evaluation.TraceMode;

/**
 * The trace a call that answers a decision asks for: {@code ?trace=} on any of them, or
 * {@code "trace"} in the body of {@code POST /decisions} (docs/api.md, "The trace").
 */
public final class TraceParameter {

  /** What the OpenAPI document says of {@code ?trace=}. */
  public static final String DESCRIPTION = "how much of the trace the answer carries: `fired` (default) the"
      + " rules that fired, `all` also every rule the event could reach with the comparison that was false,"
      + " `none` no trace; anything else is a 400. Recorded decisions keep the fired rules' trace only.";

  private TraceParameter() {}

  /** The mode {@code ?trace=} names; the default ({@code fired}) when absent. */
  public static TraceMode of(String query) {
    return of(query, null);
  }

  /**
   * The mode named by {@code ?trace=} or the body's {@code "trace"} (either may be absent; both
   * must then agree); the default ({@code fired}) when neither is given.
   *
   * @throws ApiException 400 for any other value, or two that disagree
   */
  public static TraceMode of(String query, String body) {
    TraceMode asked = named(query);
    TraceMode inBody = named(body);
    if (asked != null && inBody != null && asked != inBody) {
      throw ApiException.badRequest("?trace=" + asked.keyword() + " and \"trace\": \"" + inBody.keyword()
          + "\" disagree: give one.");
    }
    return asked != null ? asked : inBody != null ? inBody : TraceMode.FIRED;
  }

  private static TraceMode named(String value) {
    if (value == null) {
      return null;
    }
    // The value is not repeated: it is the caller's text, of any length.
    return TraceMode.named(value).orElseThrow(() -> ApiException.badRequest(
        "trace is \"fired\" (the default: the rules that fired), \"all\" (every rule the event could reach)"
            + " or \"none\"."));
  }
}
