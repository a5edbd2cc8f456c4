package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.fair.Callers;
import io.relais.engine.fair.FairShare;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads an authorised request's body before any controller sees it, under two guards that keep
 * slow clients from holding the request workers: at most {@code maxConcurrentReads} bodies are
 * being read at once, shared fairly between API keys ({@link FairShare}: no key more than {@code
 * maxReadsPerKey}, nor more than its equal share while another key is short of its own; the next
 * one gets 503 {@code busy} at once), and a body must arrive within {@code readTimeout} (else
 * 408). Each blocking read itself ends after Tomcat's connection timeout, so a worker is free
 * after at most the sum of both. Runs after authorisation: the body of a refused request is never
 * read (and {@link UnreadBodyValve} closes its connection).
 */
public final class BodyReadFilter extends OncePerRequestFilter {

  private final FairShare reads;
  private final long readTimeoutNanos;
  private final ObjectMapper json;

  public BodyReadFilter(int maxConcurrentReads, int maxReadsPerKey, Duration readTimeout, ObjectMapper json) {
    this.reads = new FairShare(maxConcurrentReads, maxReadsPerKey);
    this.readTimeoutNanos = readTimeout.toNanos();
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!acceptableContentType(request.getContentType())) {
      Problems.write(response, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "The Content-Type must name one concrete media type, such as application/json."), json);
      return;
    }
    if (!hasBody(request)) {
      chain.doFilter(request, response);
      return;
    }
    // The key the request runs as (CallerFilter): one key's slow bodies leave the others' slots.
    FairShare.Slot slot = reads.tryAcquire(Callers.current());
    if (!slot.granted()) {
      response.setHeader(HttpHeaders.RETRY_AFTER, "1");
      Problems.write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Busy",
          slot.refusal() == FairShare.Refusal.SHARE
              ? "This API key has its share of the request bodies being received at once; try again in 1 s."
              : "Too many request bodies are being received at once; try again in 1 s."), json);
      return;
    }
    byte[] body;
    try {
      body = readWithin(request.getInputStream(), declaredLength(request), System.nanoTime() + readTimeoutNanos);
    } catch (BodyLimitFilter.BodyTooLargeException e) {
      Problems.write(response, Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
          e.getMessage()), json);
      return;
    } catch (SlowBodyException e) {
      ProblemDetail problem = Problems.of(HttpStatus.REQUEST_TIMEOUT, "request-timeout", "Request timeout",
          "The request body did not arrive within " + Duration.ofNanos(readTimeoutNanos).toSeconds() + " s.");
      Problems.write(response, problem, json);
      return;
    } catch (IOException e) {
      // The client went away or stalled past the connection timeout: nobody to answer.
      response.setStatus(HttpStatus.REQUEST_TIMEOUT.value());
      return;
    } finally {
      slot.close();
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  // A wildcard (*/*, text/*) or unparseable Content-Type names no format to read the body in.
  static boolean acceptableContentType(String contentType) {
    if (contentType == null) {
      return true;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return !type.isWildcardType() && !type.isWildcardSubtype();
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  // The body's length when the request declares it and is not chunked (BodyLimitFilter has
  // refused a declared length past the limit); -1 otherwise.
  private static int declaredLength(HttpServletRequest request) {
    long length = request.getContentLengthLong();
    return length > 0 && length <= Integer.MAX_VALUE && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null
        ? (int) length : -1;
  }

  // A declared length is read into an array of that size: no copy buffer and no final copy, the
  // most of what a small event's body cost in allocation. Anything past it (which the container
  // does not deliver) or a body without a length goes through a growing buffer.
  private static byte[] readWithin(InputStream in, int declared, long deadline) throws IOException {
    if (declared > 0) {
      byte[] body = new byte[declared];
      int filled = 0;
      int n;
      while (filled < declared && (n = in.read(body, filled, declared - filled)) >= 0) {
        filled += n;
        checkDeadline(deadline);
      }
      if (filled < declared) {
        return Arrays.copyOf(body, filled);
      }
      int next = in.read();
      if (next < 0) {
        return body;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(declared + 8192);
      out.write(body);
      out.write(next);
      return readRest(in, out, deadline);
    }
    return readRest(in, new ByteArrayOutputStream(), deadline);
  }

  private static byte[] readRest(InputStream in, ByteArrayOutputStream out, long deadline) throws IOException {
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
      checkDeadline(deadline);
    }
    return out.toByteArray();
  }

  private static void checkDeadline(long deadline) throws SlowBodyException {
    if (System.nanoTime() - deadline > 0) {
      throw new SlowBodyException();
    }
  }

  private static final class SlowBodyException extends IOException {}

  /** The request with its body already read. */
  static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body is already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
      return new BufferedReader(new InputStreamReader(getInputStream(), encoding));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
