package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every failure has a problem body, on every path, before and after the controllers:
 * <ul>
 *   <li>an {@code Accept} header Spring cannot parse ({@code Accept: garbage}) is a 400 problem
 *       at once: Spring would answer 406 and then, unable to choose a type for the problem
 *       either, send it with no body at all;
 *   <li>an error status answered with no body (the actuator's 404 for an unknown health group,
 *       say) gets the problem of its status (from 500 up, an incident: a bug left it empty).
 * </ul>
 * Runs first, before authentication, like the firewall's checks of headers.
 */
public final class ProblemBodyFilter extends OncePerRequestFilter {

  private static final HeaderContentNegotiationStrategy ACCEPT = new HeaderContentNegotiationStrategy();

  private final ObjectMapper json;

  public ProblemBodyFilter(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      // The parse Spring's content negotiation does, so what passes here passes there.
      ACCEPT.resolveMediaTypes(new ServletWebRequest(request));
    } catch (HttpMediaTypeNotAcceptableException e) {
      Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST,
          "The Accept header cannot be parsed: send media types such as application/json."), json);
      return;
    }
    Watched watched = new Watched(response);
    chain.doFilter(request, watched);
    if (watched.getStatus() >= 400 && !watched.errorSent && !watched.bodyUsed && !response.isCommitted()
        && response.getContentType() == null) {
      HttpStatusCode status = HttpStatusCode.valueOf(response.getStatus());
      response.setContentLengthLong(-1);
      Problems.write(response, status.is5xxServerError()
          ? Problems.incident(new IllegalStateException("answered " + status.value() + " without a body"),
              request.getMethod() + " " + request.getRequestURI())
          : Problems.of(status, status.value() == 404 ? "There is nothing at this path." : "The request cannot be served."),
          json);
    }
  }

  /** The response, remembering whether an error page is due or a body was started. */
  private static final class Watched extends HttpServletResponseWrapper {
    private boolean errorSent;
    private boolean bodyUsed;

    Watched(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void sendError(int status) throws IOException {
      errorSent = true;
      super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      errorSent = true;
      super.sendError(status, message);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      bodyUsed = true;
      return super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      bodyUsed = true;
      return super.getWriter();
    }
  }
}
