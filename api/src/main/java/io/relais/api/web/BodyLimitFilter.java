package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The request size limit ({@code relais.api.max-body-size}) on every path, before
 * authentication: a declared {@code Content-Length} above it is answered 413 without reading a
 * byte, and a body without a length (chunked) stops with 413 as soon as it passes the limit.
 * Error answers to requests with a body close the connection (see {@link CloseOnError}).
 */
public final class BodyLimitFilter extends OncePerRequestFilter {

  private final long maxBody;
  private final ObjectMapper json;

  public BodyLimitFilter(long maxBody, ObjectMapper json) {
    this.maxBody = maxBody;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    if (request.getContentLengthLong() > maxBody) {
      response.setHeader("Connection", "close");
      Problems.write(response, Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
          message(maxBody)), json);
      return;
    }
    chain.doFilter(new LimitedBody(request, maxBody), hasBody ? new CloseOnError(response) : response);
  }

  /**
   * An error answer to a request with a body says {@code Connection: close}: the body may not
   * have been read (401, 403, 503...), and {@link UnreadBodyValve} then closes the connection, so
   * the client must not reuse it for its next request.
   */
  static final class CloseOnError extends jakarta.servlet.http.HttpServletResponseWrapper {
    CloseOnError(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void setStatus(int status) {
      close(status);
      super.setStatus(status);
    }

    @Override
    public void sendError(int status) throws IOException {
      close(status);
      super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      close(status);
      super.sendError(status, message);
    }

    private void close(int status) {
      if (status >= 400 && !isCommitted()) {
        setHeader("Connection", "close");
      }
    }
  }

  static String message(long limit) {
    return "The request body is larger than " + limit + " bytes.";
  }

  static String tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLargeException tooLarge) {
        return tooLarge.getMessage();
      }
    }
    return "The request body is too large.";
  }

  /** A request whose body stops with an error past the limit. */
  static final class LimitedBody extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream limited;

    LimitedBody(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        ServletInputStream in = super.getInputStream();
        limited = new ServletInputStream() {
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
      return limited;
    }

    @Override
    public java.io.BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
      return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), encoding));
    }
  }

  /** Thrown while reading a body past the limit; answered 413. */
  public static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
      super(message(limit));
    }
  }
}
