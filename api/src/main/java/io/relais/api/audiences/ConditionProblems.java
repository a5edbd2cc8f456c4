package io.relais.api.audiences;

import io.relais.api.rulesets.DiagnosticJson;
import io.relais.api.web.ApiException;
import io.relais.engine.audience.AudienceCondition;
import io.relais.engine.audience.Audiences;
import io.relais.engine.audience.NotPushableException;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;

/**
 * A condition of the rule language read against the store (audiences, leads, funnel, batch
 * filters): its three ways of failing become the same problems wherever a condition is taken.
 */
public final class ConditionProblems {

  private ConditionProblems() {}

  /** {@code call}'s value, or the problem its condition gave. */
  public static <T> T answer(Supplier<T> call) {
    try {
      return call.get();
    } catch (AudienceCondition.InvalidConditionException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-condition", "Invalid condition",
          e.getMessage(), Map.of("diagnostics", DiagnosticJson.all(e.diagnostics())));
    } catch (NotPushableException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "not-pushable", "Condition not pushable",
          e.getMessage(), Map.of("part", e.part(), "file", e.span().file(), "line", e.span().line(),
              "column", e.span().column()));
    } catch (Audiences.ResidualScanTooLargeException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "residual-scan-too-large",
          "Condition needs too large a scan", e.getMessage(),
          Map.of("candidates", e.candidates(), "limit", e.limit()));
    } catch (Audiences.QueryRefusedException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "query-refused", "Condition refused by the store",
          e.getMessage(), Map.of());
    }
  }
}
