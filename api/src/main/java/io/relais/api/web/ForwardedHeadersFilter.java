package io.relais.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides {@code Forwarded} and {@code X-Forwarded-*} headers from everything behind it while
 * {@code server.forward-headers-strategy} is {@code none}: a client must not choose the host
 * name that links in the OpenAPI document or Swagger UI's configuration point to. Behind a
 * trusted proxy, set the strategy to {@code native} or {@code framework} (docs/operations.md).
 */
public final class ForwardedHeadersFilter extends OncePerRequestFilter {

  static boolean forwarded(String name) {
    // Compared in place: every header read of every request passes here when wrapped.
    return name.equalsIgnoreCase("forwarded") || name.regionMatches(true, 0, "x-forwarded-", 0, 12);
  }

  /** Whether the request carries a header to hide (headers cannot be added later). */
  static boolean hasForwarded(HttpServletRequest request) {
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      if (forwarded(names.nextElement())) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // Most requests carry none: they go on unwrapped, so the header, attribute and content-type
    // reads that request mapping makes for every handler do not pass through one more wrapper.
    if (!hasForwarded(request)) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(new HttpServletRequestWrapper(request) {
      @Override
      public String getHeader(String name) {
        return forwarded(name) ? null : super.getHeader(name);
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return forwarded(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
      }

      @Override
      public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
            .filter(name -> !forwarded(name)).toList());
      }
    }, response);
  }
}
