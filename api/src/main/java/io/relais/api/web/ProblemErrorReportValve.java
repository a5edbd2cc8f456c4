package io.relais.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Tomcat's last word as problem details instead of its HTML page: errors Tomcat answers
 * before the application sees the request (a path with {@code %2F}, {@code %00} or invalid
 * UTF-8, headers too large, CONNECT, another HTTP version...). Never echoes Tomcat's message,
 * which may quote the request. The 501 and 505 Tomcat gives a request it will not serve are
 * the client's mistakes (405 for CONNECT, else 400); any other status from 500 up is an incident.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  private static final ObjectMapper JSON =
      new ObjectMapper().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class);

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    ProblemDetail problem;
    if (status == 501 && "CONNECT".equals(request.getMethod())) {
      // Tomcat refuses CONNECT itself, before any filter: a method this service does not serve,
      // answered as the firewall answers every other one (ApiSecurityConfiguration).
      response.setStatus(405);
      response.setHeader("Allow", ApiSecurityConfiguration.ALLOW);
      problem = Problems.of(HttpStatus.METHOD_NOT_ALLOWED, ApiSecurityConfiguration.METHOD_REFUSED);
    } else if (status == 501) {
      // A Transfer-Encoding other than chunked: a body this service cannot read.
      response.setStatus(400);
      problem = Problems.of(HttpStatus.BAD_REQUEST, "The request's Transfer-Encoding is not served: send the body"
          + " with a Content-Length or chunked.");
    } else if (status == 505) {
      // A request line naming another HTTP version (HTTP/3.0): the client's mistake, not ours.
      response.setStatus(400);
      problem = Problems.of(HttpStatus.BAD_REQUEST, "The request must be HTTP/1.1 or HTTP/1.0.");
    } else if (status >= 500) {
      problem = Problems.incident(throwable, request.getMethod() + " " + request.getRequestURI());
    } else {
      problem = Problems.of(HttpStatusCode.valueOf(status), switch (status) {
        case 400 -> "The request is malformed: its path, query or headers are not accepted.";
        case 413 -> "The request is too large.";
        case 414 -> "The request path is too long.";
        case 431 -> "The request headers are too large.";
        default -> "The request cannot be served.";
      });
    }
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      response.getOutputStream().write(JSON.writeValueAsBytes(problem));
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response cannot be written: nothing more to do.
    }
  }
}
