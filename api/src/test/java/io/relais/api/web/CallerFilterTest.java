package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.engine.fair.Callers;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A request runs as its API key's caller, so its body read and store calls count against that
 * key's fair shares; the worker thread keeps no caller once the request has left.
 */
class CallerFilterTest {

  private final List<String> seen = new ArrayList<>();

  @AfterEach
  void clear() {
    SecurityContextHolder.clearContext();
  }

  private void filter(MockHttpServletRequest request, Servlet servlet) throws Exception {
    new CallerFilter().doFilter(request, new MockHttpServletResponse(), new MockFilterChain(servlet));
  }

  private Servlet recording() {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse res) {
        seen.add(Callers.current());
      }
    };
  }

  @Test
  void aRequestWithAKeyRunsAsThatKey() throws Exception {
    SecurityContextHolder.getContext().setAuthentication(
        ApiKeyAuthentication.recognised("crm-sync", Set.of(new SimpleGrantedAuthority("ROLE_DECIDE"))));
    filter(new MockHttpServletRequest("POST", "/api/v1/decisions"), recording());

    assertThat(seen).containsExactly("key:crm-sync");
    assertThat(Callers.current()).isEqualTo(Callers.SYSTEM);
  }

  @Test
  void aRequestWithoutAKeyRunsAsAnonymousNeverAsAKeyOrTheSystem() throws Exception {
    SecurityContextHolder.getContext().setAuthentication(ApiKeyAuthentication.presented("wrong"));
    filter(new MockHttpServletRequest("GET", "/actuator/health"), recording());
    SecurityContextHolder.clearContext();
    filter(new MockHttpServletRequest("GET", "/actuator/health"), recording());

    assertThat(seen).containsExactly("anonymous", "anonymous");
  }

  @Test
  void theCallerIsClearedWhenTheRequestFails() {
    SecurityContextHolder.getContext().setAuthentication(
        ApiKeyAuthentication.recognised("crm-sync", Set.of(new SimpleGrantedAuthority("ROLE_DECIDE"))));
    assertThatThrownBy(() -> filter(new MockHttpServletRequest("POST", "/api/v1/decisions"),
        new HttpServlet() {
          @Override
          protected void service(HttpServletRequest req,
              HttpServletResponse res) throws ServletException {
            seen.add(Callers.current());
            throw new ServletException("the controller failed");
          }
        })).isInstanceOf(ServletException.class);

    assertThat(seen).containsExactly("key:crm-sync");
    assertThat(Callers.current()).isEqualTo(Callers.SYSTEM);
  }
}
