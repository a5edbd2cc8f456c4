package io.relais.api.web;

import io.relais.engine.fair.Callers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs the rest of a request as its {@linkplain Callers caller}: {@code key:<name>} for a
 * recognised API key, {@code anonymous} without one. The request's body read and its store calls
 * then count against its key's fair shares (docs/operations.md, "Fair shares"), whoever else is
 * calling. Runs after authentication; the caller is cleared when the request leaves the filter,
 * so a pooled worker carries none into its next request.
 */
public final class CallerFilter extends OncePerRequestFilter {

  /** The caller of requests without a recognised key (health checks, refused requests). */
  static final String ANONYMOUS = "anonymous";

  /** The caller a request with the API key named {@code name} counts as. */
  static String ofKey(String name) {
    return "key:" + name;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try (Callers.Scope caller = Callers.as(Caller.key().map(CallerFilter::ofKey).orElse(ANONYMOUS))) {
      chain.doFilter(request, response);
    }
  }
}
