package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.api.config.ApiProperties;
import io.relais.api.config.SecurityProperties;
import io.relais.api.config.SecurityProperties.ApiKey;
import io.relais.api.config.SecurityProperties.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The gate of {@code /api/**}: a known {@code X-API-Key} with the role the call needs (401
 * without a valid key, 403 without the role), and a body no larger than {@code
 * relais.api.max-body-size} (413), checked before the body is read.
 */
@Component
public class ApiAccessFilter extends OncePerRequestFilter {

  static final String HEADER = "X-API-Key";

  private final SecurityProperties security;
  private final long maxBody;
  private final ObjectMapper json;

  public ApiAccessFilter(SecurityProperties security, ApiProperties api, ObjectMapper json) {
    this.security = security;
    this.maxBody = api.maxBodySize().toBytes();
    this.json = json;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<ApiKey> key = find(request.getHeader(HEADER));
    if (key.isEmpty()) {
      write(response, HttpStatus.UNAUTHORIZED, "Unauthorized",
          "Send a valid API key in the X-API-Key header.");
      return;
    }
    Role needed = requiredRole(request.getMethod(), request.getRequestURI());
    boolean allowed = key.get().has(needed)
        || (needed == Role.AUTHOR && isRead(request) && key.get().has(Role.DECIDE));
    if (!allowed) {
      write(response, HttpStatus.FORBIDDEN, "Forbidden",
          "This API key lacks the role " + needed.name().toLowerCase(java.util.Locale.ROOT) + " this call needs.");
      return;
    }
    if (request.getContentLengthLong() > maxBody) {
      write(response, HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large",
          "The request body is larger than " + maxBody + " bytes.");
      return;
    }
    chain.doFilter(new LimitedBody(request, maxBody), response);
  }

  /** Ruleset changes need {@code author}, batch runs {@code admin}, the rest {@code decide}. */
  static Role requiredRole(String method, String path) {
    if (path.startsWith("/api/v1/batch-runs")) {
      return Role.ADMIN;
    }
    if (path.startsWith("/api/v1/rulesets")) {
      return Role.AUTHOR;
    }
    return Role.DECIDE;
  }

  // Keys that decide may read rulesets (which version is active, its files), not change them.
  private static boolean isRead(HttpServletRequest request) {
    return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
  }

  // Constant-time comparison against every key, so timing tells nothing about a key's prefix.
  private Optional<ApiKey> find(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] given = presented.getBytes(StandardCharsets.UTF_8);
    ApiKey found = null;
    for (ApiKey key : security.apiKeys()) {
      if (key.key() != null && MessageDigest.isEqual(given, key.key().getBytes(StandardCharsets.UTF_8))) {
        found = key;
      }
    }
    return Optional.ofNullable(found);
  }

  private void write(HttpServletResponse response, HttpStatus status, String title, String detail)
      throws IOException {
    ProblemDetail problem = Problems.of(status, Problems.typeFor(status), title, detail);
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  /** A request whose body stops with an error past the limit (for bodies without a length). */
  static final class LimitedBody extends HttpServletRequestWrapper {
    private final long limit;

    LimitedBody(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      ServletInputStream in = super.getInputStream();
      return new ServletInputStream() {
        private long read;

        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0 && ++read > limit) {
            throw new BodyTooLargeException(limit);
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = in.read(buffer, offset, length);
          if (n > 0 && (read += n) > limit) {
            throw new BodyTooLargeException(limit);
          }
          return n;
        }

        @Override
        public boolean isFinished() {
          return in.isFinished();
        }

        @Override
        public boolean isReady() {
          return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
          in.setReadListener(listener);
        }
      };
    }
  }

  /** Thrown while reading a body past the limit; answered 413. */
  public static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
      super("The request body is larger than " + limit + " bytes.");
    }
  }
}
