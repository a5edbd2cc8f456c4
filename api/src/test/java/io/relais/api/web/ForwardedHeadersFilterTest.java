package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ForwardedHeadersFilterTest {

  private static HttpServletRequest passedOn(MockHttpServletRequest request) throws Exception {
    AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
    new ForwardedHeadersFilter().doFilter(request, new MockHttpServletResponse(),
        (req, res) -> seen.set((HttpServletRequest) req));
    return seen.get();
  }

  @Test
  void forwardedHeadersAreHiddenWhateverTheirCase() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v3/api-docs");
    request.addHeader("X-Forwarded-Host", "evil.example");
    request.addHeader("x-FORWARDED-proto", "https");
    request.addHeader("Forwarded", "host=evil.example");
    request.addHeader("X-Forwarded", "not a forwarded header: no dash after it");
    request.addHeader("Accept", "application/json");

    HttpServletRequest seen = passedOn(request);

    assertThat(seen.getHeader("X-Forwarded-Host")).isNull();
    assertThat(seen.getHeader("x-forwarded-proto")).isNull();
    assertThat(seen.getHeader("FORWARDED")).isNull();
    assertThat(Collections.list(seen.getHeaders("Forwarded"))).isEmpty();
    assertThat(Collections.list(seen.getHeaderNames()))
        .containsExactlyInAnyOrder("X-Forwarded", "Accept");
    assertThat(seen.getHeader("Accept")).isEqualTo("application/json");
  }

  @Test
  void aRequestWithoutForwardedHeadersGoesOnUnwrapped() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/contacts/c-1/events");
    request.addHeader("Content-Type", "application/json");
    request.addHeader("X-API-Key", "key");

    assertThat(passedOn(request)).isSameAs(request);
  }
}
