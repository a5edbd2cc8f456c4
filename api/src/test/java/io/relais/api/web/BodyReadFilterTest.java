package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The controller reads the body the client sent, byte for byte, whether the request declared its
 * length (read into an array of that size), sent more than it declared, or declared none.
 */
class BodyReadFilterTest {

  private static final byte[] BODY = "{\"type\":\"page_visit\",\"data\":{\"url\":\"/é\"}}".getBytes(StandardCharsets.UTF_8);

  private final AtomicReference<byte[]> read = new AtomicReference<>();

  private MockHttpServletResponse filter(MockHttpServletRequest request) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    new BodyReadFilter(4, 4, Duration.ofSeconds(10), new ObjectMapper()).doFilter(request, response,
        new MockFilterChain(new HttpServlet() {
          @Override
          protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
            read.set(req.getInputStream().readAllBytes());
          }
        }));
    return response;
  }

  private static MockHttpServletRequest post(byte[] content) {
    return post(content, content.length);
  }

  private static MockHttpServletRequest post(byte[] content, long declared) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/contacts/c1/events") {
      @Override
      public long getContentLengthLong() {
        return declared;
      }
    };
    request.setContentType("application/json");
    request.setContent(content);
    return request;
  }

  @Test
  void aDeclaredLengthIsReadWhole() throws Exception {
    MockHttpServletResponse response = filter(post(BODY));

    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(read.get()).isEqualTo(BODY);
  }

  @Test
  void bytesPastTheDeclaredLengthAreKept() throws Exception {
    byte[] longer = new byte[BODY.length + 20_000];
    System.arraycopy(BODY, 0, longer, 0, BODY.length);
    filter(post(longer, BODY.length));

    assertThat(read.get()).isEqualTo(longer);
  }

  @Test
  void aChunkedBodyIsReadWhole() throws Exception {
    byte[] large = new byte[50_000];
    Arrays.fill(large, (byte) 'a');
    MockHttpServletRequest request = post(large, -1);
    request.addHeader("Transfer-Encoding", "chunked");

    filter(request);

    assertThat(read.get()).isEqualTo(large);
  }
}
